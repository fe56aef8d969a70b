#include "services/gateway/openapi/openapi.h"

#include <set>

#include "platform/base/version.h"
#include "services/identity/api/access.h"

namespace travio::gateway {
namespace {

using nlohmann::json;

json StringSchema(int max_length = 0, const std::string& format = "") {
  json schema = {{"type", "string"}};
  if (max_length > 0) schema["maxLength"] = max_length;
  if (!format.empty()) schema["format"] = format;
  return schema;
}

json Object(json properties, std::vector<std::string> required) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}};
}

json Components() {
  json roles = json::array();
  for (identity::Role role : identity::AllRoles()) roles.push_back(identity::RoleName(role));
  const json instant = StringSchema(0, "date-time");
  const json id = StringSchema(36, "uuid");
  json schemas = {
      {"Problem",
       Object({{"type", StringSchema()},
               {"title", StringSchema()},
               {"status", {{"type", "integer"}}},
               {"detail", StringSchema()},
               {"code", StringSchema()},
               {"errors",
                {{"type", "array"},
                 {"items", Object({{"field", StringSchema()}, {"message", StringSchema()}},
                                  {"field", "message"})}}}},
              {"type", "title", "status", "code"})},
      {"Role", {{"type", "string"}, {"enum", roles}}},
      {"User", Object({{"id", id}, {"email", StringSchema(254, "email")}, {"name", StringSchema()}},
                      {"id", "email", "name"})},
      {"Tokens", Object({{"access_token", StringSchema()},
                         {"refresh_token", StringSchema()},
                         {"token_type", {{"type", "string"}, {"const", "Bearer"}}},
                         {"expires_in", {{"type", "integer"}, {"description", "seconds"}}}},
                        {"access_token", "token_type", "expires_in"})},
      {"Organization", Object({{"id", id},
                               {"name", StringSchema()},
                               {"slug", StringSchema(63)},
                               {"created_at", instant},
                               {"role", SchemaRef("Role")}},
                              {"id", "name", "slug"})},
      {"Membership",
       Object({{"org_id", id},
               {"org_name", StringSchema()},
               {"role", SchemaRef("Role")},
               {"permissions",
                {{"type", "array"},
                 {"description",
                  "What the role may do (`catalog.manage`, `reports.read`, ...): for clients to "
                  "show only what the member can use; every request is still checked"},
                 {"items", StringSchema()}}}},
              {"org_id", "org_name", "role", "permissions"})},
      {"Me", Object({{"id", id},
                     {"email", StringSchema()},
                     {"name", StringSchema()},
                     {"memberships", {{"type", "array"}, {"items", SchemaRef("Membership")}}}},
                    {"id", "email", "name", "memberships"})},
      {"Invite",
       Object({{"id", id},
               {"email", StringSchema()},
               {"role", SchemaRef("Role")},
               {"status",
                {{"type", "string"}, {"enum", {"pending", "accepted", "revoked", "expired"}}}},
               {"created_at", instant},
               {"expires_at", instant},
               {"email_sent", {{"type", "boolean"}}}},
              {"id", "email", "role", "status", "expires_at"})},
      {"Member", Object({{"user_id", id},
                         {"email", StringSchema()},
                         {"name", StringSchema()},
                         {"role", SchemaRef("Role")},
                         {"joined_at", instant}},
                        {"user_id", "email", "name", "role"})},
  };
  const json integer = {{"type", "integer"}};
  const json boolean = {{"type", "boolean"}};
  const json strings = {{"type", "array"}, {"items", StringSchema()}};
  schemas["Cell"] = Object(
      {{"row", {{"type", "integer"}, {"minimum", 0}, {"description", "counts from 0"}}},
       {"col", {{"type", "integer"}, {"minimum", 0}, {"description", "counts from 0"}}},
       {"type",
        {{"type", "string"}, {"enum", {"seat", "berth", "aisle", "driver", "door", "empty"}}}},
       {"label", StringSchema(8)},
       {"category", StringSchema(32)},
       {"blocked", boolean},
       {"crew", boolean}},
      {"row", "col", "type"});
  schemas["Layout"] = {
      {"description",
       "A template ({template: 2+2|2+1|1+1|double-decker, rows, full_back_row?}) or explicit "
       "decks of cells"},
      {"type", "object"},
      {"properties",
       {{"template", StringSchema()},
        {"rows", integer},
        {"full_back_row", boolean},
        {"decks",
         {{"type", "array"},
          {"items", Object({{"name", StringSchema(32)},
                            {"rows", integer},
                            {"cols", integer},
                            {"cells", {{"type", "array"}, {"items", SchemaRef("Cell")}}}},
                           {"name", "rows", "cols", "cells"})}}}}}};
  schemas["Bus"] = Object({{"id", id},
                           {"plate", StringSchema()},
                           {"name", StringSchema()},
                           {"class", StringSchema()},
                           {"ac", boolean},
                           {"amenities", strings},
                           {"capacity", integer},
                           {"seats_for_sale", integer},
                           {"layout", SchemaRef("Layout")},
                           {"version", integer}},
                          {"id", "plate", "class", "capacity", "layout"});
  schemas["Staff"] = Object({{"id", id},
                             {"name", StringSchema()},
                             {"role", StringSchema()},
                             {"phone", StringSchema()},
                             {"license_no", StringSchema()},
                             {"user_id", id}},
                            {"id", "name", "role", "phone"});
  schemas["CrewAssignment"] =
      Object({{"id", id}, {"trip_id", id}, {"staff_id", id}, {"duty", StringSchema()}},
             {"id", "trip_id", "staff_id", "duty"});
  schemas["Station"] = Object({{"code", StringSchema(5)},
                               {"name", StringSchema()},
                               {"city", StringSchema()},
                               {"lat", {{"type", "number"}}},
                               {"lon", {{"type", "number"}}},
                               {"timezone", StringSchema()}},
                              {"code", "name", "city", "timezone"});
  schemas["RouteStop"] = Object({{"station", StringSchema(5)},
                                 {"arrive_offset_min", integer},
                                 {"depart_offset_min", integer},
                                 {"boarding", boolean},
                                 {"dropping", boolean}},
                                {"station", "arrive_offset_min", "depart_offset_min"});
  schemas["Route"] = Object({{"id", id},
                             {"name", StringSchema()},
                             {"stops", {{"type", "array"}, {"items", SchemaRef("RouteStop")}}}},
                            {"id", "name", "stops"});
  schemas["Fare"] = Object({{"from", StringSchema(5)},
                            {"to", StringSchema(5)},
                            {"amount", {{"type", "integer"}, {"description", "minor units"}}},
                            {"currency", StringSchema(3)},
                            {"category", StringSchema(32)}},
                           {"from", "to", "amount", "currency"});
  schemas["Trip"] = Object(
      {{"id", id},
       {"route_id", id},
       {"bus_id", id},
       {"departure", instant},
       {"arrival", instant},
       {"scheduled_departure", instant},
       {"delay_minutes", integer},
       {"stops",
        {{"type", "array"},
         {"items", Object({{"station", StringSchema(5)},
                           {"arrive_at", instant},
                           {"depart_at", instant},
                           {"boarding", boolean},
                           {"dropping", boolean}},
                          {"station", "arrive_at", "depart_at"})}}},
       {"fares", {{"type", "array"}, {"items", SchemaRef("Fare")}}},
       {"status",
        {{"type", "string"},
         {"enum",
          {"draft", "published", "delayed", "boarding", "departed", "completed", "cancelled"}}}}},
      {"id", "route_id", "bus_id", "departure", "arrival", "stops", "status"});
  schemas["Schedule"] = Object({{"id", id},
                                {"route_id", id},
                                {"bus_id", id},
                                {"departure_time", StringSchema(5)},
                                {"days", strings},
                                {"start_date", StringSchema(0, "date")},
                                {"end_date", StringSchema(0, "date")},
                                {"except_dates", strings},
                                {"fares", {{"type", "array"}, {"items", SchemaRef("Fare")}}},
                                {"publish", boolean}},
                               {"id", "route_id", "bus_id", "departure_time", "days"});
  const nlohmann::json money =
      Object({{"amount", {{"type", "integer"}, {"description", "minor units"}}},
              {"currency", StringSchema(3)}},
             {"amount", "currency"});
  schemas["Hold"] = Object(
      {{"hold_id", id},
       {"trip_id", id},
       {"seats", strings},
       {"from", StringSchema(5)},
       {"to", StringSchema(5)},
       {"expires_at", instant},
       {"version", integer},
       {"total", money},
       {"prices",
        {{"type", "array"},
         {"items",
          Object(
              {{"seat", StringSchema(8)},
               {"amount", integer},
               {"currency", StringSchema(3)},
               {"base", {{"type", "integer"}, {"description", "the catalog's fare, before rules"}}},
               {"rules",
                {{"type", "array"},
                 {"description", "the pricing rule versions that made `amount`"},
                 {"items",
                  Object({{"rule_id", id}, {"version", integer}}, {"rule_id", "version"})}}}},
              {"seat", "amount", "currency"})}}}},
      {"hold_id", "trip_id", "seats", "from", "to", "expires_at", "total"});
  schemas["SeatMap"] = Object(
      {{"trip_id", id},
       {"from", StringSchema(5)},
       {"to", StringSchema(5)},
       {"available", integer},
       {"decks",
        {{"type", "array"},
         {"items",
          Object({{"name", StringSchema(32)},
                  {"rows", integer},
                  {"cols", integer},
                  {"cells",
                   {{"type", "array"},
                    {"items", Object({{"row", integer},
                                      {"col", integer},
                                      {"type", StringSchema(16)},
                                      {"label", StringSchema(8)},
                                      {"category", StringSchema(32)},
                                      {"status",
                                       {{"type", "string"},
                                        {"enum", {"available", "held", "booked", "blocked"}}}}},
                                     {"row", "col", "type"})}}}},
                 {"name", "rows", "cols", "cells"})}}}},
      {"trip_id", "from", "to", "available", "decks"});
  schemas["Payment"] = Object({{"id", id},
                               {"order_id", id},
                               {"status",
                                {{"type", "string"},
                                 {"enum",
                                  {"pending", "authorized", "captured", "failed", "voided",
                                   "partially_refunded", "refunded"}}}},
                               {"amount", money},
                               {"refunded", money},
                               {"provider", StringSchema(32)},
                               {"method", Object({{"type", StringSchema(16)},
                                                  {"brand", StringSchema(16)},
                                                  {"last4", StringSchema(4)}},
                                                 {"type"})},
                               {"failure_code", StringSchema(64)},
                               {"created_at", instant}},
                              {"id", "order_id", "status", "amount"});
  schemas["Refund"] = Object({{"id", id},
                              {"payment_id", id},
                              {"status", StringSchema(16)},
                              {"amount", money},
                              {"reason", StringSchema(64)},
                              {"created_at", instant}},
                             {"id", "payment_id", "status", "amount"});
  schemas["Order"] =
      Object({{"id", id},
              {"status",
               {{"type", "string"},
                {"enum",
                 {"pending_payment", "under_review", "confirmed", "partially_cancelled",
                  "cancelled", "expired"}}}},
              {"trip_id", id},
              {"hold_id", id},
              {"from", StringSchema(5)},
              {"to", StringSchema(5)},
              {"departs_at", instant},
              {"seats", strings},
              {"items",
               {{"type", "array"},
                {"items", Object({{"seat", StringSchema(8)},
                                  {"passenger", {{"type", "object"}}},
                                  {"price", money},
                                  {"status", StringSchema(16)},
                                  {"ticket_id", id}},
                                 {"seat", "passenger", "price", "status"})}}},
              {"contact", {{"type", "object"}}},
              {"total", money},
              {"expires_at", instant},
              {"created_at", instant},
              {"payments", {{"type", "array"}, {"items", SchemaRef("Payment")}}},
              {"refunds", {{"type", "array"}, {"items", SchemaRef("Refund")}}},
              {"tickets", {{"type", "array"}}},
              // Staff who review fraud only: why fraud let the order through or held it.
              {"risk",
               {{"type", {"object", "null"}},
                {"properties",
                 {{"decision", {{"type", "string"}, {"enum", {"allow", "review", "deny"}}}},
                  {"score", integer},
                  {"reasons", {{"type", "array"}}},
                  {"fallback", {{"type", "boolean"}}},
                  {"review_deadline", instant},
                  {"verdict", {{"type", {"string", "null"}}}},
                  {"reviewed_by", id},
                  {"reviewed_at", instant}}}}}},
             {"id", "status", "trip_id", "seats", "items", "total", "expires_at", "payments",
              "refunds", "tickets"});
  schemas["CancelQuote"] = Object({{"quote_id", id},
                                   {"order_id", id},
                                   {"seats", strings},
                                   {"refund", money},
                                   {"fee", money},
                                   {"percent", integer},
                                   {"tier", StringSchema(16)},
                                   {"expires_at", instant}},
                                  {"quote_id", "refund", "fee", "expires_at", "tier"});
  schemas["RefundPolicy"] = Object(
      {{"tiers",
        {{"type", "array"},
         {"description", "from the longest notice to the shortest; less notice refunds nothing"},
         {"items", Object({{"notice_hours", {{"type", "number"}, {"minimum", 0}}},
                           {"percent", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}}},
                          {"notice_hours", "percent"})}}},
       {"default", {{"type", "boolean"}, {"description", "no policy of its own set yet"}}}},
      {"tiers", "default"});
  schemas["SeatBlock"] = Object({{"id", id},
                                 {"trip_id", id},
                                 {"seats", strings},
                                 {"from", StringSchema(5)},
                                 {"to", StringSchema(5)},
                                 {"created_at", StringSchema(0, "date-time")}},
                                {"id", "trip_id", "seats", "from", "to"});
  return {{"schemas", schemas},
          {"securitySchemes",
           {{"bearer",
             {{"type", "http"},
              {"scheme", "bearer"},
              {"bearerFormat", "PASETO v4.public (or EdDSA JWT when configured)"}}}}},
          {"parameters",
           {{"OrgId",
             {{"name", "X-Org-Id"},
              {"in", "header"},
              {"required", false},
              {"description", "The organization to act on; defaults to the caller's only one"},
              {"schema", id}}}}}};
}

