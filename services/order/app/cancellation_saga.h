#pragma once

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "services/inventory/api/inventory_client.h"
#include "services/order/app/order_store.h"
#include "services/order/app/saga_runner.h"
#include "services/payment/api/payment_client.h"

namespace travio::order {

/// The cancellation saga's steps: free_seats -> refund (keyed by the quote, so never twice) ->
/// close_cancellation (the seats cancelled in the order, order.cancelled.v1). It cancels
/// exactly what its quote named; the quote was accepted only at the order version it was made
/// on, and one saga at a time runs on an order, so no seat is freed or refunded twice.
class CancellationSaga final : public SagaSteps {
 public:
  struct Ports {
    OrderStore& store;
    inventory::InventoryClient& inventory;
    payment::PaymentClient& payments;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };

  explicit CancellationSaga(Ports ports) : ports_(std::move(ports)) {}

  StepOutcome Run(SagaRecord& saga, OrderRecord& order) override;

 private:
  Ports ports_;
};

}  // namespace travio::order
