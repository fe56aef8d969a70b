#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/events/event.h"

namespace travio::events {

/// Where a relay hands the events of an outbox: the in-process Bus, or a broker.
class Publisher {
 public:
  virtual ~Publisher() = default;
  virtual absl::Status Publish(const Event& event) = 0;
};

/// Delivers relayed events to the consumers of this process. A handler returns an error to
/// have the event delivered again later (at-least-once); consumers make their effects
/// exactly-once with an Inbox.
class Bus final : public Publisher {
 public:
  using Handler = std::function<absl::Status(const Event&)>;

  /// `consumer` names the subscriber (its inbox key); `type` is an exact event type or "*".
  void Subscribe(std::string consumer, std::string type, Handler handler);

  /// Calls every matching handler; the first failure is returned after all were called.
  absl::Status Publish(const Event& event) override;

  /// Calls the handlers `consumer` subscribed for the event's type (events that came from a
  /// broker's queue of that consumer).
  absl::Status Deliver(const std::string& consumer, const Event& event) const;

  /// Every consumer with the types it subscribed to.
  std::map<std::string, std::vector<std::string>> Consumers() const;

 private:
  struct Subscription {
    std::string consumer;
    std::string type;
    Handler handler;
  };
  mutable std::mutex mutex_;
  std::vector<Subscription> subscriptions_;
};

}  // namespace travio::events
