#pragma once

#include "absl/time/time.h"

namespace travio {

/// When the caller of the work running on this thread stops waiting for its answer: set around
/// each call a server takes (the gRPC server, from the caller's deadline); InfiniteFuture where
/// nobody waits with a deadline (one process calling itself, a worker, a test). A use case that
/// may run long (a year of trips to make) answers with what it did, and what remains, before
/// it rather than have its caller give up on work that goes on unseen.
absl::Time CallerDeadline();

/// Sets CallerDeadline() on this thread for its lifetime, then restores the one before.
class CallerDeadlineScope {
 public:
  explicit CallerDeadlineScope(absl::Time deadline);
  ~CallerDeadlineScope();
  CallerDeadlineScope(const CallerDeadlineScope&) = delete;
  CallerDeadlineScope& operator=(const CallerDeadlineScope&) = delete;

 private:
  absl::Time previous_;
};

}  // namespace travio
