#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/event.h"
#include "services/order/api/order_client.h"
#include "services/order/app/saga.h"

namespace travio::order {

/// An order as stored: the view without payments and refunds (the payment service keeps
/// those), the hold's version that fences the confirmation, and a version for optimistic
/// updates.
struct OrderRecord {
  OrderView view;
  int64_t hold_version = 0;
  std::string payment_id;  // the captured payment, once confirmed
  /// The operator's refund policy when the order was made: its cancellations are quoted under
  /// it, whatever the operator sets later. Absent for orders older than this rule.
  std::optional<RefundPolicy> refund_policy;
  int64_t version = 1;
  /// The request that made it (CreateOrderCommand::request_key; empty for older orders).
  std::string request_key;
};

struct QuoteRecord {
  CancelQuote quote;
  std::string buyer;
  /// The order's version the quote was made on: it can only be accepted while the order is
  /// still at that version (a cancellation in between makes it stale).
  int64_t order_version = 0;
  absl::Time created_at;
};

/// Cards declined by the provider (SagaRecord::card_declined), across every operator.
struct FailedPayments {
  int64_t by_buyer = 0;             // of the buyer's orders
  int64_t by_address = 0;           // requested from the client address
  int64_t attempts_by_address = 0;  // every payment requested from it, declined or not
};

/// The order service's database: orders with their items, sagas with their logs, cancellation
/// quotes. Events passed in are appended to the outbox in the same transaction.
class OrderStore {
 public:
  virtual ~OrderStore() = default;

  /// kAlreadyExists `hold_already_ordered` when the hold already has an order.
  virtual absl::Status CreateOrder(const OrderRecord& order, const events::Event& event) = 0;
  virtual absl::StatusOr<std::optional<OrderRecord>> FindOrder(const std::string& order_id) = 0;
  virtual absl::StatusOr<std::optional<OrderRecord>> FindOrderByHold(
      const std::string& hold_id) = 0;
  /// The buyer's orders with ids below `before_id` (all when empty), newest first.
  virtual absl::StatusOr<std::vector<OrderRecord>> OrdersOfBuyer(const std::string& buyer,
                                                                 int limit,
                                                                 const std::string& before_id) = 0;
  /// Orders on a trip in any of `statuses`.
  virtual absl::StatusOr<std::vector<OrderRecord>> OrdersOnTrip(
      const std::string& trip_id, const std::vector<OrderStatus>& statuses) = 0;
  /// The operator's orders in `status` with ids above `after_id` (all when empty), oldest first.
  virtual absl::StatusOr<std::vector<OrderRecord>> OrdersOfOrgIn(OrderStatus status,
                                                                 const std::string& org_id,
                                                                 int limit,
                                                                 const std::string& after_id) = 0;
  /// The operator's orders matching `query` with ids below its cursor (all when empty), newest
  /// first, at most `limit`.
  virtual absl::StatusOr<std::vector<OrderRecord>> OrdersOfOrg(const OrgOrderQuery& query,
                                                               int limit) = 0;
  /// The operator's paid orders placed since `since`, summed per currency.
  virtual absl::StatusOr<std::vector<SalesTotal>> SalesOfOrgSince(const std::string& org_id,
                                                                  absl::Time since) = 0;
  /// Declined cards since `since`: of `buyer`'s orders, and requested from `client_address`
  /// with every payment requested from it (0 when it is empty).
  virtual absl::StatusOr<FailedPayments> FailedPaymentsSince(const std::string& buyer,
                                                             const std::string& client_address,
                                                             absl::Time since) = 0;
  /// Pending orders past their deadline with no saga running.
  virtual absl::StatusOr<std::vector<OrderRecord>> Overdue(absl::Time now, int limit) = 0;
  /// Writes the order (status, items, booking, payment) when its stored version is
  /// `order.version - 1`; kAborted `order_changed` otherwise.
  virtual absl::Status UpdateOrder(const OrderRecord& order, const events::Event& event) = 0;

  /// Starts a saga with its first log entry, if the order is still at `order_version`:
  /// kAborted `order_changed` when it is not (something changed it since the caller read it),
  /// kAlreadyExists `saga_running` when the order has a running saga already.
  virtual absl::Status StartSaga(const SagaRecord& saga, const SagaLogEntry& entry,
                                 int64_t order_version) = 0;
  /// Writes the saga and appends `entry` to its log, if `owner` still holds its lease; false
  /// when another runner took it over (the caller stops).
  virtual absl::StatusOr<bool> SaveSaga(const SagaRecord& saga, const SagaLogEntry& entry,
                                        const std::string& owner) = 0;
  /// As SaveSaga, together with the order's update and its event, in one transaction.
  virtual absl::StatusOr<bool> SaveSagaAndOrder(const SagaRecord& saga, const SagaLogEntry& entry,
                                                const std::string& owner, const OrderRecord& order,
                                                const events::Event& event) = 0;
  /// Sagas still running, per kind that has any: how many, and when the oldest began.
  struct RunningSagas {
    SagaKind kind = SagaKind::kBooking;
    int64_t count = 0;
    absl::Time oldest_started;
  };
  virtual absl::StatusOr<std::vector<RunningSagas>> RunningSagaBacklog() = 0;
  /// Running sagas whose lease ran out and whose resume time has come.
  virtual absl::StatusOr<std::vector<SagaRecord>> Resumable(absl::Time now, int limit) = 0;
  /// Takes over a running saga whose lease ran out; false when another runner was first.
  virtual absl::StatusOr<bool> ClaimSaga(const std::string& saga_id, const std::string& owner,
                                         absl::Time lease_until, absl::Time now) = 0;
  virtual absl::StatusOr<std::optional<SagaRecord>> FindSaga(const std::string& saga_id) = 0;
  /// The running saga waiting for `payment_id`, if any.
  virtual absl::StatusOr<std::optional<SagaRecord>> RunningSagaOfPayment(
      const std::string& payment_id) = 0;
  /// Makes a running saga resumable now (its payment was settled by the provider).
  virtual absl::Status WakeSaga(const std::string& saga_id, absl::Time now) = 0;
  /// The order's sagas, oldest first.
  virtual absl::StatusOr<std::vector<SagaRecord>> SagasOfOrder(const std::string& order_id) = 0;
  virtual absl::StatusOr<std::vector<SagaLogEntry>> SagaLog(const std::string& saga_id) = 0;

  virtual absl::Status SaveQuote(const QuoteRecord& quote) = 0;
  virtual absl::StatusOr<std::optional<QuoteRecord>> FindQuote(const std::string& quote_id) = 0;
};

}  // namespace travio::order
