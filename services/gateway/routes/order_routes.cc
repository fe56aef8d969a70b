#include "services/gateway/routes/order_routes.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/http/client_address.h"
#include "platform/http/json.h"
#include "services/gateway/routes/counter_sales.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/order_views.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"
#include "services/gateway/routes/ticket_routes.h"
#include "services/gateway/security/idempotency.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;
using order::OrderClient;

class OrderRoutes {
 public:
  OrderRoutes(std::shared_ptr<OrderClient> orders,
              std::shared_ptr<identity::IdentityClient> identity,
              std::shared_ptr<fulfillment::FulfillmentClient> tickets)
      : orders_(std::move(orders)), identity_(std::move(identity)), tickets_(std::move(tickets)) {}

  http::Response Create(http::Request& request, const Caller& caller) {
    return CreateFor(request, caller.user_id());
  }

  // A counter sale's order, from a hold of the counter (CounterBuyer): the counter is its buyer.
  http::Response CounterCreate(http::Request& request, const Caller& caller) {
    return CreateFor(request, CounterBuyer(caller));
  }

  http::Response List(http::Request& request, const Caller& caller) {
    auto asked = PageOf(request);
    if (!asked.ok()) return Fail(asked.status());
    auto page = orders_->ListOrders(caller.user_id(), asked->limit, asked->cursor);
    if (!page.ok()) return Fail(page.status());
    return http::Json(200, PageJson(*page, OrderJson));
  }

  // The buyer, and the staff of the operator selling the trip, may see an order; anyone else
  // gets the same 404 as for an order that does not exist.
  http::Response Get(http::Request& request, const Caller& caller) {
    const std::string order_id = request.PathParam("order_id");
    const absl::Status not_found = Error(reasons::kOrderNotFound, "No such order.");
    if (!IsUuid(order_id)) return Fail(not_found);
    const std::optional<absl::Status> linked = CheckManageLink(request, order_id);
    if (linked && !linked->ok()) return Fail(*linked);
    auto found = orders_->GetOrder(order_id);
    if (!found.ok()) return Fail(found.status());
    bool ticket_links = true;
    bool risk = false;
    bool staff = false;
    if (!linked && found->buyer != caller.user_id()) {
      if (caller.guest()) return Fail(not_found);
      auto membership = identity_->ResolveMembership(caller.user_id(), found->org_id);
      if (!membership.ok() || !identity::RoleAllows(membership->role, Permission::kSalesRead)) {
        return Fail(not_found);
      }
      staff = true;
      // The hosted checkout page is the buyer's: its signed link is not shown to the operator.
      for (payment::PaymentView& payment : found->payments) payment.redirect_url.clear();
      // The tickets' PDFs hold their boarding codes: for sales staff, not for a viewer.
      ticket_links = identity::RoleAllows(membership->role, Permission::kSalesCreate);
      // Why fraud held or let the order through is for those who decide reviews.
      risk = identity::RoleAllows(membership->role, Permission::kFraudReview);
    }
    json out = risk ? ReviewedOrderJson(*found) : OrderJson(*found);
    // Who took each cash payment, for counting tills: staff business, not the traveller's.
    if (staff) {
      for (size_t i = 0; i < found->payments.size(); ++i) {
        if (found->payments[i].method == "cash") {
          out["payments"][i]["collected_by"] = found->payments[i].payer;
        }
      }
      for (size_t i = 0; i < found->refunds.size(); ++i) {
        if (!found->refunds[i].paid_out_by.empty()) {
          out["refunds"][i]["paid_out_by"] = found->refunds[i].paid_out_by;
        }
      }
    }
    // The tickets come from fulfillment; when it cannot answer, the order is still the order.
    if (auto tickets = tickets_->TicketsOfOrder(order_id); tickets.ok()) {
      AddTicketsToOrderJson(*tickets, ticket_links, out);
    }
    return http::Json(200, out);
  }

