#include "services/gateway/routes/fraud_routes.h"

#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/fraud/api/risk_settings_json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/order_views.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;

class FraudRoutes {
 public:
  FraudRoutes(std::shared_ptr<order::OrderClient> orders, std::shared_ptr<fraud::FraudClient> fraud)
      : orders_(std::move(orders)), fraud_(std::move(fraud)) {}

  http::Response Reviews(http::Request& request, const Caller& caller) {
    auto asked = PageOf(request);
    if (!asked.ok()) return Fail(asked.status());
    auto page = orders_->OrdersUnderReview(caller.membership->org_id, asked->limit, asked->cursor);
    if (!page.ok()) return Fail(page.status());
    return http::Json(200, PageJson(*page, ReviewedOrderJson));
  }

  http::Response Approve(http::Request& request, const Caller& caller) {
    return Decide(request, caller, /*approve=*/true);
  }
  http::Response Reject(http::Request& request, const Caller& caller) {
    return Decide(request, caller, /*approve=*/false);
  }

  http::Response GetSettings(http::Request&, const Caller& caller) {
    auto settings = fraud_->GetSettings(caller.membership->org_id);
    if (!settings.ok()) return Fail(settings.status());
    return http::Json(200, fraud::RiskSettingsJson(*settings));
  }

  // What the body names replaces the current setting; what it leaves out stays.
  http::Response PutSettings(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    auto current = fraud_->GetSettings(caller.membership->org_id);
    if (!current.ok()) return Fail(current.status());
    json document = json::object();
    for (const char* name : {"review_score", "deny_score", "review_minutes", "rules"}) {
      json value = body->Raw(name, /*required=*/false);
      if (!value.is_null()) document[name] = std::move(value);
    }
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto settings = fraud::ApplyRiskSettingsJson(document, *std::move(current));
    if (!settings.ok()) return Fail(settings.status());
    auto saved = fraud_->PutSettings(caller.membership->org_id, *settings);
    if (!saved.ok()) return Fail(saved.status());
    return http::Json(200, fraud::RiskSettingsJson(*saved));
  }

 private:
  http::Response Decide(http::Request& request, const Caller& caller, bool approve) {
    const std::string order_id = request.PathParam("order_id");
    if (!IsUuid(order_id)) return Fail(Error(reasons::kOrderNotFound, "No such order."));
    auto decided =
        orders_->DecideReview(caller.membership->org_id, order_id, approve, caller.user_id());
    if (!decided.ok()) return Fail(decided.status());
    return http::Json(200, ReviewedOrderJson(*decided));
  }

  std::shared_ptr<order::OrderClient> orders_;
  std::shared_ptr<fraud::FraudClient> fraud_;
};

}  // namespace

absl::Status AddFraudRoutes(SecureRoutes& routes, std::shared_ptr<order::OrderClient> orders,
                            std::shared_ptr<fraud::FraudClient> fraud) {
  auto handlers = std::make_shared<FraudRoutes>(std::move(orders), std::move(fraud));
  auto bind = [&handlers](http::Response (FraudRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy review = OrgPolicy(Permission::kFraudReview);
  const RoutePolicy settings = OrgPolicy(Permission::kFraudSettings);
  const json rule =
      ObjectSchema({{"enabled", {{"type", "boolean"}}},
                    {"weight", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
                    {"threshold", {{"type", "integer"}, {"minimum", 1}}},
                    {"window_minutes", {{"type", "integer"}, {"minimum", 1}}}},
                   {});
  json rules = {
      {"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
  for (const auto& [signal, name] : fraud::kSignalNames) {
    rules["properties"][std::string(name)] = rule;
  }
  const json settings_schema =
      ObjectSchema({{"review_score", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}},
                    {"deny_score", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}},
                    {"review_minutes", {{"type", "integer"}, {"minimum", 5}}},
                    {"rules", rules}},
                   {});
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/fraud/reviews",
       .policy = review,
       .handler = bind(&FraudRoutes::Reviews),
       .doc = {.summary = "Orders fraud held for review, oldest first, each with its risk score "
                          "and reasons (the payment is authorized and the seats kept meanwhile)",
               .tag = "fraud",
               .success_status = 200,
               .response = ListSchema("Order"),
               .errors = {400}}},
      {.method = "POST",
       .pattern = "/v1/fraud/reviews/{order_id}/approve",
       .policy = review,
       .handler = bind(&FraudRoutes::Approve),
       .doc = {.summary = "Approve a held order: its payment is captured and the order confirmed",
               .tag = "fraud",
               .success_status = 200,
               .response = SchemaRef("Order"),
               .errors = {404, 409}}},
      {.method = "POST",
       .pattern = "/v1/fraud/reviews/{order_id}/reject",
       .policy = review,
       .handler = bind(&FraudRoutes::Reject),
       .doc = {.summary = "Reject a held order: its payment is voided (nothing charged), its "
                          "seats released",
               .tag = "fraud",
               .success_status = 200,
               .response = SchemaRef("Order"),
               .errors = {404, 409}}},
      {.method = "GET",
       .pattern = "/v1/fraud/settings",
       .policy = settings,
       .handler = bind(&FraudRoutes::GetSettings),
       .doc = {.summary = "Your organization's fraud thresholds: each signal's weight, threshold "
                          "and window, and the scores that hold an order for review or deny it",
               .tag = "fraud",
               .success_status = 200,
               .response = settings_schema}},
      {.method = "PUT",
       .pattern = "/v1/fraud/settings",
       .policy = settings,
       .handler = bind(&FraudRoutes::PutSettings),
       .doc = {.summary = "Change fraud thresholds (what the body leaves out stays as it is)",
               .tag = "fraud",
               .request = settings_schema,
               .success_status = 200,
               .response = settings_schema,
               .errors = {400, 422}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
