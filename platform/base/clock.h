#pragma once

#include <atomic>
#include <chrono>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace travio {

/// The source of the current time. Injected everywhere time matters, so tests can control it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

/// Wall-clock time from the operating system.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

/// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start = absl::FromUnixSeconds(1'767'225'600))  // 2026-01-01
      : now_us_(absl::ToUnixMicros(start)) {}

  absl::Time Now() const override { return absl::FromUnixMicros(now_us_.load()); }
  void Advance(absl::Duration by) { now_us_ += absl::ToInt64Microseconds(by); }
  void Set(absl::Time to) { now_us_ = absl::ToUnixMicros(to); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace travio
