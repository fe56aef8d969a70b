#include "services/gateway/routes/sales_routes.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/rfc3339.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "services/gateway/routes/counter_sales.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/order_views.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"
#include "services/gateway/security/idempotency.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;

// Staff act on their own organization's orders only: another's is no order at all to them.
absl::Status NoSuchOrder() { return Error(reasons::kOrderNotFound, "No such order."); }

class SalesRoutes {
 public:
  SalesRoutes(std::shared_ptr<order::OrderClient> orders,
              std::shared_ptr<payment::PaymentClient> payments)
      : orders_(std::move(orders)), payments_(std::move(payments)) {}

  // GET /v1/operator/orders?status=&trip_id=&q=&departs_from=&departs_until=&limit=&cursor=
  http::Response List(http::Request& request, const Caller& caller) {
    auto asked = PageOf(request);
    if (!asked.ok()) return Fail(asked.status());
    order::OrgOrderQuery query{.org_id = caller.membership->org_id,
                               .status = std::nullopt,
                               .trip_id = request.Query("trip_id").value_or(""),
                               .text = request.Query("q").value_or(""),
                               .limit = asked->limit,
                               .cursor = asked->cursor};
    std::vector<FieldError> errors;
    if (auto status = request.Query("status"); status && !status->empty()) {
      query.status = ParseName(order::kOrderStatusNames, *status);
      if (!query.status) {
        errors.push_back({"status",
                          "must be pending_payment, under_review, confirmed, "
                          "partially_cancelled, cancelled or expired"});
      }
    }
    if (!query.trip_id.empty() && !IsUuid(query.trip_id)) {
      errors.push_back({"trip_id", "must be a trip id"});
    }
    if (!query.text.empty() &&
        (query.text.size() < 3 || query.text.size() > 200 || !IsPrintableUtf8(query.text))) {
      errors.push_back({"q", "must be 3 to 200 bytes of printable text"});
    }
    ReadInstant(request, "departs_from", query.departs_from, errors);
    ReadInstant(request, "departs_until", query.departs_until, errors);
    if (!errors.empty()) {
      return Fail(WithFieldErrors(Error(reasons::kValidationFailed, "The search is invalid."),
                                  std::move(errors)));
    }
    auto page = orders_->OrgOrders(query);
    if (!page.ok()) return Fail(page.status());
    return http::Json(200, PageJson(*page, OrderJson));
  }

  // GET /v1/operator/orders/summary?since=: what the desk and the website booked since then.
  http::Response Summary(http::Request& request, const Caller& caller) {
    absl::Time since = absl::InfinitePast();
    std::vector<FieldError> errors;
    ReadInstant(request, "since", since, errors);
    if (since == absl::InfinitePast()) errors.push_back({"since", "required, an RFC 3339 time"});
    if (!errors.empty()) {
      return Fail(WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."),
                                  std::move(errors)));
    }
    auto totals = orders_->SalesSince(caller.membership->org_id, since);
    if (!totals.ok()) return Fail(totals.status());
    json items = json::array();
    for (const order::SalesTotal& total : *totals) {
      items.push_back({{"currency", total.currency},
                       {"orders", total.orders},
                       {"amount", MoneyJson({total.amount, total.currency})}});
    }
    return http::Json(200, {{"since", Instant(since)}, {"totals", std::move(items)}});
  }

  // What cancelling would refund, as the traveller would be told: the same refund policy, the
  // same quote (staff cancel on the traveller's behalf, never on better terms).
  http::Response Quote(http::Request& request, const Caller& caller) {
    auto seats = CancelSeatsOf(request);
    if (!seats.ok()) return Fail(seats.status());
    auto order = OrgOrder(request, caller);
    if (!order.ok()) return Fail(order.status());
    auto quote = orders_->QuoteCancellation(order->buyer, order->id, *seats);
    if (!quote.ok()) return Fail(quote.status());
    return http::Json(200, QuoteJson(*quote));
  }

  http::Response Cancel(http::Request& request, const Caller& caller) {
    auto quote_id = QuoteIdOf(request);
    if (!quote_id.ok()) return Fail(quote_id.status());
    auto order = OrgOrder(request, caller);
    if (!order.ok()) return Fail(order.status());
    auto cancelled = orders_->Cancel(order->buyer, order->id, *quote_id);
    if (!cancelled.ok()) return Fail(cancelled.status());
    return http::Json(200, CancelledOrderJson(*cancelled));
  }

  // Cash an agent took for an order: `amount` must be the order's total, which the agent read
  // out and counted. The booking saga then runs as for a card: seats confirmed against the
  // hold, captured, the order confirmed and its tickets issued.
  http::Response Cash(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const json amount = body->Raw("amount", /*required=*/true);
    if (!amount.is_null() && !amount.is_number_integer()) {
      body->AddError("amount", "must be a whole number of minor units (poisha)");
    }
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto order = OrgOrder(request, caller);
    if (!order.ok()) return Fail(order.status());
    // A traveller's own order is paid online: cash taken for it could be refunded by the
    // traveller's cancellation with nobody at the counter to hand it back.
    if (!IsCounterBuyer(order->buyer)) {
      return Fail(Error(reasons::kOrderNotPayable,
                        "Cash is taken for counter sales only; this order is paid online."));
    }
    if (ClampedInteger(amount, -1, INT64_MAX) != order->total.amount) {
      return Fail(WithFieldErrors(
          Error(reasons::kValidationFailed, "The cash taken is not the order's total."),
          {{"amount", absl::StrCat("must be the order's total, ", order->total.amount, " ",
                                   order->total.currency, " in minor units")}}));
    }
    order::PayCommand command;
    command.buyer = order->buyer;
    command.order_id = order->id;
    command.method = "cash";
    command.collected_by = caller.user_id();
    command.request_key = RetryIdentity(request, caller.user_id());
    auto paid = orders_->Pay(command);
    if (!paid.ok()) return Fail(paid.status());
    json out = PaymentJson(paid->payment);
    out["collected_by"] = paid->payment.payer;
    out["order"] = OrderJson(paid->order);
    http::Response response = http::Json(201, out);
    response.SetHeader("Location", "/v1/orders/" + paid->order.id);
    return response;
  }

  // Cash a refund owes at the counter, handed over by the caller: the refund succeeds, naming
  // them (a trip cancelled after a counter sale owes its cash until then).
  http::Response PaidOut(http::Request& request, const Caller& caller) {
    auto paid = payments_->PayOutRefund(caller.membership->org_id, request.PathParam("refund_id"),
                                        caller.user_id());
    if (!paid.ok()) return Fail(paid.status());
    json out = RefundJson(*paid);
    out["paid_out_by"] = paid->paid_out_by;
    return http::Json(200, out);
  }

 private:
  // The order in the path, if it is the caller's organization's.
  absl::StatusOr<order::OrderView> OrgOrder(http::Request& request, const Caller& caller) {
    const std::string order_id = request.PathParam("order_id");
    if (!IsUuid(order_id)) return NoSuchOrder();
    auto found = orders_->GetOrder(order_id);
    if (absl::IsNotFound(found.status())) return NoSuchOrder();
    TRAVIO_RETURN_IF_ERROR(found.status());
    if (found->org_id != caller.membership->org_id) return NoSuchOrder();
    return found;
  }

  static void ReadInstant(const http::Request& request, const char* name, absl::Time& into,
                          std::vector<FieldError>& errors) {
    const std::optional<std::string> text = request.Query(name);
    if (!text || text->empty()) return;
    absl::StatusOr<absl::Time> at = ParseRfc3339(*text);
    if (!at.ok()) {
      errors.push_back({name, "must be an RFC 3339 time such as 2027-04-08T00:00:00+06:00"});
      return;
    }
    into = *at;
  }

  std::shared_ptr<order::OrderClient> orders_;
  std::shared_ptr<payment::PaymentClient> payments_;
};

}  // namespace

