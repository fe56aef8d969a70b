#include "services/order/app/saga_runner.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/trace/trace_context.h"

namespace travio::order {
namespace {

std::string StatusName(SagaStatus status) { return std::string(NameOf(kSagaStatusNames, status)); }

}  // namespace

SagaRunner::SagaRunner(OrderStore& store, const Clock& clock, log::Logger logger,
                       SagaSettings settings, CrashPoint crash_point)
    : store_(store),
      clock_(clock),
      logger_(std::move(logger)),
      settings_(std::move(settings)),
      crash_point_(std::move(crash_point)) {}

SagaRecord SagaRunner::NewSaga(std::string id, std::string order_id, SagaKind kind,
                               SagaStep first) const {
  const absl::Time now = clock_.Now();
  SagaRecord saga;
  saga.id = std::move(id);
  saga.order_id = std::move(order_id);
  saga.kind = kind;
  saga.status = SagaStatus::kRunning;
  saga.step = first;
  saga.lease_owner = settings_.instance_id;
  saga.lease_until = now + settings_.lease;
  saga.resume_at = now;
  saga.created_at = saga.updated_at = now;
  saga.trace_id = trace::CurrentTraceId();
  return saga;
}

absl::StatusOr<SagaRecord> SagaRunner::Start(SagaRecord saga, int64_t order_version,
                                             SagaSteps& steps) {
  const std::string kind(NameOf(kSagaKindNames, saga.kind));
  TRAVIO_RETURN_IF_ERROR(store_.StartSaga(
      saga, {.seq = 0, .step = "saga", .outcome = "started", .detail = kind, .at = clock_.Now()},
      order_version));
  return Run(std::move(saga), steps);
}

absl::StatusOr<bool> SagaRunner::Save(SagaRecord& saga, SagaStep step, std::string outcome,
                                      std::string detail) {
  return store_.SaveSaga(saga,
                         {.seq = 0,
                          .step = std::string(SagaStepName(step)),
                          .outcome = std::move(outcome),
                          .detail = std::move(detail),
                          .at = saga.updated_at},
                         settings_.instance_id);
}

absl::StatusOr<SagaRecord> SagaRunner::Run(SagaRecord saga, SagaSteps& steps) {
  // Resumed outside the request that began it (the recovery loop, a webhook): its lines, calls
  // and events go on in that request's trace.
  const trace::ResumeScope in_its_trace(saga.trace_id);
  // Read once; again only when a write found it changed by someone else (its version).
  std::optional<OrderRecord> loaded;
  while (saga.status == SagaStatus::kRunning) {
    if (!loaded) {
      TRAVIO_ASSIGN_OR_RETURN(std::optional<OrderRecord> found, store_.FindOrder(saga.order_id));
      if (!found) return absl::InternalError(absl::StrCat("saga ", saga.id, " has no order"));
      loaded = *std::move(found);
    }
    OrderRecord& order = *loaded;
    const SagaStep step = saga.step;
    const std::string name(SagaStepName(step));
    saga.updated_at = clock_.Now();
    saga.lease_until = saga.updated_at + settings_.lease;
    TRAVIO_ASSIGN_OR_RETURN(bool mine, Save(saga, step, "started", ""));
    if (!mine) return saga;
    crash_point_.Reach(name + ":before");
    StepOutcome outcome = steps.Run(saga, order);
    crash_point_.Reach(name + ":after");
    saga.updated_at = clock_.Now();

    if (outcome.kind == StepOutcome::Kind::kRetry || outcome.kind == StepOutcome::Kind::kWait) {
      // Parked: the lease is given up, and the recovery loop resumes the saga at `resume_at`
      // (a retry after its backoff; a wait when woken, or at its deadline).
      std::string result = "waiting";
      if (outcome.kind == StepOutcome::Kind::kRetry) {
        ++saga.attempts;
        const absl::Duration backoff = std::min(
            settings_.max_backoff, settings_.backoff * (1 << std::min(saga.attempts - 1, 16)));
        saga.resume_at = saga.updated_at + backoff;
        result = "parked";
      } else {
        saga.resume_at = outcome.resume_at;
      }
      saga.lease_until = saga.updated_at;
      if (outcome.order_changed) {
        // A wait fenced by the order: whoever changed the order since it was read (staff
        // deciding a review, a cancelled trip) wakes the step at once instead of being slept
        // through until the wait's deadline.
        ++order.version;
        auto parked = store_.SaveSagaAndOrder(saga,
                                              {.seq = 0,
                                               .step = name,
                                               .outcome = result,
                                               .detail = outcome.detail,
                                               .at = saga.updated_at},
                                              settings_.instance_id, order, outcome.event);
        if (IsReason(parked.status(), reasons::kOrderChanged)) {
          saga.lease_until = saga.updated_at + settings_.lease;
          loaded.reset();
          continue;
        }
        TRAVIO_RETURN_IF_ERROR(parked.status());
        return saga;
      }
      TRAVIO_RETURN_IF_ERROR(Save(saga, step, result, outcome.detail).status());
      return saga;
    }

    saga.attempts = 0;
    std::string result = "succeeded";
    if (outcome.kind == StepOutcome::Kind::kNext) {
      saga.step = outcome.next;
    } else {
      saga.status = outcome.end_status;
      result = StatusName(outcome.end_status);
    }
    const SagaLogEntry entry{
        .seq = 0, .step = name, .outcome = result, .detail = outcome.detail, .at = saga.updated_at};
    if (!outcome.order_changed) {
      TRAVIO_ASSIGN_OR_RETURN(mine, store_.SaveSaga(saga, entry, settings_.instance_id));
      if (!mine) return saga;
      continue;
    }
    ++order.version;
    order.view.updated_at = saga.updated_at;
    auto saved = store_.SaveSagaAndOrder(saga, entry, settings_.instance_id, order, outcome.event);
    if (IsReason(saved.status(), reasons::kOrderChanged)) {
      // Someone else changed the order meanwhile (an expiry, a cancelled trip): the step runs
      // again on the order as it is now.
      saga.status = SagaStatus::kRunning;
      saga.step = step;
      loaded.reset();
      continue;
    }
    if (!saved.ok()) return saved.status();
    if (!*saved) return saga;
  }
  return saga;
}

absl::StatusOr<SagaRecord> SagaRunner::ResumeNow(const std::string& saga_id, SagaSteps& steps) {
  const absl::Time now = clock_.Now();
  // Claimed before it is made due: woken first, the recovery loop could take it in between,
  // and the caller would answer with the saga not yet run.
  TRAVIO_ASSIGN_OR_RETURN(
      bool claimed, store_.ClaimSaga(saga_id, settings_.instance_id, now + settings_.lease, now));
  // Due now, whoever holds it: should this runner stop before it runs, or the runner holding it
  // have died mid-step, it is resumed as soon as the lease ends rather than at the deadline it
  // was waiting for.
  TRAVIO_RETURN_IF_ERROR(store_.WakeSaga(saga_id, now));
  TRAVIO_ASSIGN_OR_RETURN(std::optional<SagaRecord> saga, store_.FindSaga(saga_id));
  if (!saga) return absl::InternalError(absl::StrCat("saga ", saga_id, " vanished"));
  if (!claimed) return *std::move(saga);
  return Run(*std::move(saga), steps);
}

absl::StatusOr<int> SagaRunner::ResumeDue(
    int limit, const std::function<SagaSteps&(const SagaRecord&)>& steps_for) {
  const absl::Time now = clock_.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas, store_.Resumable(now, limit));
  int resumed = 0;
  for (SagaRecord& saga : sagas) {
    const absl::Time lease_until = now + settings_.lease;
    TRAVIO_ASSIGN_OR_RETURN(bool claimed,
                            store_.ClaimSaga(saga.id, settings_.instance_id, lease_until, now));
    if (!claimed) continue;
    saga.lease_owner = settings_.instance_id;
    saga.lease_until = lease_until;
    logger_.Info(
        "resuming a saga",
        {{"saga_id", saga.id}, {"order_id", saga.order_id}, {"step", SagaStepName(saga.step)}});
    auto ran = Run(saga, steps_for(saga));
    if (!ran.ok()) {
      logger_.Warn("a resumed saga stopped", {{"error", ran.status().ToString()}});
    }
    ++resumed;
  }
  return resumed;
}

}  // namespace travio::order
