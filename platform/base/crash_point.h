#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio {

/// A test hook for crash tests: when armed with a point ("capture:before"), reaching that
/// point kills the process at once (SIGKILL: no destructor, no flush, as a power cut would), so
/// a test can prove that a restart finishes what was started. Disarmed (empty) in production;
/// reaching a point then costs a string compare. Release builds (no TRAVIO_TEST_HOOKS) have no
/// hook at all: Reach does nothing, and modules refuse to start with a point armed.
class CrashPoint {
 public:
#ifdef TRAVIO_TEST_HOOKS
  static constexpr bool kCompiledIn = true;
#else
  static constexpr bool kCompiledIn = false;
#endif

  CrashPoint() = default;
  explicit CrashPoint(std::string armed) : armed_(std::move(armed)) {}

  /// The point configured by `key` (empty: disarmed). A build without hooks refuses an armed
  /// one with kFailedPrecondition, so a release never runs believing it is being tested.
  static absl::StatusOr<CrashPoint> Configured(std::string_view key, std::string point);

  bool armed() const { return !armed_.empty(); }
  const std::string& point() const { return armed_; }

  /// Kills the process when `point` is the armed one.
  void Reach(std::string_view point) const;

 private:
  std::string armed_;
};

}  // namespace travio
