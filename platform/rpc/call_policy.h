#pragma once

#include <memory>

#include "absl/time/time.h"
#include "platform/rpc/circuit_breaker.h"

namespace travio::rpc {

/// How a gRPC client calls its upstream (`Clients::Bind` makes one per service): every call's
/// deadline, the upstream's circuit breaker (shared by every client of that service in the
/// process; null for none), and how often an idempotent read is tried when the peer cannot be
/// reached.
struct CallPolicy {
  absl::Duration deadline = absl::Seconds(5);
  std::shared_ptr<CircuitBreaker> breaker = nullptr;
  int read_attempts = 3;
};

}  // namespace travio::rpc
