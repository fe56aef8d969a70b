#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/metrics/registry.h"

namespace travio::rpc {

/// When a breaker opens and how it recovers (resilience4j's model, with a time-based window).
struct BreakerSettings {
  /// Share of failed calls in the window, from 0 to 1, at which the breaker opens.
  double failure_rate = 0.5;
  /// Calls the window must hold before its failure rate counts.
  int minimum_calls = 10;
  /// The sliding window, in whole seconds (one bucket per second).
  absl::Duration window = absl::Seconds(10);
  /// How long an open breaker refuses every call before it lets probes through.
  absl::Duration open_for = absl::Seconds(5);
  /// Probe calls let through while half-open; their failure rate closes or reopens it.
  int half_open_calls = 3;
};

/// Where a breaker reports (per upstream): its state (0 closed, 1 open, 2 half-open) and the
/// calls it refused. Either may be null.
struct BreakerInstruments {
  metrics::Gauge* state = nullptr;
  metrics::Counter* refused = nullptr;
};

/// A circuit breaker for one upstream service: closed, it lets calls through and counts their
/// outcomes in a sliding window of per-second buckets; at `failure_rate` (over at least
/// `minimum_calls`) it opens and refuses every call for `open_for`, so callers answer at once
/// instead of waiting on a dead peer; then it lets `half_open_calls` probes through, and
/// closes when they succeed or opens again when they fail. Time from the injected clock.
/// Thread-safe.
class CircuitBreaker {
 public:
  enum class State { kClosed = 0, kOpen = 1, kHalfOpen = 2 };

  CircuitBreaker(BreakerSettings settings, const Clock& clock, BreakerInstruments instruments = {});

  /// Whether a call may go now. While half-open a call that goes is one of the probes; a
  /// refused one learns how long until calls may go again.
  struct Admission {
    bool allowed = true;
    bool probe = false;
    absl::Duration retry_after = absl::ZeroDuration();
  };
  Admission Admit();
  /// The outcome of a call that was let through: `failed` for the peer's failures (unreachable,
  /// timed out), never for a refusal the peer decided on.
  void Record(bool failed);

  State state() const;

 private:
  struct Bucket {
    int64_t second = 0;
    int calls = 0;
    int failures = 0;
  };
  void Transition(State to, absl::Time now);  // with mutex_ held
  Bucket& BucketAt(int64_t second);           // with mutex_ held

  const BreakerSettings settings_;
  const Clock& clock_;
  const BreakerInstruments instruments_;
  mutable std::mutex mutex_;
  State state_ = State::kClosed;
  absl::Time opened_at_;
  std::vector<Bucket> buckets_;
  int probes_started_ = 0;
  int probes_done_ = 0;
  int probes_failed_ = 0;
};

}  // namespace travio::rpc
