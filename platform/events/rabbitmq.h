#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"

namespace travio::events {

struct RabbitOptions {
  std::string host = "127.0.0.1";
  int port = 5672;
  std::string user = "guest";
  std::string password = "guest";
  std::string vhost = "/";
  /// A durable topic exchange; each event is routed by its type.
  std::string exchange = "travio.events";
  /// Connect, login and socket timeout.
  absl::Duration timeout = absl::Seconds(5);
};

class AmqpConnection;

/// Publishes events to the exchange, persistent, each inside an AMQP transaction: when Publish
/// returns OK the broker has taken the message (the relay then marks it relayed). A broken
/// connection is reopened by the next call. Thread-safe.
class RabbitPublisher final : public Publisher {
 public:
  explicit RabbitPublisher(RabbitOptions options);
  ~RabbitPublisher() override;
  absl::Status Publish(const Event& event) override;

 private:
  absl::Status EnsureOpen();
  RabbitOptions options_;
  std::mutex mutex_;
  std::unique_ptr<AmqpConnection> connection_;
};

/// One consumer's durable queue `<exchange>.<consumer>`, bound to its event types (`*`: all),
/// consumed on a thread of its own: each message is handed to `deliver` and acknowledged when
/// it succeeds; a failure rejects it back onto the queue and pauses (at-least-once, like the
/// local relay). Replicas of a consumer share its queue. Reconnects with backoff.
///
/// With an `instance`, the queue is that instance's own, `<exchange>.<consumer>.<instance>`
/// (Delivery::kEveryInstance): not durable, and deleted by the broker once nobody has used it
/// for kInstanceQueueExpiry (the instance ended), holding at most kInstanceQueueLength events
/// and kInstanceQueueBytes meanwhile (the oldest go first).
class RabbitConsumer {
 public:
  using Deliver = std::function<absl::Status(const Event&)>;
  RabbitConsumer(RabbitOptions options, std::string consumer, std::vector<std::string> types,
                 Deliver deliver, log::Logger logger, std::string instance = {});

  static constexpr absl::Duration kInstanceQueueExpiry = absl::Minutes(5);
  static constexpr int kInstanceQueueLength = 100'000;
  static constexpr int kInstanceQueueBytes = 64 << 20;

  const std::string& queue() const { return queue_; }
  ~RabbitConsumer();

  /// Declares the queue and its bindings now (so events published from here on are kept even
  /// before the thread consumes them), then starts consuming.
  absl::Status Start();
  void Stop();

 private:
  absl::Status Declare(AmqpConnection& connection);
  void Run();

  RabbitOptions options_;
  std::string consumer_;
  bool own_queue_;
  std::string queue_;
  std::vector<std::string> types_;
  Deliver deliver_;
  log::Logger logger_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace travio::events