  http::Response Pay(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    // Field by field: GCC 12 at -O3 misreads the aggregate form (maybe-uninitialized).
    order::PayCommand command;
    command.buyer = caller.user_id();
    command.order_id = body->Required("order_id", 64);
    command.request_key = RetryIdentity(request, caller.user_id());
    // One party's block (an IPv6 /64 is one subscriber), as fraud counts payments by it.
    command.client_address = http::AddressBlock(request.remote_address);
    if (!command.order_id.empty() && !IsUuid(command.order_id)) {
      body->AddError("order_id", "must be an order id");
    }
    const json method = body->Raw("method", true);
    if (method.is_object() && method.value("type", "") == "redirect") {
      command.method = "redirect";
      for (const auto& [key, member] : method.items()) {
        if (key != "type") body->AddError("method." + key, "unknown field");
      }
    } else if (!method.is_null()) {
      ReadCard(method, command.card, *body);
    }
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto paid = orders_->Pay(command);
    if (!paid.ok()) return Fail(paid.status());
    json out = PaymentJson(paid->payment);
    out["order"] = OrderJson(paid->order);
    // A redirect payment is accepted, not done: the traveller finishes it at redirect_url. An
    // order held for review is accepted too: the money is reserved until staff decide.
    const bool accepted = paid->payment.status == payment::PaymentStatus::kPending ||
                          paid->order.status == order::OrderStatus::kUnderReview;
    http::Response response = http::Json(accepted ? 202 : 201, out);
    response.SetHeader("Location", "/v1/orders/" + paid->order.id);
    return response;
  }

  http::Response Quote(http::Request& request, const Caller& caller) {
    auto seats = CancelSeatsOf(request);
    if (!seats.ok()) return Fail(seats.status());
    auto buyer = Buyer(request, caller);
    if (!buyer.ok()) return Fail(buyer.status());
    auto quote = orders_->QuoteCancellation(*buyer, request.PathParam("order_id"), *seats);
    if (!quote.ok()) return Fail(quote.status());
    return http::Json(200, QuoteJson(*quote));
  }

  http::Response Cancel(http::Request& request, const Caller& caller) {
    auto quote_id = QuoteIdOf(request);
    if (!quote_id.ok()) return Fail(quote_id.status());
    auto buyer = Buyer(request, caller);
    if (!buyer.ok()) return Fail(buyer.status());
    auto cancelled = orders_->Cancel(*buyer, request.PathParam("order_id"), *quote_id);
    if (!cancelled.ok()) return Fail(cancelled.status());
    return http::Json(200, CancelledOrderJson(*cancelled));
  }

  http::Response Manifest(http::Request& request, const Caller& caller) {
    const std::string trip_id = request.PathParam("trip_id");
    auto lines = orders_->Manifest(caller.membership->org_id, trip_id);
    if (!lines.ok()) return Fail(lines.status());
    // Who boarded, from the tickets; a manifest is still a manifest when fulfillment is away.
    // A conductor reads the manifests of the trips they crew, as they board only those.
    std::map<std::pair<std::string, std::string>, fulfillment::Ticket> ticket_of_seat;
    const bool crew_only = caller.membership->role == identity::Role::kConductor;
    auto pack = tickets_->Pack(caller.membership->org_id, trip_id,
                               {.user_id = caller.user_id(), .crew_only = crew_only});
    // Without the crew check's answer a conductor is not shown the manifest (fail closed).
    if (!pack.ok() && (crew_only || pack.status().code() == absl::StatusCode::kPermissionDenied)) {
      return Fail(pack.status());
    }
    if (pack.ok()) {
      for (fulfillment::Ticket& ticket : pack->tickets) {
        if (ticket.status == fulfillment::TicketStatus::kVoid) continue;
        ticket_of_seat[{ticket.order_id, ticket.seat}] = std::move(ticket);
      }
    }
    json passengers = json::array();
    for (const order::ManifestLine& line : *lines) {
      json out = {{"order_id", line.order_id},
                  {"seat", line.seat},
                  {"passenger", PassengerJson(line.passenger)},
                  {"from", line.from},
                  {"to", line.to}};
      if (!line.contact_phone.empty()) out["contact_phone"] = line.contact_phone;
      if (auto found = ticket_of_seat.find({line.order_id, line.seat});
          found != ticket_of_seat.end()) {
        const fulfillment::Ticket& ticket = found->second;
        out["ticket"] = {{"id", ticket.id},
                         {"number", ticket.number},
                         {"status", fulfillment::StatusName(ticket.status)}};
        if (ticket.boarded_at) {
          out["ticket"]["boarded_at"] = Instant(*ticket.boarded_at);
          out["ticket"]["boarded_by"] = ticket.boarded_by;
        }
      }
      passengers.push_back(std::move(out));
    }
    return http::Json(200, {{"trip_id", trip_id}, {"passengers", passengers}});
  }

