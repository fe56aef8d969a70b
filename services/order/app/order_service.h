#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "services/inventory/api/inventory_client.h"
#include "services/order/api/order_client.h"
#include "services/order/app/order_store.h"
#include "services/order/app/ports.h"
#include "services/payment/api/payment_client.h"

namespace travio::order {

struct OrderSettings {
  /// Who runs sagas here (the process's instance id): the lease owner.
  std::string instance_id;
  /// How long a runner owns a saga without writing to it; after that another runner (a
  /// restarted process, another replica) resumes it.
  absl::Duration saga_lease = absl::Seconds(30);
  /// Tries of a failing step in one run before the saga is parked to be resumed later, and the
  /// first wait between tries (doubled each time, at most `max_backoff`).
  int tries_per_run = 3;
  absl::Duration backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(30);
  /// How long a cancellation quote holds.
  absl::Duration quote_ttl = absl::Minutes(10);
  /// A test hook: "<step>:before" or "<step>:after" kills this process (SIGKILL) when a saga
  /// gets there, so tests can prove a restart finishes what was started. Empty in production.
  std::string crash_at;
};

/// Orders and the sagas that book and cancel them. Thread-safe.
///
/// The booking saga: fraud -> authorize (compensation: void) -> confirm_seats (the pivot,
/// fenced by the hold) -> capture -> confirm_order (order.confirmed.v1). A refused pivot runs
/// void_payment -> expire_order. A redirect payment waits at authorize until the provider's
/// webhook settles it or the order's deadline passes (then void_payment -> expire_order). The
/// cancellation saga: free_seats -> refund -> close_cancellation (order.cancelled.v1). Each step is
/// logged before and after it runs, so a process killed anywhere resumes the saga on restart
/// (ResumeSagas).
class OrderService final : public OrderClient {
 public:
  struct Ports {
    OrderStore& store;
    inventory::InventoryClient& inventory;
    payment::PaymentClient& payments;
    Departures& departures;
    FraudCheck& fraud;
    RefundPolicies& policies;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };

  OrderService(Ports ports, OrderSettings settings);

  absl::StatusOr<OrderView> CreateOrder(const CreateOrderCommand& command) override;
  absl::StatusOr<OrderView> GetOrder(const std::string& order_id) override;
  absl::StatusOr<OrderPage> ListOrders(const std::string& buyer, int limit,
                                       const std::string& cursor) override;
  absl::StatusOr<PayResult> Pay(const PayCommand& command) override;
  absl::StatusOr<CancelQuote> QuoteCancellation(const std::string& buyer,
                                                const std::string& order_id,
                                                const std::vector<std::string>& seats) override;
  absl::StatusOr<OrderView> Cancel(const std::string& buyer, const std::string& order_id,
                                   const std::string& quote_id) override;
  absl::StatusOr<std::vector<ManifestLine>> Manifest(const std::string& org_id,
                                                     const std::string& trip_id) override;
  absl::StatusOr<RefundPolicyView> GetRefundPolicy(const std::string& org_id) override;
  absl::StatusOr<RefundPolicyView> SetRefundPolicy(const std::string& org_id,
                                                   const RefundPolicy& policy) override;

  /// Resumes sagas whose runner died or that were parked to retry later; returns how many ran.
  absl::StatusOr<int> ResumeSagas();
  /// Expires pending orders past their deadline (their holds are released); returns how many.
  absl::StatusOr<int> ExpireOverdue();
  /// Consumes trip.cancelled.v1: every paid order on the trip is cancelled with a full refund,
  /// pending ones expire.
  absl::Status OnTripCancelled(const events::Event& event);
  /// Consumes payment.authorized/failed/voided.v1: a saga waiting for that payment (a redirect
  /// payment finished on the provider's page) is resumed now.
  absl::Status OnPaymentSettled(const events::Event& event);

 private:
  struct StepOutcome;
  // How the buyer pays, as the request said; absent when a saga is resumed.
  struct PaymentInput {
    std::string method = "card";
    std::optional<payment::Card> card;
  };

  absl::StatusOr<OrderRecord> LoadOrder(const std::string& order_id);
  absl::StatusOr<OrderRecord> LoadBuyersOrder(const std::string& buyer,
                                              const std::string& order_id);
  absl::StatusOr<OrderView> WithMoney(OrderView view);
  // Starts a cancellation saga for `quote` and runs it.
  absl::StatusOr<SagaRecord> StartCancellation(const OrderRecord& order, const QuoteRecord& quote);

  // Runs `saga` (leased by this instance) until it ends or is parked.
  absl::StatusOr<SagaRecord> Run(SagaRecord saga, const PaymentInput& input);
  StepOutcome BookingStep(SagaRecord& saga, OrderRecord& order, const PaymentInput& input);
  StepOutcome CancellationStep(SagaRecord& saga, OrderRecord& order);
  void CrashPoint(const std::string& step, const char* when) const;
  events::Event OrderEvent(const std::string& type, const OrderView& order,
                           const std::string& payload) const;

  Ports ports_;
  OrderSettings settings_;
};

}  // namespace travio::order
