#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/paging/paging.h"
#include "services/fraud/api/fraud_client.h"
#include "services/order/domain/order.h"
#include "services/order/domain/refund_policy.h"
#include "services/payment/api/payment_client.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::order {

using payment::PaymentView;
using payment::RefundView;

/// What fraud decided about an order when it was paid, and what staff decided about a review.
/// Shown to the operator's staff, never to the buyer.
struct OrderRisk {
  fraud::Assessment assessment;
  /// Under review: when an undecided review is rejected.
  absl::Time review_deadline = absl::InfinitePast();
  /// The review's end: "" while undecided (or never reviewed), approved, rejected, expired.
  std::string verdict;
  std::string reviewer;  // the staff member's user id
  absl::Time reviewed_at = absl::InfinitePast();
  bool operator==(const OrderRisk&) const = default;
};

/// An order as buyers and operators see it, with its payments and refunds.
struct OrderView {
  std::string id;
  OrderStatus status = OrderStatus::kPendingPayment;
  std::string org_id;
  std::string trip_id;
  std::string buyer;
  std::string hold_id;
  std::string from;  // station codes of the journey
  std::string to;
  absl::Time departs_at;
  std::vector<OrderItem> items;
  Contact contact;
  Money total;
  absl::Time expires_at;  // a pending order's payment deadline: its hold's expiry
  std::string booking_id;
  absl::Time created_at;
  absl::Time updated_at;
  std::vector<PaymentView> payments;
  std::vector<RefundView> refunds;
  /// Once it was paid: fraud's decision.
  std::optional<OrderRisk> risk;
};

struct CreateOrderCommand {
  std::string buyer;
  std::string hold_id;
  std::vector<std::pair<std::string, Passenger>> passengers;  // seat -> passenger
  Contact contact;
  /// Who the request is, however often it is sent: a digest of its caller, route and
  /// Idempotency-Key (gateway::RetryIdentity; empty: none). A retry whose answer was lost with a killed process gets the order it made,
  /// where another request for the same hold is refused with `hold_already_ordered`.
  std::string request_key;
};

struct PayCommand {
  std::string buyer;
  std::string order_id;
  /// "card", or "redirect" (a hosted payment page; no card).
  std::string method = "card";
  payment::Card card;
  /// The address the request came from (fraud counts payments per address); may be empty.
  std::string client_address;
  /// Cash: the operator's staff member who took it, recorded as the payment's payer so each
  /// till can be counted; required for cash, refused for any other method.
  std::string collected_by;
  /// Who the request is, however often it is sent (as CreateOrderCommand::request_key): its
  /// retry, once the payment it began went through or while it still runs, is answered that
  /// payment rather than `order_not_payable`.
  std::string request_key;
};

/// What paying did: the payment (captured; or pending with its redirect_url for a redirect
/// payment, confirmed later by the provider's webhook) and the order after it.
struct PayResult {
  PaymentView payment;
  OrderView order;
};

struct CancelQuote {
  std::string quote_id;
  std::string order_id;
  std::vector<std::string> seats;
  Money refund;
  Money fee;
  std::string tier;  // "48h", ..., "none", or "trip_cancelled"
  int percent = 0;
  absl::Time expires_at;
};

/// One passenger on an operator's manifest.
struct ManifestLine {
  std::string order_id;
  std::string seat;
  Passenger passenger;
  std::string from;
  std::string to;
  std::string contact_phone;
};

/// Which of an operator's orders staff look for; an empty member does not narrow the search.
struct OrgOrderQuery {
  std::string org_id;
  std::optional<OrderStatus> status;
  std::string trip_id;
  /// An order's id, or part of its contact's email or phone or of a passenger's name (in any
  /// case).
  std::string text;
  /// Orders whose trip leaves in [departs_from, departs_until).
  absl::Time departs_from = absl::InfinitePast();
  absl::Time departs_until = absl::InfiniteFuture();
  int limit = 50;
  std::string cursor;  // the last order id of the previous page
};

/// What an operator booked in one currency: orders paid (confirmed, since partly or wholly
/// cancelled or not) and what they were paid.
struct SalesTotal {
  std::string currency;
  int64_t orders = 0;
  int64_t amount = 0;  // minor units
};

/// A buyer's orders, newest first; `next_cursor` is the last order's id (empty on the last page).
using OrderPage = Page<OrderView>;

