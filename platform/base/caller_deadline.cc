#include "platform/base/caller_deadline.h"

namespace travio {
namespace {

// Per thread, as the server runs each call's handler on one thread (platform/trace does the
// same for the trace).
thread_local absl::Time current = absl::InfiniteFuture();

}  // namespace

absl::Time CallerDeadline() { return current; }

CallerDeadlineScope::CallerDeadlineScope(absl::Time deadline) : previous_(current) {
  current = deadline;
}

CallerDeadlineScope::~CallerDeadlineScope() { current = previous_; }

}  // namespace travio
