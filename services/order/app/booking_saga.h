#pragma once

#include <optional>
#include <string>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "services/inventory/api/inventory_client.h"
#include "services/order/app/ports.h"
#include "services/order/app/saga_runner.h"
#include "services/payment/api/payment_client.h"

namespace travio::order {

/// How the buyer pays, as the request said; absent when a saga is resumed (the card is never
/// stored).
struct PaymentInput {
  std::string method = "card";
  std::optional<payment::Card> card;
};

/// The booking saga's steps: fraud -> authorize (compensation: void) -> confirm_seats (the
/// pivot, fenced by the hold) -> capture -> confirm_order (order.confirmed.v1).
///
/// Compensations run in reverse: a refused pivot or a timed-out redirect payment runs
/// void_payment -> expire_order; a refused capture release_booking -> void_payment ->
/// expire_order; an order closed while it was being paid (its trip cancelled during the
/// capture) release_booking -> refund_payment -> expire_order, so money is never kept for seats
/// that are not sold. A redirect payment waits at authorize for the provider's webhook, until
/// the order's deadline.
class BookingSaga final : public SagaSteps {
 public:
  struct Ports {
    inventory::InventoryClient& inventory;
    payment::PaymentClient& payments;
    FraudCheck& fraud;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };

  BookingSaga(Ports ports, PaymentInput input)
      : ports_(std::move(ports)), input_(std::move(input)) {}

  StepOutcome Run(SagaRecord& saga, OrderRecord& order) override;

 private:
  StepOutcome Fraud(SagaRecord& saga, const OrderRecord& order);
  StepOutcome Authorize(SagaRecord& saga, const OrderRecord& order);
  StepOutcome ConfirmSeats(SagaRecord& saga, const OrderRecord& order);
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
