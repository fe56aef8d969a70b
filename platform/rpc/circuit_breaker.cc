#include "platform/rpc/circuit_breaker.h"

#include <algorithm>

namespace travio::rpc {

CircuitBreaker::CircuitBreaker(BreakerSettings settings, const Clock& clock,
                               BreakerInstruments instruments)
    : settings_(settings),
      clock_(clock),
      instruments_(instruments),
      buckets_(static_cast<size_t>(std::max<int64_t>(1, absl::ToInt64Seconds(settings.window)))) {
  if (instruments_.state != nullptr) instruments_.state->Set(0);
}

CircuitBreaker::Admission CircuitBreaker::Admit() {
  std::lock_guard lock(mutex_);
  const absl::Time now = clock_.Now();
  if (state_ == State::kOpen) {
    const absl::Duration left = opened_at_ + settings_.open_for - now;
    if (left > absl::ZeroDuration()) {
      if (instruments_.refused != nullptr) instruments_.refused->Increment();
      return {.allowed = false, .retry_after = left};
    }
    Transition(State::kHalfOpen, now);
  }
  if (state_ == State::kHalfOpen) {
    if (probes_started_ >= settings_.half_open_calls) {
      // The probes are out; their answers decide. Callers meanwhile wait a moment.
      if (instruments_.refused != nullptr) instruments_.refused->Increment();
      return {.allowed = false, .retry_after = absl::Seconds(1)};
    }
    ++probes_started_;
    return {.allowed = true, .probe = true};
  }
  return {};
}

void CircuitBreaker::Record(bool failed) {
  std::lock_guard lock(mutex_);
  const absl::Time now = clock_.Now();
  if (state_ == State::kHalfOpen) {
    ++probes_done_;
    if (failed) ++probes_failed_;
    if (probes_done_ >= settings_.half_open_calls ||
        probes_failed_ >= settings_.failure_rate * settings_.half_open_calls) {
      const bool reopen = probes_failed_ >= settings_.failure_rate * settings_.half_open_calls;
      Transition(reopen ? State::kOpen : State::kClosed, now);
    }
    return;
  }
  if (state_ == State::kOpen) return;  // a call let through before the breaker opened
  Bucket& bucket = BucketAt(absl::ToUnixSeconds(now));
  ++bucket.calls;
  if (failed) ++bucket.failures;
  int calls = 0;
  int failures = 0;
  const int64_t oldest = absl::ToUnixSeconds(now) - static_cast<int64_t>(buckets_.size()) + 1;
  for (const Bucket& each : buckets_) {
    if (each.second < oldest) continue;
    calls += each.calls;
    failures += each.failures;
  }
  if (calls >= settings_.minimum_calls &&
      failures >= settings_.failure_rate * static_cast<double>(calls)) {
    Transition(State::kOpen, now);
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  if (state_ == State::kOpen && clock_.Now() >= opened_at_ + settings_.open_for) {
    return State::kHalfOpen;  // what the next call will find
  }
  return state_;
}

void CircuitBreaker::Transition(State to, absl::Time now) {
  state_ = to;
  if (to == State::kOpen) opened_at_ = now;
  probes_started_ = probes_done_ = probes_failed_ = 0;
  if (to == State::kClosed) std::fill(buckets_.begin(), buckets_.end(), Bucket{});
  if (instruments_.state != nullptr) instruments_.state->Set(static_cast<double>(to));
}

CircuitBreaker::Bucket& CircuitBreaker::BucketAt(int64_t second) {
  Bucket& bucket = buckets_[static_cast<size_t>(second) % buckets_.size()];
  if (bucket.second != second) bucket = Bucket{.second = second};
  return bucket;
}

}  // namespace travio::rpc
