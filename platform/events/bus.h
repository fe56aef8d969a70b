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

/// Which instances of a replicated consumer get an event when events cross processes through a
/// broker. In one process there is one instance, and every consumer gets every event.
enum class Delivery {
  /// One instance of the consumer (a work queue): for effects kept in shared storage.
  kOneInstance,
  /// Every running instance, each on a queue of its own that ends with it: for what each
  /// instance keeps in its own memory and needs only while it runs (a live feed).
  kEveryInstance,
  /// Every running instance, and one of them for what happened while none ran: for a read model
  /// in memory over a shared snapshot (the shared queue keeps events for the next start).
  /// Handlers must be idempotent: the instance that takes an event from the shared queue has it
  /// from its own too.
  kEveryInstanceAndBacklog,
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

  /// How `consumer`'s instances share its events (kOneInstance unless set).
  void SetDelivery(const std::string& consumer, Delivery delivery);

  struct Consumer {
    std::vector<std::string> types;
    Delivery delivery = Delivery::kOneInstance;
  };
  /// Every consumer with the types it subscribed to and how its instances share them.
  std::map<std::string, Consumer> Consumers() const;

 private:
  struct Subscription {
    std::string consumer;
    std::string type;
    Handler handler;
  };
  mutable std::mutex mutex_;
  std::vector<Subscription> subscriptions_;
  std::map<std::string, Delivery> deliveries_;
};

}  // namespace travio::events
