#pragma once

#include <optional>
#include <string>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/fraud/api/fraud_client.h"
#include "services/inventory/api/inventory_client.h"
#include "services/order/app/ports.h"
#include "services/order/app/saga_runner.h"
#include "services/payment/api/payment_client.h"

namespace travio::order {

/// Cash taken by an operator's staff at the counter (never a traveller's choice).
inline constexpr char kCashMethod[] = "cash";

/// How the buyer pays, as the request said; absent when a saga is resumed (the card is never
/// stored).
struct PaymentInput {
  std::string method = "card";
  std::optional<payment::Card> card;
  /// Cash: the staff member who took it, the payment's payer.
  std::string collected_by;
};

/// A trip's seats and berths, and how many of them are still for sale; 0 and 0 when unknown.
struct TripSeats {
  int capacity = 0;
  int unsold = 0;
};

/// What the saga does when the fraud service does not answer within `deadline`: decide
/// `fallback` alone, and count it.
struct FraudPolicy {
  /// Off: orders are not screened at all (a deployment whose payment provider screens cards
  /// itself; the benchmarks' baseline).
  bool screening = true;
  fraud::Decision fallback = fraud::Decision::kAllow;
  absl::Duration deadline = absl::Seconds(2);
  /// How long a review made by the fallback waits for staff.
  absl::Duration fallback_review_for = absl::Hours(2);
  /// The longest any review may wait, whatever the operator's setting: a card authorization
  /// lapses at the bank after some days, and money is not kept reserved past that.
  absl::Duration review_limit = absl::Hours(72);
  /// An order held for review with less than this left before departure is denied instead.
  absl::Duration shortest_review = absl::Hours(2);
  /// At most this share of a trip's seats (percent), and half of those still for sale, may be
  /// held for review at once; beyond it a review is a denial. Without the trip's capacity, at
  /// most this many seats.
  int review_share_percent = 20;
  int review_seats_without_capacity = 8;
  metrics::Family<metrics::Counter>* fallbacks = nullptr;  // by decision
};

/// The booking saga's steps: authorize (compensation: void) -> confirm_seats (fenced by the
/// hold; compensation: release) -> fraud -> [await_review] -> capture (the pivot) ->
/// confirm_order (order.confirmed.v1).
///
/// Fraud decides with the money reserved and the seats booked, so each of its answers has an
/// undo: allow goes on to capture; deny runs release_booking -> void_payment -> expire_order
/// (`risk_declined`); review marks the order under_review and waits at await_review until staff
/// approve (capture, confirm) or reject, or the review's deadline passes (both release_booking
/// -> void_payment -> expire_order). A fraud service that does not answer in time is replaced
/// by FraudPolicy's fallback decision.
///
/// Other compensations: a refused confirmation or a timed-out redirect payment runs
/// void_payment -> expire_order; a refused capture release_booking -> void_payment ->
/// expire_order; an order closed while it was being paid (its trip cancelled during the
/// capture) release_booking -> refund_payment -> expire_order, so money is never kept for seats
/// that are not sold. A redirect payment waits at authorize for the provider's webhook, until
/// the order's deadline.
class BookingSaga final : public SagaSteps {
 public:
  struct Ports {
    OrderStore& store;
    inventory::InventoryClient& inventory;
    payment::PaymentClient& payments;
    fraud::FraudClient& fraud;
    const FraudPolicy& fraud_policy;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };

  BookingSaga(Ports ports, PaymentInput input)
      : ports_(std::move(ports)), input_(std::move(input)) {}

  /// The saga's first step.
  static constexpr SagaStep kFirst = SagaStep::kAuthorize;

  StepOutcome Run(SagaRecord& saga, OrderRecord& order) override;

 private:
  StepOutcome Authorize(SagaRecord& saga, const OrderRecord& order);
  StepOutcome ConfirmSeats(SagaRecord& saga, const OrderRecord& order);
  StepOutcome Fraud(SagaRecord& saga, OrderRecord& order);
  StepOutcome AwaitReview(SagaRecord& saga, OrderRecord& order);
  // Fraud's decision on the order, or the fallback's when fraud does not answer; an error when
  // the order's payment cannot be read.
  absl::StatusOr<fraud::Assessment> Assess(const SagaRecord& saga, const OrderRecord& order,
                                           int capacity);
  // When a review of the order ends; or, when it cannot be held (too little time before
  // departure, too many of the trip's seats already under review), the assessment turned into a
  // denial and InfinitePast.
  absl::StatusOr<absl::Time> HoldForReview(const OrderRecord& order, fraud::Assessment& assessment,
                                           const TripSeats& trip, absl::Time now);
  StepOutcome Capture(SagaRecord& saga);
  StepOutcome ConfirmOrder(SagaRecord& saga, OrderRecord& order);
  StepOutcome ReleaseBooking(SagaRecord& saga, const OrderRecord& order);
  StepOutcome VoidPayment(SagaRecord& saga);
  StepOutcome RefundPayment(SagaRecord& saga, const OrderRecord& order);
  StepOutcome ExpireOrder(SagaRecord& saga, OrderRecord& order);

  Ports ports_;
  PaymentInput input_;
};

/// Failures worth another try: the other side may answer next time.
bool Retriable(const absl::Status& status);

}  // namespace travio::order
