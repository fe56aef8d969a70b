#include "services/gateway/routes/pricing_routes.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/rfc3339.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;

// Generous: the pricing service refuses what exceeds its own configured length with the place.
constexpr size_t kMaxExpressionBytes = 100000;
constexpr size_t kMaxQuotedSeats = 60;

json RuleJson(const pricing::PricingRule& rule) {
  const pricing::RuleDraft& spec = rule.spec;
  return {{"id", rule.id},
          {"name", spec.name},
          {"priority", spec.priority},
          {"when", spec.when},
          {"adjust", spec.adjust},
          {"active", spec.active},
          {"valid_from", spec.valid_from ? json(Instant(*spec.valid_from)) : json()},
          {"valid_to", spec.valid_to ? json(Instant(*spec.valid_to)) : json()},
          {"version", rule.version},
          {"created_at", Instant(rule.created_at)},
          {"updated_at", Instant(rule.updated_at)}};
}

json QuoteJson(const pricing::SeatQuote& quote, const std::string& currency) {
  json applied = json::array();
  for (const pricing::AppliedRule& rule : quote.applied) {
    applied.push_back({{"rule_id", rule.rule_id},
                       {"version", rule.version},
                       {"name", rule.name},
                       {"before", rule.before},
                       {"after", rule.after}});
  }
  json out = {{"category", quote.category},
              {"currency", currency},
              {"base", quote.base},
              {"price", quote.price},
              {"applied", std::move(applied)}};
  // Which rules were skipped, not why: the error names the rule's expression, which is the
  // operator's business (its editor and its logs say why).
  if (!quote.skipped.empty()) {
    json skipped = json::array();
    for (const pricing::SkippedRule& rule : quote.skipped) {
      skipped.push_back(
          {{"rule_id", rule.rule_id}, {"version", rule.version}, {"name", rule.name}});
    }
    out["skipped"] = std::move(skipped);
  }
  if (!quote.refused.empty()) {
    out["refused"] = "The operator's rules made a price out of range; this is the base fare.";
  }
  return out;
}

std::optional<absl::Time> OptionalInstant(JsonBody& body, const std::string& name) {
  const std::string text = body.Optional(name, 64);
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::Time> parsed = ParseRfc3339(text);
  if (!parsed.ok()) {
    body.AddError(name, "must be an RFC 3339 instant");
    return std::nullopt;
  }
  return *parsed;
}

class PricingRoutes {
 public:
  PricingRoutes(std::shared_ptr<pricing::PricingClient> pricing,
                std::shared_ptr<inventory::InventoryClient> inventory)
      : pricing_(std::move(pricing)), inventory_(std::move(inventory)) {}

  http::Response Create(http::Request& request, const Caller& caller) {
    auto draft = ReadDraft(request);
    if (!draft.ok()) return Fail(draft.status());
    auto rule = pricing_->CreateRule(caller.membership->org_id, *draft);
    if (!rule.ok()) return Fail(rule.status());
    http::Response response = http::Json(201, RuleJson(*rule));
    response.SetHeader("Location", "/v1/pricing/rules/" + rule->id);
    return response;
  }

  http::Response List(http::Request&, const Caller& caller) {
    auto rules = pricing_->ListRules(caller.membership->org_id);
    if (!rules.ok()) return Fail(rules.status());
    json items = json::array();
    for (const pricing::PricingRule& rule : *rules) items.push_back(RuleJson(rule));
    return http::Json(200, {{"items", items}, {"next_cursor", nullptr}});
  }

  http::Response Get(http::Request& request, const Caller& caller) {
    auto id = RuleId(request);
    if (!id.ok()) return Fail(id.status());
    auto rule = pricing_->GetRule(caller.membership->org_id, *id);
    if (!rule.ok()) return Fail(rule.status());
    return http::Json(200, RuleJson(*rule));
  }

  http::Response Put(http::Request& request, const Caller& caller) {
    auto id = RuleId(request);
    if (!id.ok()) return Fail(id.status());
    auto draft = ReadDraft(request);
    if (!draft.ok()) return Fail(draft.status());
    auto rule = pricing_->UpdateRule(caller.membership->org_id, *id, *draft);
    if (!rule.ok()) return Fail(rule.status());
    return http::Json(200, RuleJson(*rule));
  }

