#pragma once

// The order service's sagas as records: which kind, where it is, what each step did. The two
// kinds' steps live in booking_saga.h and cancellation_saga.h; saga_runner.h runs them.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/base/enum_names.h"
#include "platform/events/event.h"

namespace travio::order {

enum class SagaKind { kBooking, kCancellation };
inline constexpr EnumName<SagaKind> kSagaKindNames[] = {
    {SagaKind::kBooking, "booking"},
    {SagaKind::kCancellation, "cancellation"},
};

/// Running until it ends completed (forward to the end), failed (nothing was done that needs
/// undoing) or compensated (what was done was undone).
enum class SagaStatus { kRunning, kCompleted, kFailed, kCompensated };
inline constexpr EnumName<SagaStatus> kSagaStatusNames[] = {
    {SagaStatus::kRunning, "running"},
    {SagaStatus::kCompleted, "completed"},
    {SagaStatus::kFailed, "failed"},
    {SagaStatus::kCompensated, "compensated"},
};

/// The steps of both kinds, by the names the saga log and the crash test hook use.
enum class SagaStep {
  // booking, forward
  kAuthorize,
  kConfirmSeats,
  kFraud,
  kAwaitReview,
  kCapture,
  kConfirmOrder,
  // booking, compensations
  kReleaseBooking,
  kVoidPayment,
  kRefundPayment,
  kExpireOrder,
  // cancellation
  kFreeSeats,
  kRefund,
  kCloseCancellation,
};
inline constexpr EnumName<SagaStep> kSagaStepNames[] = {
    {SagaStep::kAuthorize, "authorize"},
    {SagaStep::kConfirmSeats, "confirm_seats"},
    {SagaStep::kFraud, "fraud"},
    {SagaStep::kAwaitReview, "await_review"},
    {SagaStep::kCapture, "capture"},
    {SagaStep::kConfirmOrder, "confirm_order"},
    {SagaStep::kReleaseBooking, "release_booking"},
    {SagaStep::kVoidPayment, "void_payment"},
    {SagaStep::kRefundPayment, "refund_payment"},
    {SagaStep::kExpireOrder, "expire_order"},
    {SagaStep::kFreeSeats, "free_seats"},
    {SagaStep::kRefund, "refund"},
    {SagaStep::kCloseCancellation, "close_cancellation"},
};
inline std::string_view SagaStepName(SagaStep step) { return NameOf(kSagaStepNames, step); }

/// One run of the booking or cancellation saga. `step` is the next step to run; the saga log
/// keeps what each step did.
struct SagaRecord {
  std::string id;
  std::string order_id;
  SagaKind kind = SagaKind::kBooking;
  SagaStatus status = SagaStatus::kRunning;
  SagaStep step = SagaStep::kAuthorize;
  std::string payment_id;
  std::string booking_id;
  std::string quote_id;
  std::string failure_code;
  int attempts = 0;  // failed tries of the current step
  std::string lease_owner;
  absl::Time lease_until;
  absl::Time resume_at;
  absl::Time created_at;
  absl::Time updated_at;
  /// Where the payment request came from (fraud's velocity per address); empty when unknown.
  std::string client_address;
  /// The card was refused by the provider (not an interrupted or redirect payment): what card
  /// testing leaves behind, counted before another authorization is asked for.
  bool card_declined = false;
  /// The trace of the request that began the saga (platform/trace): a saga resumed later, by
  /// the recovery loop or a webhook, goes on in it. Empty when it began outside any.
  std::string trace_id = "";
  /// The payment request that began it (PayCommand::request_key; empty: none, or older).
  std::string request_key = "";
};

/// A line of the saga log: `step` ("saga" for the start) and what became of it (started,
/// succeeded, parked, waiting, or how the saga ended).
struct SagaLogEntry {
  int64_t seq = 0;
  std::string step;
  std::string outcome;
  std::string detail;
  absl::Time at;
};

/// What one step did: go on to `next`, try again later (`error`), wait for something outside
/// (until `resume_at` at the latest), or end the saga with `end_status`. With `order_changed`
/// the order (and `event`) is written together with the saga; a wait with `order_changed` is
/// fenced by the order's version: when the order changed since the step read it, the step runs
/// again at once on the order as it is.
struct StepOutcome {
  enum class Kind { kNext, kRetry, kWait, kEnd };
  Kind kind = Kind::kNext;
  SagaStep next = SagaStep::kAuthorize;
  SagaStatus end_status = SagaStatus::kCompleted;
  std::string detail;
  absl::Status error;
  bool order_changed = false;
  events::Event event;
  absl::Time resume_at;

  static StepOutcome Next(SagaStep next, std::string detail = "") {
    StepOutcome outcome;
    outcome.next = next;
    outcome.detail = std::move(detail);
    return outcome;
  }
  static StepOutcome End(SagaStatus status, std::string detail = "") {
    StepOutcome outcome;
    outcome.kind = Kind::kEnd;
    outcome.end_status = status;
    outcome.detail = std::move(detail);
    return outcome;
  }
  static StepOutcome Retry(absl::Status error) {
    StepOutcome outcome;
    outcome.kind = Kind::kRetry;
    outcome.detail = error.ToString();
    outcome.error = std::move(error);
    return outcome;
  }
  static StepOutcome Wait(absl::Time until, std::string detail) {
    StepOutcome outcome;
    outcome.kind = Kind::kWait;
    outcome.detail = std::move(detail);
    outcome.resume_at = until;
    return outcome;
  }
};

}  // namespace travio::order