absl::Status AddSalesRoutes(SecureRoutes& routes, std::shared_ptr<order::OrderClient> orders,
                            std::shared_ptr<payment::PaymentClient> payments) {
  auto handlers = std::make_shared<SalesRoutes>(std::move(orders), std::move(payments));
  auto bind = [&handlers](http::Response (SalesRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/operator/orders",
       .policy = OrgPolicy(Permission::kSalesRead),
       .handler = bind(&SalesRoutes::List),
       .doc = {.summary = "The organization's orders, newest first, by ?status=, ?trip_id=, "
                          "?departs_from= and ?departs_until= (RFC 3339), and ?q= (an order id, "
                          "or part of the contact's email or phone or a passenger's name)",
               .tag = "sales",
               .success_status = 200,
               .response = ListSchema("Order"),
               .errors = {400}}},
      {.method = "GET",
       .pattern = "/v1/operator/orders/summary",
       .policy = OrgPolicy(Permission::kSalesRead),
       .handler = bind(&SalesRoutes::Summary),
       .doc = {.summary = "What the organization booked since ?since= (RFC 3339): its paid "
                          "orders placed since then, counted and summed per currency, however "
                          "they were sold",
               .tag = "sales",
               .success_status = 200,
               .response = nlohmann::json{{"type", "object"}},
               .errors = {400}}},
      {.method = "POST",
       .pattern = "/v1/operator/orders/{order_id}/cancel-quote",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&SalesRoutes::Quote),
       .doc = {.summary = "What cancelling some seats (all when absent) of one of the "
                          "organization's orders would refund now, on the traveller's behalf",
               .tag = "sales",
               .request = CancelQuoteRequestSchema(),
               .success_status = 200,
               .response = SchemaRef("CancelQuote"),
               .errors = {404, 409, 422}},
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/operator/orders/{order_id}/cancel",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&SalesRoutes::Cancel),
       .doc = {.summary = "Cancel what a staff quote named, on the traveller's behalf: seats "
                          "freed, the quoted refund sent to how the order was paid",
               .tag = "sales",
               .request = CancelRequestSchema(),
               .success_status = 200,
               .response = SchemaRef("Order"),
               .errors = {404, 409, 410}},
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/operator/orders/{order_id}/cash-payment",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&SalesRoutes::Cash),
       .doc = {.summary = "Record cash taken at the counter for a pending order (amount: its "
                          "total in minor units); the order is confirmed as by a card "
                          "(Idempotency-Key required)",
               .tag = "sales",
               .request =
                   ObjectSchema({{"amount", {{"type", "integer"}, {"minimum", 1}}}}, {"amount"}),
               .success_status = 201,
               .response = SchemaRef("Payment"),
               .errors = {400, 404, 409, 410}},
       .idempotent = /*idempotent=*/true,
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/operator/refunds/{refund_id}/paid-out",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&SalesRoutes::PaidOut),
       .doc = {.summary = "Cash a refund owes at the counter (status owed: a counter sale whose "
                          "trip was cancelled), handed over by the caller; the refund succeeds",
               .tag = "sales",
               .success_status = 200,
               .response = nlohmann::json{{"type", "object"}},
               .errors = {404, 409}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