  http::Response Delete(http::Request& request, const Caller& caller) {
    auto id = RuleId(request);
    if (!id.ok()) return Fail(id.status());
    absl::Status deleted = pricing_->DeleteRule(caller.membership->org_id, *id);
    if (!deleted.ok()) return Fail(deleted);
    return http::Response::NoContent();
  }

  http::Response Evaluate(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    pricing::EvaluationRequest evaluation;
    evaluation.expression = body->Required("expression", kMaxExpressionBytes);
    json bindings = body->Raw("bindings", /*required=*/false);
    if (bindings.is_null()) bindings = json::object();
    if (!bindings.is_object()) body->AddError("bindings", "must be an object");
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    evaluation.bindings_json = bindings.dump();
    auto result = pricing_->Evaluate(caller.membership->org_id, evaluation);
    if (!result.ok()) return Fail(result.status());
    json value = json::parse(result->value_json, nullptr, /*allow_exceptions=*/false);
    return http::Json(200,
                      {{"value", value.is_discarded() ? json() : value}, {"type", result->type}});
  }

  http::Response Quote(http::Request& request, const Caller&) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    inventory::QuoteCommand command;
    command.trip_id = body->Required("trip_id", 64);
    if (!command.trip_id.empty() && !IsUuid(command.trip_id)) {
      body->AddError("trip_id", "must be a trip id");
    }
    command.from = body->Optional("from", 16);
    command.to = body->Optional("to", 16);
    command.seats = body->Strings("seats", kMaxQuotedSeats, 8);
    command.at = OptionalInstant(*body, "at");
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto quote = inventory_->QuoteSeats(command);
    if (!quote.ok()) return Fail(quote.status());
    // Per category: the cheapest seat free now (else the cheapest seat, with none available).
    struct Category {
      const inventory::QuotedSeat* cheapest = nullptr;
      int available = 0;
    };
    std::map<std::string, Category> categories;
    for (const inventory::QuotedSeat& seat : quote->seats) {
      Category& category = categories[seat.quote.category];
      if (seat.available) ++category.available;
      const inventory::QuotedSeat* best = category.cheapest;
      bool better = best == nullptr || (seat.available && !best->available) ||
                    (seat.available == best->available && seat.quote.price < best->quote.price);
      if (better) category.cheapest = &seat;
    }
    json by_category = json::array();
    for (const auto& [name, category] : categories) {
      json item = QuoteJson(category.cheapest->quote, quote->currency);
      item["seat"] = category.cheapest->quote.seat;
      item["available"] = category.available;
      by_category.push_back(std::move(item));
    }
    json out = {{"trip_id", quote->trip_id},
                {"from", quote->from},
                {"to", quote->to},
                {"at", Instant(quote->at)},
                {"currency", quote->currency},
                {"categories", std::move(by_category)}};
    if (!command.seats.empty()) {
      json seats = json::array();
      for (const inventory::QuotedSeat& seat : quote->seats) {
        json item = QuoteJson(seat.quote, quote->currency);
        item["seat"] = seat.quote.seat;
        item["available"] = seat.available;
        seats.push_back(std::move(item));
      }
      out["seats"] = std::move(seats);
    }
    http::Response response = http::Json(200, out);
    response.SetHeader("Cache-Control", "no-store");
    return response;
  }

 private:
  // The rule named in the path; what is not a rule id names no rule.
  static absl::StatusOr<std::string> RuleId(const http::Request& request) {
    std::string id = request.PathParam("id");
    if (!IsUuid(id)) return Error(reasons::kRuleNotFound, "No such pricing rule.");
    return id;
  }

  static absl::StatusOr<pricing::RuleDraft> ReadDraft(http::Request& request) {
    TRAVIO_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request));
    pricing::RuleDraft draft;
    draft.name = body.Required("name", pricing::kMaxRuleNameLength * 4);
    draft.priority =
        body.OptionalInt("priority", pricing::kMinPriority, pricing::kMaxPriority).value_or(0);
    draft.when = body.Required("when", kMaxExpressionBytes);
    draft.adjust = body.Required("adjust", kMaxExpressionBytes);
    draft.active = body.Bool("active", true);
    draft.valid_from = OptionalInstant(body, "valid_from");
    draft.valid_to = OptionalInstant(body, "valid_to");
    TRAVIO_RETURN_IF_ERROR(body.Finish());
    return draft;
  }

  std::shared_ptr<pricing::PricingClient> pricing_;
  std::shared_ptr<inventory::InventoryClient> inventory_;
};

}  // namespace

