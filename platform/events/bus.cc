#include "platform/events/bus.h"

#include "platform/trace/trace_context.h"

namespace travio::events {
namespace {

// A consumer's work belongs to the trace of the work that caused the event; an event that
// names none (published before traces, or by a test) continues the publisher's or starts one.
trace::TraceContext TraceOf(const Event& event) {
  if (trace::IsTraceId(event.trace_id)) {
    return trace::ChildOf({.trace_id = event.trace_id, .span_id = "", .sampled = false});
  }
  if (const trace::TraceContext* current = trace::Current(); current != nullptr) {
    return trace::ChildOf(*current);
  }
  return trace::NewTrace();
}

}  // namespace

void Bus::Subscribe(std::string consumer, std::string type, Handler handler) {
  std::lock_guard lock(mutex_);
  subscriptions_.push_back({std::move(consumer), std::move(type), std::move(handler)});
}

absl::Status Bus::Publish(const Event& event) { return Deliver("", event); }

void Bus::SetDelivery(const std::string& consumer, Delivery delivery) {
  std::lock_guard lock(mutex_);
  deliveries_[consumer] = delivery;
}

std::map<std::string, Bus::Consumer> Bus::Consumers() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, Consumer> consumers;
  for (const auto& subscription : subscriptions_) {
    Consumer& consumer = consumers[subscription.consumer];
    consumer.types.push_back(subscription.type);
    if (auto it = deliveries_.find(subscription.consumer); it != deliveries_.end()) {
      consumer.delivery = it->second;
    }
  }
  return consumers;
}

// An empty `consumer` means every consumer.
absl::Status Bus::Deliver(const std::string& consumer, const Event& event) const {
  std::vector<Handler> handlers;
  {
    std::lock_guard lock(mutex_);
    for (const auto& subscription : subscriptions_) {
      if (!consumer.empty() && subscription.consumer != consumer) continue;
      if (subscription.type == "*" || subscription.type == event.type) {
        handlers.push_back(subscription.handler);
      }
    }
  }
  const trace::Scope trace_scope(TraceOf(event));
  absl::Status first_failure;
  for (const auto& handler : handlers) {
    if (auto status = handler(event); !status.ok() && first_failure.ok()) first_failure = status;
  }
  return first_failure;
}

}  // namespace travio::events
