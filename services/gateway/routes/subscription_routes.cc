#include "services/gateway/routes/subscription_routes.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;
using subscription::Quota;

// Limits as the API shows them: a number, or null for unlimited.
json LimitsJson(const std::map<Quota, int64_t>& limits) {
  json out = json::object();
  for (Quota quota : subscription::kQuotas) {
    const auto found = limits.find(quota);
    const int64_t limit = found == limits.end() ? 0 : found->second;
    out[std::string(subscription::QuotaName(quota))] = limit == 0 ? json(nullptr) : json(limit);
  }
  return out;
}

json PlanJson(const subscription::Plan& plan) {
  std::map<Quota, int64_t> limits;
  for (Quota quota : subscription::kQuotas) limits[quota] = plan.LimitOf(quota);
  return {{"name", plan.name},
          {"monthly_price", MoneyJson(plan.monthly_price)},
          {"booking_fee", MoneyJson({plan.booking_fee, plan.monthly_price.currency})},
          {"limits", LimitsJson(limits)}};
}

json SubscriptionJson(const subscription::SubscriptionView& view) {
  json usage = json::object();
  for (Quota quota : subscription::kQuotas) {
    const auto found = view.usage.find(quota);
    usage[std::string(subscription::QuotaName(quota))] =
        found == view.usage.end() ? 0 : found->second;
  }
  return {{"plan", view.plan},
          {"status", view.status},
          {"trial_end", Instant(view.trial_end)},
          {"period_start", Instant(view.period_start)},
          {"period_end", Instant(view.period_end)},
          {"pending_plan", view.pending_plan.empty() ? json(nullptr) : json(view.pending_plan)},
          {"pending_from", view.pending_from ? json(Instant(*view.pending_from)) : json(nullptr)},
          {"usage", std::move(usage)},
          {"limits", LimitsJson(view.limits)}};
}

json InvoiceJson(const subscription::InvoiceView& invoice, bool with_lines) {
  json out = {{"id", invoice.id},
              {"number", invoice.number},
              {"plan", invoice.plan},
              {"period_start", Instant(invoice.period_start)},
              {"period_end", Instant(invoice.period_end)},
              {"issued_at", Instant(invoice.issued_at)},
              {"total", MoneyJson({invoice.total, invoice.currency})}};
  if (with_lines) {
    json lines = json::array();
    for (const subscription::InvoiceLine& line : invoice.lines) {
      lines.push_back({{"kind", line.kind},
                       {"description", line.description},
                       {"quantity", line.quantity},
                       {"unit_amount", MoneyJson({line.unit_amount, invoice.currency})},
                       {"amount", MoneyJson({line.amount, invoice.currency})}});
    }
    out["lines"] = std::move(lines);
  }
  return out;
}

class SubscriptionRoutes {
 public:
  explicit SubscriptionRoutes(std::shared_ptr<subscription::SubscriptionClient> subscriptions)
      : subscriptions_(std::move(subscriptions)) {}

  http::Response Plans(http::Request&, const Caller&) {
    auto plans = subscriptions_->ListPlans();
    if (!plans.ok()) return Fail(plans.status());
    json items = json::array();
    for (const subscription::Plan& plan : *plans) items.push_back(PlanJson(plan));
    return http::Json(200, {{"items", std::move(items)}});
  }

  http::Response Get(http::Request&, const Caller& caller) {
    auto view = subscriptions_->GetSubscription(caller.membership->org_id);
    if (!view.ok()) return Fail(view.status());
    return http::Json(200, SubscriptionJson(*view));
  }

  http::Response Put(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string plan = body->Required("plan", 32);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto view = subscriptions_->ChangePlan(
        {.org_id = caller.membership->org_id, .plan = plan, .actor = caller.user_id()});
    if (!view.ok()) return Fail(view.status());
    return http::Json(200, SubscriptionJson(*view));
  }