absl::Status AddPricingRoutes(SecureRoutes& routes, std::shared_ptr<pricing::PricingClient> pricing,
                              std::shared_ptr<inventory::InventoryClient> inventory) {
  auto handlers = std::make_shared<PricingRoutes>(std::move(pricing), std::move(inventory));
  auto bind = [&handlers](http::Response (PricingRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy manage = OrgPolicy(Permission::kPricingManage);
  const json instant = {{"type", "string"}, {"format", "date-time"}};
  const json rule_body = ObjectSchema(
      {{"name", TextSchema(pricing::kMaxRuleNameLength)},
       {"priority", {{"type", "integer"}}},
       {"when", {{"type", "string"}, {"description", "CEL, a bool: when the rule applies"}}},
       {"adjust", {{"type", "string"}, {"description", "CEL, an int: the new price from `price`"}}},
       {"active", {{"type", "boolean"}}},
       {"valid_from", instant},
       {"valid_to", instant}},
      {"name", "when", "adjust"});
  const json rule = {{"type", "object"}};
  const json quote_body = ObjectSchema(
      {{"trip_id", TextSchema(36)},
       {"from", TextSchema(16)},
       {"to", TextSchema(16)},
       {"seats", {{"type", "array"}, {"items", TextSchema(8)}, {"maxItems", kMaxQuotedSeats}}},
       {"at", instant}},
      {"trip_id"});
  const json evaluate_body = ObjectSchema(
      {{"expression", {{"type", "string"}}}, {"bindings", {{"type", "object"}}}}, {"expression"});
  const std::vector<RouteSpec> table = {
      {.method = "POST",
       .pattern = "/v1/pricing/rules",
       .policy = manage,
       .handler = bind(&PricingRoutes::Create),
       .doc = {.summary = "Add a pricing rule (CEL); an invalid expression is refused with its "
                          "line and column",
               .tag = "pricing",
               .request = rule_body,
               .success_status = 201,
               .response = rule,
               .errors = {400, 409, 422}}},
      {.method = "GET",
       .pattern = "/v1/pricing/rules",
       .policy = manage,
       .handler = bind(&PricingRoutes::List),
       .doc = {.summary = "Your organization's pricing rules, in the order they apply",
               .tag = "pricing",
               .success_status = 200,
               .response = rule}},
      {.method = "GET",
       .pattern = "/v1/pricing/rules/{id}",
       .policy = manage,
       .handler = bind(&PricingRoutes::Get),
       .doc = {.summary = "One pricing rule, its current version",
               .tag = "pricing",
               .success_status = 200,
               .response = rule,
               .errors = {404}}},
      {.method = "PUT",
       .pattern = "/v1/pricing/rules/{id}",
       .policy = manage,
       .handler = bind(&PricingRoutes::Put),
       .doc = {.summary = "Change a pricing rule (a new version; holds keep the price they froze)",
               .tag = "pricing",
               .request = rule_body,
               .success_status = 200,
               .response = rule,
               .errors = {400, 404, 409, 422}}},
      {.method = "DELETE",
       .pattern = "/v1/pricing/rules/{id}",
       .policy = manage,
       .handler = bind(&PricingRoutes::Delete),
       .doc = {.summary = "Delete a pricing rule",
               .tag = "pricing",
               .success_status = 204,
               .errors = {404}}},
      {.method = "POST",
       .pattern = "/v1/pricing/evaluate",
       .policy = manage,
       .handler = bind(&PricingRoutes::Evaluate),
       .doc = {.summary = "Try a CEL expression with bindings (the rule editor); JSON integers "
                          "bind as int, other numbers as double",
               .tag = "pricing",
               .request = evaluate_body,
               .success_status = 200,
               .response = {{"type", "object"}},
               .errors = {400, 422}}},
      {.method = "POST",
       .pattern = "/v1/pricing/quote",
       .policy = RoutePolicy{.access = Access::kPublic},
       .handler = bind(&PricingRoutes::Quote),
       .doc = {.summary = "What a journey's seats cost now (or at `at`) under the operator's "
                          "rules, per seat category and per seat asked",
               .tag = "pricing",
               .request = quote_body,
               .success_status = 200,
               .response = {{"type", "object"}},
               .errors = {400, 404, 409, 422}},
       .traffic = TrafficClass::kSearch},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
