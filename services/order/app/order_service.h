#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/clock.h"
#include "platform/base/crash_point.h"
#include "platform/base/ids.h"
#include "platform/events/bus.h"
#include "platform/log/logger.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/api/inventory_client.h"
#include "services/order/api/order_client.h"
#include "services/order/app/booking_saga.h"
#include "services/order/app/cancellation_saga.h"
#include "services/order/app/order_store.h"
#include "services/order/app/ports.h"
#include "services/order/app/saga_runner.h"
#include "services/payment/api/payment_client.h"
#include "services/payment/api/payment_events.h"
#include "services/subscription/api/subscription_client.h"

namespace travio::order {

struct OrderSettings {
  SagaSettings sagas;
  /// How long a cancellation quote holds at most (less when its refund tier ends sooner).
  absl::Duration quote_ttl = absl::Minutes(10);
  /// The saga crash test hook (platform/base/crash_point.h); disarmed in production.
  CrashPoint crash_point;
  /// What the booking saga does when fraud does not answer in time.
  FraudPolicy fraud;
};

/// Orders, and the sagas that book and cancel them (booking_saga.h, cancellation_saga.h, run by
/// saga_runner.h). Thread-safe. Its parts: orders.cc (creating and reading orders, refund
/// policies), paying.cc, cancelling.cc, and event_handlers.cc (trip cancellations, settled
/// payments, the recovery loop's work).
class OrderService final : public OrderClient {
 public:
  struct Ports {
    OrderStore& store;
    inventory::InventoryClient& inventory;
    payment::PaymentClient& payments;
    Departures& departures;
    fraud::FraudClient& fraud;
    /// The operator's plan: each order is one of its bookings this month.
    subscription::QuotaGate& quota;
    RefundPolicies& policies;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
    metrics::Registry* metrics = nullptr;
  };

  OrderService(Ports ports, OrderSettings settings);

  absl::StatusOr<OrderView> CreateOrder(const CreateOrderCommand& command) override;
  absl::StatusOr<OrderView> GetOrder(const std::string& order_id) override;
  absl::StatusOr<OrderPage> ListOrders(const std::string& buyer, int limit,
                                       const std::string& cursor) override;
  absl::StatusOr<OrderPage> OrgOrders(const OrgOrderQuery& query) override;
  absl::StatusOr<std::vector<SalesTotal>> SalesSince(const std::string& org_id,
                                                     absl::Time since) override;
  absl::StatusOr<PayResult> Pay(const PayCommand& command) override;
  absl::StatusOr<CancelQuote> QuoteCancellation(const std::string& buyer,
                                                const std::string& order_id,
                                                const std::vector<std::string>& seats) override;
  absl::StatusOr<OrderView> Cancel(const std::string& buyer, const std::string& order_id,
                                   const std::string& quote_id) override;
  absl::StatusOr<std::vector<ManifestLine>> Manifest(const std::string& org_id,
                                                     const std::string& trip_id) override;
  absl::StatusOr<OrderPage> OrdersUnderReview(const std::string& org_id, int limit,
                                              const std::string& cursor) override;
  absl::StatusOr<OrderView> DecideReview(const std::string& org_id, const std::string& order_id,
                                         bool approve, const std::string& reviewer) override;
  absl::StatusOr<RefundPolicyView> GetRefundPolicy(const std::string& org_id) override;
  absl::StatusOr<RefundPolicyView> SetRefundPolicy(const std::string& org_id,
                                                   const RefundPolicy& policy) override;

  /// Resumes sagas whose runner died or that were parked to retry or wait; returns how many ran.
  absl::StatusOr<int> ResumeSagas();
  /// Expires pending orders past their deadline (their holds are released); returns how many.
  absl::StatusOr<int> ExpireOverdue();
  /// Sets the saga backlog's gauges (travio_saga_running{saga},
  /// travio_saga_oldest_running_seconds{saga}): sagas that began and have not ended, parked ones
  /// included. Nothing without a metrics registry.
  absl::Status ReportSagaBacklog();
  /// trip.cancelled.v1: every paid order on the trip is cancelled with a full refund (after any
  /// cancellation already running on it: the event is then delivered again later), pending
  /// ones expire.
  absl::Status OnTripCancelled(const catalog::PublishedTrip& trip);
  /// payment.authorized/failed/voided.v1: a saga waiting for that payment (a redirect payment
  /// finished on the provider's page) is resumed now.
  absl::Status OnPaymentSettled(const payment::PaymentChanged& payment);

  const log::Logger& logger() const { return ports_.logger; }

 private:
  /// Reserves `booking` with the operator's plan: true when made. A full plan is refused with
  /// what a traveller may be told; a subscription service that does not answer lets the order
  /// through unreserved (false).
  absl::StatusOr<bool> ReserveBooking(const subscription::QuotaUse& booking);
  absl::StatusOr<OrderRecord> LoadOrder(const std::string& order_id);
  absl::StatusOr<OrderRecord> LoadBuyersOrder(const std::string& buyer,
                                              const std::string& order_id);
  absl::StatusOr<OrderView> WithMoney(OrderView view);
  // A request key is a SHA-256 digest in lowercase hex, or empty: nothing else is kept, whoever
  // calls (kInvalidArgument validation_failed).
  static absl::Status CheckRequestKey(const std::string& key);
  // A request for a hold the buyer already ordered: the order, when it is the request that
  // made it (its retry), else kAlreadyExists `hold_already_ordered`.
  absl::StatusOr<OrderView> OrderOfHold(const OrderRecord& ordered,
                                        const CreateOrderCommand& command);
  // kInvalidArgument invalid_limit or invalid_cursor for a page no list gives out.
  static absl::Status CheckPage(int limit, const std::string& cursor);
  events::Header EventHeader(const OrderView& order) const;
  // The policy the order's cancellations are quoted under: the one in force when it was made.
  absl::StatusOr<RefundPolicy> PolicyOf(const OrderRecord& order);

  BookingSaga Booking(PaymentInput input);
  CancellationSaga Cancellation();
  // Starts a cancellation saga for `quote`, fenced by the order version it was quoted on.
  absl::StatusOr<SagaRecord> StartCancellation(const QuoteRecord& quote);
  absl::StatusOr<PayResult> PaymentOutcome(const OrderRecord& order, const SagaRecord& saga);

  Ports ports_;
  OrderSettings settings_;
  SagaRunner runner_;
  metrics::Family<metrics::Gauge>* sagas_running_ = nullptr;        // by kind
  metrics::Family<metrics::Gauge>* oldest_saga_running_ = nullptr;  // by kind, in seconds
};

/// Subscribes `service` to what it acts on: the catalog's trip.cancelled.v1 and the payment
/// service's settled payments. An event whose payload does not read is logged and dropped.
void FollowEvents(events::Bus& bus, const std::shared_ptr<OrderService>& service);

}  // namespace travio::order