std::string Reason(int status) {
  switch (status) {
    case 400:
      return "Malformed request";
    case 401:
      return "Not signed in, or the token is invalid or expired";
    case 403:
      return "The caller's role does not allow this";
    case 404:
      return "Not found (also another organization's resources)";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Body too large";
    case 422:
      return "Semantically invalid";
    case 429:
      return "Rate limited; see Retry-After";
    default:
      return "Error";
  }
}

json Operation(const RoutePolicy* policy, const OperationDoc& doc, const std::string& pattern) {
  json operation = {{"summary", doc.summary}, {"tags", {doc.tag}}};
  json responses = json::object();
  json success = {{"description", "Success"}};
  if (!doc.response.is_null()) {
    success["content"] = {{"application/json", {{"schema", doc.response}}}};
  }
  responses[std::to_string(doc.success_status)] = success;
  std::set<int> errors(doc.errors.begin(), doc.errors.end());
  json parameters = json::array();
  if (!doc.request.is_null()) {
    operation["requestBody"] = {{"required", true},
                                {"content", {{"application/json", {{"schema", doc.request}}}}}};
    errors.insert(400);
    errors.insert(413);
  }
  if (policy != nullptr) {
    if (policy->access == Access::kAnonymous) {
      operation["security"] = json::array();
    } else if (policy->access == Access::kPublic) {
      operation["security"] = json::array({json::object(), {{"bearer", json::array()}}});
    } else {
      operation["security"] = json::array({{{"bearer", json::array()}}});
      errors.insert(401);
    }
    if (policy->access == Access::kAccount) errors.insert(403);
    if (policy->access == Access::kOrg || policy->access == Access::kOrgInPath) {
      errors.insert(403);
      errors.insert(404);
      operation["x-travio-permission"] = identity::PermissionName(*policy->permission);
      if (policy->access == Access::kOrg) {
        parameters.push_back({{"$ref", "#/components/parameters/OrgId"}});
      }
    }
  }
  // Path parameters, from the pattern's {name} segments.
  for (size_t open = pattern.find('{'); open != std::string::npos;
       open = pattern.find('{', open + 1)) {
    const size_t close = pattern.find('}', open);
    parameters.push_back({{"name", pattern.substr(open + 1, close - open - 1)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
  }
  if (doc.paginated) {
    parameters.push_back(
        {{"name", "limit"},
         {"in", "query"},
         {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}}});
    parameters.push_back({{"name", "cursor"},
                          {"in", "query"},
                          {"description", "next_cursor of the previous page"},
                          {"schema", {{"type", "string"}}}});
    errors.insert(400);
  }
  if (!parameters.empty()) operation["parameters"] = parameters;
  for (int status : errors) {
    responses[std::to_string(status)] = {
        {"description", Reason(status)},
        {"content", {{"application/problem+json", {{"schema", SchemaRef("Problem")}}}}}};
  }
  operation["responses"] = responses;
  return operation;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

json SchemaRef(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

void OpenApiDocument::Add(const std::string& method, const std::string& pattern,
                          const RoutePolicy& policy, const OperationDoc& doc) {
  paths_[pattern][Lower(method)] = Operation(&policy, doc, pattern);
}

void OpenApiDocument::AddPlain(const std::string& method, const std::string& pattern,
                               const OperationDoc& doc) {
  paths_[pattern][Lower(method)] = Operation(nullptr, doc, pattern);
}

json OpenApiDocument::Build() const {
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Travio public API"},
            {"version", std::string(Version())},
            {"description",
             "REST/JSON API of Travio, intercity bus ticketing. Errors are RFC 9457 problem "
             "documents with a stable `code`."}}},
          {"paths", paths_},
          {"components", Components()}};
}

}  // namespace travio::gateway
