#pragma once

// Waiting on a condition in tests, never on a fixed time: a sleep long enough on a fast machine
// is too short on a loaded one, and too long everywhere else.

#include <algorithm>
#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace travio::testing {

/// Checks `condition` until it holds (true) or `timeout` passes (false), every few
/// milliseconds. The timeout only bounds a failing test; a passing one waits as long as the
/// condition takes.
inline bool WaitFor(const std::function<bool()>& condition,
                    absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration pause = absl::Milliseconds(2);
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(50));
  }
  return true;
}

}  // namespace travio::testing
