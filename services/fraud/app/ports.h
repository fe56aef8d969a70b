#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/fraud/domain/risk_settings.h"

namespace travio::fraud {

/// Each organization's fraud settings (durable).
class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  /// The organization's own settings; nullopt while it uses the defaults.
  virtual absl::StatusOr<std::optional<RiskSettings>> Find(const std::string& org_id) = 0;
  virtual absl::Status Put(const std::string& org_id, const RiskSettings& settings,
                           absl::Time at) = 0;
};

/// Counts over sliding windows, in the hot-state store (memory, or Redis shared by every fraud
/// process). A window's count is estimated from two fixed buckets of its length: the current
/// one and the previous one weighted by how much of it still lies in the window, the way
/// Cloudflare's rate limiter does; it may be off by a fraction of the previous bucket, never by
/// more. Counts are approximate by design: a signal, not a ledger.
class RiskCounters {
 public:
  virtual ~RiskCounters() = default;
  /// Adds `amount` (0: only reads) to `key` at `now`; the count over the trailing `window`.
  virtual absl::StatusOr<int64_t> Add(const std::string& key, int64_t amount, absl::Duration window,
                                      absl::Time now) = 0;
  /// Records `member` (empty: only reads) under `key` at `now`; how many distinct members the
  /// trailing `window` saw (exactly, up to 100: each member is kept with when it was last
  /// seen).
  virtual absl::StatusOr<int64_t> AddDistinct(const std::string& key, const std::string& member,
                                              absl::Duration window, absl::Time now) = 0;
  /// True the first time `key` is marked within `ttl`: what makes counting once per order.
  virtual absl::StatusOr<bool> MarkOnce(const std::string& key, absl::Duration ttl) = 0;
  virtual absl::Status Remember(const std::string& key, const std::string& value,
                                absl::Duration ttl) = 0;
  virtual absl::StatusOr<std::optional<std::string>> Recall(const std::string& key) = 0;
};

}  // namespace travio::fraud
