#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/events/event.h"

namespace travio::events {

/// Delivers relayed events to the consumers of this process. A handler returns an error to
/// have the event delivered again later (at-least-once); consumers make their effects
/// exactly-once with an Inbox.
class Bus {
 public:
  using Handler = std::function<absl::Status(const Event&)>;

  /// `consumer` names the subscriber (its inbox key); `type` is an exact event type or "*".
  void Subscribe(std::string consumer, std::string type, Handler handler);

  /// Calls every matching handler; the first failure is returned after all were called.
  absl::Status Publish(const Event& event) const;

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
