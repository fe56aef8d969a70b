#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/kv/key_value_store.h"

namespace travio::kv {

/// `quota` units per `period`, all of which may be spent at once (redis-cell's max_burst is
/// quota - 1).
struct Rate {
  int64_t quota = 0;
  absl::Duration period = absl::Minutes(1);

  bool unlimited() const { return quota <= 0; }
};

/// What one Take decided, in the terms of the IETF RateLimit headers.
struct RateDecision {
  bool allowed = true;
  /// Units left to spend now.
  int64_t remaining = 0;
  /// How long until the request would be allowed; infinite for one larger than the quota.
  absl::Duration retry_after = absl::ZeroDuration();
  /// How long until the whole quota is available again.
  absl::Duration reset_after = absl::ZeroDuration();
};

/// The generic cell rate algorithm (GCRA, as brandur/redis-cell implements it) on a
/// KeyValueStore: one key per limited thing holding its theoretical arrival time, changed by
/// one atomic script (Lua on Redis, its native twin in memory), so every gateway sharing the
/// store shares the limit. Time comes from the injected clock, so tests drive it and several
/// gateways agree to within their clocks' skew. A refused request changes nothing.
class Gcra {
 public:
  Gcra(KeyValueStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// Spends `quantity` units (0 peeks) of `key`'s `rate`.
  absl::StatusOr<RateDecision> Take(std::string_view key, const Rate& rate,
                                    int64_t quantity = 1) const;

 private:
  KeyValueStore& store_;
  const Clock& clock_;
};

}  // namespace travio::kv