  http::Response GetRefundPolicy(http::Request&, const Caller& caller) {
    auto policy = orders_->GetRefundPolicy(caller.membership->org_id);
    if (!policy.ok()) return Fail(policy.status());
    return http::Json(200, RefundPolicyJson(*policy));
  }

  // The shape is checked here (400 validation_failed); whether the tiers make a policy is the
  // order service's call (422 invalid_refund_policy).
  http::Response PutRefundPolicy(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    order::RefundPolicy policy;
    const json tiers = body->Raw("tiers", true);
    if (!tiers.is_null()) ReadTiers(tiers, policy, *body);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto stored = orders_->SetRefundPolicy(caller.membership->org_id, policy);
    if (!stored.ok()) return Fail(stored.status());
    return http::Json(200, RefundPolicyJson(*stored));
  }

 private:
  http::Response CreateFor(http::Request& request, const std::string& buyer) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    order::CreateOrderCommand command{.buyer = buyer,
                                      .hold_id = body->Required("hold_id", 64),
                                      .passengers = {},
                                      .contact = {},
                                      .request_key = RetryIdentity(request, buyer)};
    if (!command.hold_id.empty() && !IsUuid(command.hold_id)) {
      body->AddError("hold_id", "must be a hold id");
    }
    const json passengers = body->Raw("passengers", true);
    if (!passengers.is_null()) {
      if (!passengers.is_array() || passengers.empty() || passengers.size() > 100) {
        body->AddError("passengers", "must be a list of 1 to 100 passengers");
      } else {
        for (size_t i = 0; i < passengers.size(); ++i) {
          ReadPassenger(passengers[i], absl::StrCat("passengers[", i, "]"), command, *body);
        }
      }
    }
    const json contact = body->Raw("contact", true);
    // The messages' language: the contact's `locale`, else the browser's first choice.
    if (request.Header("Accept-Language").value_or("").rfind("bn", 0) == 0) {
      command.contact.locale = "bn";
    }
    if (!contact.is_null()) ReadContact(contact, command.contact, *body);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto created = orders_->CreateOrder(command);
    if (!created.ok()) return Fail(created.status());
    http::Response response = http::Json(201, OrderJson(*created));
    response.SetHeader("Location", "/v1/orders/" + created->id);
    return response;
  }

  // The booking's manage link (the email's "see or change your booking": ?expires=&signature=)
  // stands in for the buyer, who may be a guest whose token is long gone. nullopt without one;
  // else fulfillment's verdict on its signature and expiry for this order.
  std::optional<absl::Status> CheckManageLink(http::Request& request, const std::string& order_id) {
    const std::optional<std::string> signature = request.Query("signature");
    if (!signature) return std::nullopt;
    if (!IsUuid(order_id)) return Error(reasons::kOrderNotFound, "No such order.");
    return tickets_->CheckLink(fulfillment::ManageLinkResource(order_id),
                               request.Query("expires").value_or(""), *signature);
  }

  // Who the order service is to act for: the caller, or with a valid manage link the order's
  // buyer (the order service still checks everything else: what is cancellable, the quote).
  absl::StatusOr<std::string> Buyer(http::Request& request, const Caller& caller) {
    const std::string order_id = request.PathParam("order_id");
    const std::optional<absl::Status> linked = CheckManageLink(request, order_id);
    if (!linked) return caller.user_id();
    TRAVIO_RETURN_IF_ERROR(*linked);
    TRAVIO_ASSIGN_OR_RETURN(order::OrderView order, orders_->GetOrder(order_id));
    // Its cash is handed back where it was taken, by staff the audit log names.
    if (IsCounterBuyer(order.buyer)) {
      return Error(reasons::kNotCancellable,
                   "A counter sale is cancelled at the counter, where its cash is handed back.");
    }
    return order.buyer;
  }

  static std::string Text(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

  // Reads a passenger object; every problem is named under `at`.
  static void ReadPassenger(const json& value, const std::string& at,
                            order::CreateOrderCommand& command, JsonBody& body) {
    if (!value.is_object()) {
      body.AddError(at, "must be an object");
      return;
    }
    for (const auto& [key, member] : value.items()) {
      const bool text = key == "seat" || key == "name" || key == "gender" || key == "phone";
      if (text && !member.is_string()) body.AddError(at + "." + key, "must be a string");
      if (key == "age" && !member.is_number_integer()) {
        body.AddError(at + ".age", "must be a whole number");
      }
      if (!text && key != "age") body.AddError(at + "." + key, "unknown field");
    }
    order::Passenger passenger{.name = Text(value, "name"),
                               .gender = Text(value, "gender"),
                               .age = std::nullopt,
                               .phone = Text(value, "phone")};
    const std::string seat = Text(value, "seat");
    if (seat.empty() || seat.size() > 8) body.AddError(at + ".seat", "required, a seat label");
    if (passenger.name.size() > 400) body.AddError(at + ".name", "too long");
    if (passenger.phone.size() > 32) body.AddError(at + ".phone", "too long");
    if (value.contains("age") && value.at("age").is_number_integer()) {
      const int64_t age = value.at("age").get<int64_t>();
      passenger.age = static_cast<int>(std::clamp<int64_t>(age, -1, 1000));
    }
    command.passengers.emplace_back(seat, std::move(passenger));
  }

  // Reads `tiers`: a list of {"notice_hours": 1..720, "percent": whole number}.
  static void ReadTiers(const json& tiers, order::RefundPolicy& policy, JsonBody& body) {
    if (!tiers.is_array()) {
      body.AddError("tiers", "must be a list of tiers");
      return;
    }
    for (size_t i = 0; i < tiers.size(); ++i) {
      const std::string at = absl::StrCat("tiers[", i, "]");
      const json& tier = tiers[i];
      if (!tier.is_object()) {
        body.AddError(at, "must be an object");
        continue;
      }
      for (const auto& [key, member] : tier.items()) {
        if (key != "notice_hours" && key != "percent") {
          body.AddError(at + "." + key, "unknown field");
        }
      }
      int64_t hours = 0;
      const auto notice = tier.find("notice_hours");
      if (notice == tier.end()) {
        body.AddError(at + ".notice_hours", "is required");
      } else {
        if (notice->is_number_integer()) hours = ClampedInteger(*notice, 0, 721);
        if (hours < 1 || hours > 720) {
          body.AddError(at + ".notice_hours", "must be a whole number of hours from 1 to 720");
        }
      }
      int64_t percent = 0;
      const auto given = tier.find("percent");
      if (given == tier.end()) {
        body.AddError(at + ".percent", "is required");
      } else if (!given->is_number_integer()) {
        body.AddError(at + ".percent", "must be a whole number");
      } else {
        percent = ClampedInteger(*given, -1, 1000);
      }
      policy.tiers.push_back({absl::Hours(hours), static_cast<int>(percent)});
    }
  }

  static void ReadContact(const json& value, order::Contact& contact, JsonBody& body) {
    if (!value.is_object()) {
      body.AddError("contact", "must be an object");
      return;
    }
    for (const auto& [key, member] : value.items()) {
      if (key != "email" && key != "phone" && key != "locale")
        body.AddError("contact." + key, "unknown field");
      else if (!member.is_string())
        body.AddError("contact." + key, "must be a string");
    }
    contact.email = Text(value, "email");
    contact.phone = Text(value, "phone");
    const std::string locale = Text(value, "locale");
    if (!locale.empty()) contact.locale = locale;
    if (contact.email.size() > 254) body.AddError("contact.email", "too long");
    if (contact.phone.size() > 32) body.AddError("contact.phone", "too long");
  }

  static void ReadCard(const json& value, payment::Card& card, JsonBody& body) {
    if (!value.is_object()) {
      body.AddError("method", "must be an object");
      return;
    }
    for (const auto& [key, member] : value.items()) {
      if (key == "exp_month" || key == "exp_year") {
        if (!member.is_number_integer()) body.AddError("method." + key, "must be a whole number");
      } else if (key == "type" || key == "number" || key == "cvc") {
        if (!member.is_string()) body.AddError("method." + key, "must be a string");
      } else {
        body.AddError("method." + key, "unknown field");
      }
    }
    if (Text(value, "type") != "card") {
      body.AddError("method.type", "must be \"card\" or \"redirect\"");
    }
    const std::string number = Text(value, "number");
    if (number.size() > 40) body.AddError("method.number", "too long");
    card.number = payment::NormalizeCardNumber(number);
    if (card.number.empty() && !number.empty()) body.AddError("method.number", "digits only");
    if (number.empty()) body.AddError("method.number", "required");
    card.cvc = Text(value, "cvc");
    if (card.cvc.size() > 8) body.AddError("method.cvc", "too long");
    auto integer = [&value](const char* key) -> int {
      const auto it = value.find(key);
      if (it == value.end() || !it->is_number_integer()) return 0;
      return static_cast<int>(std::clamp<int64_t>(it->get<int64_t>(), -1, 100000));
    };
    card.exp_month = integer("exp_month");
    card.exp_year = integer("exp_year");
  }

  std::shared_ptr<OrderClient> orders_;
  std::shared_ptr<identity::IdentityClient> identity_;
  std::shared_ptr<fulfillment::FulfillmentClient> tickets_;
};

}  // namespace