/// An operator's refund policy: its own, or the default while it has set none (`is_default`).
struct RefundPolicyView {
  RefundPolicy policy;
  bool is_default = true;
};

/// The order service as the gateway calls it: in-process in the monolith, over gRPC otherwise.
/// Buyer-scoped calls answer kNotFound `order_not_found` for anyone else's order. Errors carry
/// api.md's reasons: hold_expired (410), hold_already_ordered, invalid_passengers,
/// payment_declined (402), payment_in_progress, order_not_payable, not_cancellable,
/// quote_expired, quote_used, invalid_refund_policy.
class OrderClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "order";
  /// The client of a remote order service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<OrderClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                               const rpc::CallPolicy& policy);

  virtual ~OrderClient() = default;

  /// An order from a live hold of the buyer, one passenger per held seat.
  virtual absl::StatusOr<OrderView> CreateOrder(const CreateOrderCommand& command) = 0;
  /// The order with its payments and refunds, whoever asks (callers check who may see it).
  virtual absl::StatusOr<OrderView> GetOrder(const std::string& order_id) = 0;
  /// The buyer's orders, newest first.
  virtual absl::StatusOr<OrderPage> ListOrders(const std::string& buyer, int limit,
                                               const std::string& cursor) = 0;
  /// Runs the booking saga: authorization, the seats confirmed against the hold, fraud's
  /// decision, capture, the order confirmed. A declined card fails with kFailedPrecondition
  /// `payment_declined` and leaves the order payable; fraud's deny fails with `risk_declined`
  /// (the payment voided, the seats released); fraud's review answers the order under_review
  /// with its payment authorized.
  virtual absl::StatusOr<PayResult> Pay(const PayCommand& command) = 0;
  /// What cancelling `seats` (all active seats when empty) would refund now.
  virtual absl::StatusOr<CancelQuote> QuoteCancellation(const std::string& buyer,
                                                        const std::string& order_id,
                                                        const std::vector<std::string>& seats) = 0;
  /// Cancels what the quote named: seats freed, the quoted refund sent.
  virtual absl::StatusOr<OrderView> Cancel(const std::string& buyer, const std::string& order_id,
                                           const std::string& quote_id) = 0;
  /// The operator's orders the query names, newest first, without their payments and refunds
  /// (GetOrder has them). kInvalidArgument `invalid_limit`, `invalid_cursor`.
  virtual absl::StatusOr<OrderPage> OrgOrders(const OrgOrderQuery& query) = 0;
  /// What the operator booked since `since` (orders placed then and paid), per currency.
  /// kInvalidArgument `org_required`.
  virtual absl::StatusOr<std::vector<SalesTotal>> SalesSince(const std::string& org_id,
                                                             absl::Time since) = 0;
  /// The operator's orders under review, oldest first, after `cursor` (an order id).
  virtual absl::StatusOr<OrderPage> OrdersUnderReview(const std::string& org_id, int limit,
                                                      const std::string& cursor) = 0;
  /// Staff decide a review: approved, the payment is captured and the order confirmed;
  /// rejected, the payment is voided and the seats released. kNotFound `order_not_found` for
  /// another operator's order, kFailedPrecondition `not_under_review` for an order not (or no
  /// longer) under review.
  virtual absl::StatusOr<OrderView> DecideReview(const std::string& org_id,
                                                 const std::string& order_id, bool approve,
                                                 const std::string& reviewer) = 0;
  /// Passengers of confirmed orders on an operator's trip.
  virtual absl::StatusOr<std::vector<ManifestLine>> Manifest(const std::string& org_id,
                                                             const std::string& trip_id) = 0;
  /// The refund policy the operator's cancellations are quoted under.
  virtual absl::StatusOr<RefundPolicyView> GetRefundPolicy(const std::string& org_id) = 0;
  /// Replaces the operator's refund policy for quotes from now on (quotes already given keep
  /// their amounts) and returns it. kInvalidArgument `invalid_refund_policy` (field errors
  /// `tiers[i]`) for a policy ValidateRefundPolicy refuses.
  virtual absl::StatusOr<RefundPolicyView> SetRefundPolicy(const std::string& org_id,
                                                           const RefundPolicy& policy) = 0;
};

}  // namespace travio::order