  http::Response Invoices(http::Request& request, const Caller& caller) {
    auto asked = PageOf(request);
    if (!asked.ok()) return Fail(asked.status());
    auto page =
        subscriptions_->ListInvoices(caller.membership->org_id, asked->limit, asked->cursor);
    if (!page.ok()) return Fail(page.status());
    json items = json::array();
    for (const subscription::InvoiceView& invoice : page->items) {
      items.push_back(InvoiceJson(invoice, /*with_lines=*/false));
    }
    return http::Json(200, {{"items", std::move(items)},
                            {"next_cursor",
                             page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}});
  }

  http::Response Invoice(http::Request& request, const Caller& caller) {
    const std::string id = request.PathParam("invoice_id");
    if (!IsUuid(id)) return Fail(Error(reasons::kInvoiceNotFound, "No such invoice."));
    auto invoice = subscriptions_->GetInvoice(caller.membership->org_id, id);
    if (!invoice.ok()) return Fail(invoice.status());
    return http::Json(200, InvoiceJson(*invoice, /*with_lines=*/true));
  }

  http::Response InvoicePdf(http::Request& request, const Caller& caller) {
    const std::string id = request.PathParam("invoice_id");
    if (!IsUuid(id)) return Fail(Error(reasons::kInvoiceNotFound, "No such invoice."));
    auto document = subscriptions_->GetInvoicePdf(caller.membership->org_id, id);
    if (!document.ok()) return Fail(document.status());
    http::Response response = http::Response::Text(200, document->bytes, "application/pdf");
    response.SetHeader("Content-Disposition",
                       absl::StrCat("inline; filename=\"", document->filename, "\""));
    // An organization's books: never kept by a shared cache.
    response.SetHeader("Cache-Control", "private, no-store");
    return response;
  }

 private:
  std::shared_ptr<subscription::SubscriptionClient> subscriptions_;
};

}  // namespace