absl::Status AddOrderRoutes(SecureRoutes& routes, std::shared_ptr<OrderClient> orders,
                            std::shared_ptr<identity::IdentityClient> identity,
                            std::shared_ptr<fulfillment::FulfillmentClient> tickets) {
  auto handlers =
      std::make_shared<OrderRoutes>(std::move(orders), std::move(identity), std::move(tickets));
  auto bind = [&handlers](http::Response (OrderRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy traveller{.access = Access::kAuthenticated};
  const json passenger =
      ObjectSchema({{"seat", TextSchema(8)},
                    {"name", TextSchema(100)},
                    {"gender", {{"type", "string"}, {"enum", {"female", "male", "other"}}}},
                    {"age", {{"type", "integer"}, {"minimum", 0}, {"maximum", 120}}},
                    {"phone", TextSchema(20)}},
                   {"seat", "name", "gender"});
  const json card = ObjectSchema({{"type", {{"type", "string"}, {"enum", {"card"}}}},
                                  {"number", TextSchema(40)},
                                  {"exp_month", {{"type", "integer"}}},
                                  {"exp_year", {{"type", "integer"}}},
                                  {"cvc", TextSchema(4)}},
                                 {"type", "number", "exp_month", "exp_year", "cvc"});
  const json tier = ObjectSchema(
      {{"notice_hours",
        {{"type", "integer"},
         {"minimum", 1},
         {"maximum", 720},
         {"description", "applies when cancelled at least this many hours before departure"}}},
       {"percent",
        {{"type", "integer"},
         {"minimum", 0},
         {"maximum", 100},
         {"description", "of what was paid, refunded"}}}},
      {"notice_hours", "percent"});
  const std::vector<RouteSpec> table = {
      {.method = "POST",
       .pattern = "/v1/orders",
       .policy = traveller,
       .handler = bind(&OrderRoutes::Create),
       .doc =
           {.summary =
                "Order the seats of a live hold, one passenger per seat (Idempotency-Key required)",
            .tag = "orders",
            .request = ObjectSchema(
                {{"hold_id", TextSchema(36)},
                 {"passengers", {{"type", "array"}, {"items", passenger}}},
                 {"contact", ObjectSchema({{"email", TextSchema(254)}, {"phone", TextSchema(20)}},
                                          {"email"})}},
                {"hold_id", "passengers", "contact"}),
            .success_status = 201,
            .response = SchemaRef("Order"),
            .errors = {400, 409, 410, 422}},
       .idempotent = /*idempotent=*/true,
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/operator/orders",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&OrderRoutes::CounterCreate),
       .doc = {.summary = "Order the seats of a counter sale's hold (POST /v1/operator/holds), "
                          "one passenger per seat (Idempotency-Key required); pay it with "
                          "POST /v1/operator/orders/{order_id}/cash-payment",
               .tag = "sales",
               .request = ObjectSchema({{"hold_id", TextSchema(36)},
                                        {"passengers", {{"type", "array"}, {"items", passenger}}},
                                        {"contact", ObjectSchema({{"email", TextSchema(254)},
                                                                  {"phone", TextSchema(20)}},
                                                                 {"email"})}},
                                       {"hold_id", "passengers", "contact"}),
               .success_status = 201,
               .response = SchemaRef("Order"),
               .errors = {400, 409, 410, 422}},
       .idempotent = /*idempotent=*/true,
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/orders",
       .policy = traveller,
       .handler = bind(&OrderRoutes::List),
       .doc = {.summary = "The caller's orders, newest first",
               .tag = "orders",
               .success_status = 200,
               .response = ListSchema("Order")}},
      {.method = "GET",
       .pattern = "/v1/orders/{order_id}",
       .policy = traveller,
       .handler = bind(&OrderRoutes::Get),
       .doc = {.summary =
                   "An order with its payments and refunds (its buyer, or its operator's staff; "
                   "or with ?expires=&signature= of the booking's manage link, as its buyer)",
               .tag = "orders",
               .success_status = 200,
               .response = SchemaRef("Order"),
               .errors = {403, 404}}},
      {.method = "POST",
       .pattern = "/v1/payments",
       .policy = traveller,
       .handler = bind(&OrderRoutes::Pay),
       .doc = {.summary =
                   "Pay an order by card: authorized, seats confirmed against the hold, checked "
                   "for fraud, captured (Idempotency-Key required); 402 payment_declined leaves "
                   "the order payable, 402 risk_declined releases it; 202 with the order "
                   "under_review when fraud holds it for staff (the money stays reserved)",
               .tag = "orders",
               .request = ObjectSchema({{"order_id", TextSchema(36)}, {"method", card}},
                                       {"order_id", "method"}),
               .success_status = 201,
               .response = SchemaRef("Payment"),
               .errors = {400, 402, 404, 409, 410, 422}},
       .idempotent = /*idempotent=*/true,
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/orders/{order_id}/cancel-quote",
       .policy = traveller,
       .handler = bind(&OrderRoutes::Quote),
       .doc = {.summary = "What cancelling some seats (all when absent) would refund now, under "
                          "the operator's refund policy (the buyer, or the manage link's "
                          "?expires=&signature=)",
               .tag = "orders",
               .request = CancelQuoteRequestSchema(),
               .success_status = 200,
               .response = SchemaRef("CancelQuote"),
               .errors = {404, 409, 422}},
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/orders/{order_id}/cancel",
       .policy = traveller,
       .handler = bind(&OrderRoutes::Cancel),
       .doc = {.summary = "Cancel what a quote named: seats freed, the quoted refund sent (the "
                          "buyer, or the manage link's ?expires=&signature=)",
               .tag = "orders",
               .request = CancelRequestSchema(),
               .success_status = 200,
               .response = SchemaRef("Order"),
               .errors = {404, 409, 410}},
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/operator/trips/{trip_id}/manifest",
       .policy = OrgPolicy(Permission::kBoardingScan),
       .handler = bind(&OrderRoutes::Manifest),
       .doc = {.summary = "The passengers of a trip's confirmed orders, by seat",
               .tag = "orders",
               .success_status = 200,
               .response = nlohmann::json{{"type", "object"}},
               .errors = {404}}},
      {.method = "GET",
       .pattern = "/v1/operator/refund-policy",
       .policy = OrgPolicy(Permission::kCatalogRead),
       .handler = bind(&OrderRoutes::GetRefundPolicy),
       .doc = {.summary = "The operator's refund policy for cancellations (the default until it "
                          "sets its own)",
               .tag = "orders",
               .success_status = 200,
               .response = SchemaRef("RefundPolicy")}},
      {.method = "PUT",
       .pattern = "/v1/operator/refund-policy",
       .policy = OrgPolicy(Permission::kCatalogManage),
       .handler = bind(&OrderRoutes::PutRefundPolicy),
       .doc =
           {.summary =
                "Replace the operator's refund policy: 1 to 10 tiers from the longest notice to "
                "the "
                "shortest, percents never growing as the notice shrinks; quotes from now on use it "
                "(422 invalid_refund_policy otherwise)",
            .tag = "orders",
            .request = ObjectSchema(
                {{"tiers",
                  {{"type", "array"}, {"minItems", 1}, {"maxItems", 10}, {"items", tier}}}},
                {"tiers"}),
            .success_status = 200,
            .response = SchemaRef("RefundPolicy"),
            .errors = {422}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
