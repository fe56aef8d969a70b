#include "platform/base/crash_point.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace travio {

absl::StatusOr<CrashPoint> CrashPoint::Configured(std::string_view key, std::string point) {
  if (!kCompiledIn && !point.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        std::string(key), " is a crash-test hook, and this build (a release) has none"));
  }
  return CrashPoint(std::move(point));
}

void CrashPoint::Reach(std::string_view point) const {
  if constexpr (!kCompiledIn) return;
  if (armed_.empty() || point != armed_) return;
  std::fprintf(stderr, "crash point %s reached: killing the process\n", armed_.c_str());
  std::fflush(stderr);
  ::kill(::getpid(), SIGKILL);
}

}  // namespace travio