absl::Status AddSubscriptionRoutes(
    SecureRoutes& routes, std::shared_ptr<subscription::SubscriptionClient> subscriptions) {
  auto handlers = std::make_shared<SubscriptionRoutes>(std::move(subscriptions));
  auto bind = [&handlers](http::Response (SubscriptionRoutes::*method)(
                  http::Request&, const Caller&)) { return Bind(handlers, method); };
  json limits = {{"type", "object"}, {"properties", json::object()}};
  json usage = {{"type", "object"}, {"properties", json::object()}};
  for (Quota quota : subscription::kQuotas) {
    const std::string name(subscription::QuotaName(quota));
    limits["properties"][name] = {{"type", {"integer", "null"}}};
    usage["properties"][name] = {{"type", "integer"}};
  }
  const json money =
      ObjectSchema({{"amount", {{"type", "integer"}}}, {"currency", {{"type", "string"}}}},
                   {"amount", "currency"});
  const json plan = ObjectSchema({{"name", {{"type", "string"}}},
                                  {"monthly_price", money},
                                  {"booking_fee", money},
                                  {"limits", limits}},
                                 {"name", "monthly_price", "booking_fee", "limits"});
  const json date_time = {{"type", "string"}, {"format", "date-time"}};
  const json subscription_schema =
      ObjectSchema({{"plan", {{"type", "string"}}},
                    {"status", {{"type", "string"}, {"enum", {"trialing", "active"}}}},
                    {"trial_end", date_time},
                    {"period_start", date_time},
                    {"period_end", date_time},
                    {"pending_plan", {{"type", {"string", "null"}}}},
                    {"pending_from", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                    {"usage", usage},
                    {"limits", limits}},
                   {"plan", "status", "trial_end", "period_start", "period_end", "pending_plan",
                    "pending_from", "usage", "limits"});
  const RoutePolicy owner = OrgPolicy(Permission::kBillingManage);
  const RoutePolicy books = OrgPolicy(Permission::kBillingRead);
  const json line = ObjectSchema(
      {{"kind", {{"type", "string"}, {"enum", {"plan_fee", "proration", "booking_fees"}}}},
       {"description", {{"type", "string"}}},
       {"quantity", {{"type", "integer"}}},
       {"unit_amount", money},
       {"amount", money}},
      {"kind", "description", "quantity", "unit_amount", "amount"});
  json invoice_properties = {{"id", {{"type", "string"}}},
                             {"number", {{"type", "string"}}},
                             {"plan", {{"type", "string"}}},
                             {"period_start", date_time},
                             {"period_end", date_time},
                             {"issued_at", date_time},
                             {"total", money}};
  const json invoice_summary =
      ObjectSchema(invoice_properties,
                   {"id", "number", "plan", "period_start", "period_end", "issued_at", "total"});
  invoice_properties["lines"] = {{"type", "array"}, {"items", line}};
  const json invoice = ObjectSchema(
      invoice_properties,
      {"id", "number", "plan", "period_start", "period_end", "issued_at", "total", "lines"});
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/plans",
       .policy = {.access = Access::kPublic},
       .handler = bind(&SubscriptionRoutes::Plans),
       .doc = {.summary = "The plans operators can subscribe to, cheapest first: the monthly "
                          "price, the fee per booking, and each quota's limit (null: unlimited)",
               .tag = "subscription",
               .success_status = 200,
               .response = {{"type", "object"},
                            {"properties", {{"items", {{"type", "array"}, {"items", plan}}}}},
                            {"required", {"items"}}}}},
      {.method = "GET",
       .pattern = "/v1/subscription",
       .policy = owner,
       .handler = bind(&SubscriptionRoutes::Get),
       .doc = {.summary = "Your organization's plan, its trial and billing period, a downgrade "
                          "waiting for the period's end, and usage against each limit",
               .tag = "subscription",
               .success_status = 200,
               .response = subscription_schema}},
      {.method = "PUT",
       .pattern = "/v1/subscription",
       .policy = owner,
       .handler = bind(&SubscriptionRoutes::Put),
       .doc = {.summary = "Change plans: an upgrade takes effect at once (the rest of the period "
                          "is charged prorated on its invoice); a downgrade at the end of the "
                          "period, refused while usage exceeds the smaller plan (409 "
                          "plan_downgrade_blocked names the quotas in `exceeded`); asking for "
                          "the current plan calls off a waiting downgrade",
               .tag = "subscription",
               .request = ObjectSchema({{"plan", TextSchema(32)}}, {"plan"}),
               .success_status = 200,
               .response = subscription_schema,
               .errors = {400, 404, 409}},
       // Each change mails every owner: limited like orders, not like reads.
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/invoices",
       .policy = books,
       .handler = bind(&SubscriptionRoutes::Invoices),
       .doc = {.summary = "Your organization's invoices, newest period first: one per closed "
                          "billing period, its total in minor units",
               .tag = "subscription",
               .success_status = 200,
               .response = {{"type", "object"},
                            {"properties",
                             {{"items", {{"type", "array"}, {"items", invoice_summary}}},
                              {"next_cursor", {{"type", {"string", "null"}}}}}},
                            {"required", {"items", "next_cursor"}}},
               .errors = {400}}},
      {.method = "GET",
       .pattern = "/v1/invoices/{invoice_id}",
       .policy = books,
       .handler = bind(&SubscriptionRoutes::Invoice),
       .doc = {.summary = "One invoice with its lines: the plan's fee (less any trial), each "
                          "upgrade's prorated charge, and the booking fees by fee",
               .tag = "subscription",
               .success_status = 200,
               .response = invoice,
               .errors = {404}}},
      {.method = "GET",
       .pattern = "/v1/invoices/{invoice_id}/pdf",
       .policy = books,
       .handler = bind(&SubscriptionRoutes::InvoicePdf),
       .doc = {.summary = "The invoice as a PDF (application/pdf): who issued it and to whom, "
                          "its period and plan, its lines and total",
               .tag = "subscription",
               .success_status = 200,
               .response = {{"type", "string"}, {"format", "binary"}},
               .errors = {404}},
       // A PDF costs more than a read: it is limited like orders.
       .traffic = TrafficClass::kOrders},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
