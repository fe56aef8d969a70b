#pragma once

#include <string>
#include <string_view>

namespace travio {

/// A test hook for crash tests: when armed with a point ("capture:before"), reaching that
/// point kills the process at once (SIGKILL: no destructor, no flush, as a power cut would), so
/// a test can prove that a restart finishes what was started. Disarmed (empty) in production;
/// reaching a point then costs a string compare.
class CrashPoint {
 public:
  CrashPoint() = default;
  explicit CrashPoint(std::string armed) : armed_(std::move(armed)) {}

  bool armed() const { return !armed_.empty(); }
  const std::string& point() const { return armed_; }

  /// Kills the process when `point` is the armed one.
  void Reach(std::string_view point) const;

 private:
  std::string armed_;
};

}  // namespace travio
