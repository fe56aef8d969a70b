#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace travio::identity {

/// How failed logins slow an attacker down: from the `threshold`-th failure within `window`,
/// each further failure locks the account (or address) for `base_delay` doubled per failure
/// beyond the threshold, up to `max_delay`.
struct ThrottlePolicy {
  int64_t threshold = 5;
  absl::Duration window = absl::Hours(1);
  absl::Duration base_delay = absl::Seconds(2);
  absl::Duration max_delay = absl::Minutes(15);

  /// The lockout after `failures` failures; zero below the threshold.
  absl::Duration LockoutAfter(int64_t failures) const {
    if (failures < threshold) return absl::ZeroDuration();
    const int64_t doublings = failures - threshold;
    if (doublings >= 30) return max_delay;
    return std::min(base_delay * (int64_t{1} << doublings), max_delay);
  }
};

}  // namespace travio::identity
