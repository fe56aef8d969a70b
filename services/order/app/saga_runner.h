#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/base/crash_point.h"
#include "platform/log/logger.h"
#include "services/order/app/order_store.h"
#include "services/order/app/saga.h"

namespace travio::order {

/// The steps of one kind of saga: runs `saga.step` on `order` and says what comes next. It may
/// record what it learnt in `saga` (the payment, the booking, a failure code) and change
/// `order` (then the outcome says so, and the runner writes both together).
class SagaSteps {
 public:
  virtual ~SagaSteps() = default;
  virtual StepOutcome Run(SagaRecord& saga, OrderRecord& order) = 0;
};

struct SagaSettings {
  /// Who runs sagas here (the process's instance id): the lease owner.
  std::string instance_id;
  /// How long a runner owns a saga without writing to it; after that another runner (a
  /// restarted process, another replica) resumes it.
  absl::Duration lease = absl::Seconds(30);
  /// The wait before a failing step is tried again, doubled with each failure in a row, at most
  /// `max_backoff`.
  absl::Duration backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(30);
};

/// Runs sagas step by step under a lease, logging each step before and after it runs, so that a
/// process killed anywhere leaves a saga another runner resumes from where it was. A step that
/// fails in a way worth another try parks the saga (its lease given up, resumed after a
/// backoff by the recovery loop): a caller's request never waits out a retry.
class SagaRunner {
 public:
  SagaRunner(OrderStore& store, const Clock& clock, log::Logger logger, SagaSettings settings,
             CrashPoint crash_point = {});

  /// A new running saga of `kind` on `order_id`, starting at `first`, leased to this runner.
  SagaRecord NewSaga(std::string id, std::string order_id, SagaKind kind, SagaStep first) const;

  /// Records `saga` (if the order is still at `order_version`: OrderStore::StartSaga's errors
  /// otherwise) and runs it.
  absl::StatusOr<SagaRecord> Start(SagaRecord saga, int64_t order_version, SagaSteps& steps);

  /// Runs `saga`, leased by this runner, until it ends, waits or is parked; stops early when
  /// another runner took the lease over. Returns the saga as it was left.
  absl::StatusOr<SagaRecord> Run(SagaRecord saga, SagaSteps& steps);

  /// Runs the saga now, whatever its resume time (staff decided what it waits for); the saga
  /// as another runner left it when that runner holds it.
  absl::StatusOr<SagaRecord> ResumeNow(const std::string& saga_id, SagaSteps& steps);

  /// Resumes sagas whose runner died or whose time came (at most `limit`), each with the
  /// steps `steps_for` gives for its kind; returns how many ran.
  absl::StatusOr<int> ResumeDue(int limit,
                                const std::function<SagaSteps&(const SagaRecord&)>& steps_for);

 private:
  absl::StatusOr<bool> Save(SagaRecord& saga, SagaStep step, std::string outcome,
                            std::string detail);

  OrderStore& store_;
  const Clock& clock_;
  log::Logger logger_;
  SagaSettings settings_;
  CrashPoint crash_point_;
};

}  // namespace travio::order
