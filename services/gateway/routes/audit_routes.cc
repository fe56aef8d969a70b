#include "services/gateway/routes/audit_routes.h"

#include <map>

#include "absl/strings/numbers.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/rfc3339.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;

absl::StatusOr<std::optional<absl::Time>> InstantParam(const http::Request& request,
                                                       const char* name) {
  const std::optional<std::string> text = request.Query(name);
  if (!text || text->empty()) return std::nullopt;
  absl::StatusOr<absl::Time> at = ParseRfc3339(*text);
  if (!at.ok()) {
    return Error(reasons::kInvalidInstant,
                 absl::StrCat(name, " must be an RFC 3339 instant, such as 2026-12-01T00:00:00Z"));
  }
  return *at;
}

// Query text must be UTF-8 before it reaches a database or a proto string.
bool IsUtf8(const std::string& text) {
  try {
    (void)json(text).dump(-1, ' ', false, json::error_handler_t::strict);
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

class AuditRoutes {
 public:
  AuditRoutes(std::shared_ptr<audit::AuditClient> audit,
              std::shared_ptr<identity::IdentityClient> identity)
      : audit_(std::move(audit)), identity_(std::move(identity)) {}

  http::Response List(http::Request& request, const Caller& caller) {
    audit::AuditQuery query;
    query.log = caller.membership->org_id;
    query.actor = request.Query("actor").value_or("");
    query.action = request.Query("action").value_or("");
    if (!IsUtf8(query.actor) || !IsUtf8(query.action)) {
      return Fail(Error(reasons::kValidationFailed, "actor and action must be UTF-8 text."));
    }
    auto limit = LimitOf(request);
    if (!limit.ok()) return Fail(limit.status());
    query.limit = *limit;
    for (auto [name, into] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
      auto at = InstantParam(request, name);
      if (!at.ok()) return Fail(at.status());
      *into = *at;
    }
    if (const auto cursor = request.Query("cursor"); cursor && !cursor->empty()) {
      int64_t before = 0;
      if (!absl::SimpleAtoi(*cursor, &before) || before < 1) {
        return Fail(Error(reasons::kInvalidCursor, "The cursor is not one this list gave."));
      }
      query.before_seq = before;
    }
    auto page = audit_->List(query);
    if (!page.ok()) return Fail(page.status());
    std::map<std::string, std::string> names;
    json items = json::array();
    for (const audit::AuditEntry& entry : page->items) {
      items.push_back(EntryJson(entry, NameOf(entry.fact.actor, names)));
    }
    return http::Json(
        200, {{"items", std::move(items)},
              {"next_cursor", page->next_before_seq ? json(absl::StrCat(*page->next_before_seq))
                                                    : json(nullptr)}});
  }

  http::Response Verify(http::Request&, const Caller& caller) {
    auto verification = audit_->Verify(caller.membership->org_id);
    if (!verification.ok()) return Fail(verification.status());
    if (verification->ok) {
      return http::Json(200, {{"ok", true},
                              {"entries", verification->entries},
                              {"head_hash", verification->head_hash}});
    }
    return http::Json(200, {{"ok", false},
                            {"entries", verification->entries},
                            {"first_bad_seq", verification->first_bad_seq},
                            {"reason", verification->reason}});
  }

 private:
  static json EntryJson(const audit::AuditEntry& entry, const std::string& actor_name) {
    json details = json::parse(entry.fact.details, nullptr, /*allow_exceptions=*/false);
    if (details.is_discarded()) details = entry.fact.details;
    return {{"seq", entry.seq},
            {"at", Instant(entry.fact.at)},
            {"actor", {{"id", entry.fact.actor}, {"name", actor_name}}},
            {"action", entry.fact.action},
            {"target", {{"id", entry.fact.target}, {"name", entry.fact.target_name}}},
            {"details", std::move(details)},
            {"hash", entry.hash},
            {"prev_hash", entry.prev_hash}};
  }

  // An account's name as identity knows it now (once per page); what a service or a guest is
  // called otherwise.
  std::string NameOf(const std::string& actor, std::map<std::string, std::string>& names) {
    if (auto it = names.find(actor); it != names.end()) return it->second;
    std::string name;
    if (actor.starts_with("service:")) {
      name = absl::StrCat(actor.substr(8), " service");
    } else if (actor.starts_with("guest:")) {
      name = "guest";
    } else if (IsUuid(actor)) {
      auto me = identity_->GetMe(actor);
      if (me.ok()) name = me->user.name.empty() ? me->user.email : me->user.name;
    }
    names[actor] = name;
    return name;
  }

  std::shared_ptr<audit::AuditClient> audit_;
  std::shared_ptr<identity::IdentityClient> identity_;
};

}  // namespace

absl::Status AddAuditRoutes(SecureRoutes& routes, std::shared_ptr<audit::AuditClient> audit,
                            std::shared_ptr<identity::IdentityClient> identity) {
  auto handlers = std::make_shared<AuditRoutes>(std::move(audit), std::move(identity));
  const RoutePolicy read = OrgPolicy(Permission::kAuditRead);
  const json party =
      ObjectSchema({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}}, {"id", "name"});
  const json entry =
      ObjectSchema({{"seq", {{"type", "integer"}}},
                    {"at", {{"type", "string"}, {"format", "date-time"}}},
                    {"actor", party},
                    {"action", {{"type", "string"}}},
                    {"target", party},
                    {"details", {{"type", "object"}}},
                    {"hash", {{"type", "string"}}},
                    {"prev_hash", {{"type", "string"}}}},
                   {"seq", "at", "actor", "action", "target", "details", "hash", "prev_hash"});
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/audit",
       .policy = read,
       .handler = Bind(handlers, &AuditRoutes::List),
       .doc = {.summary = "Your organization's audit log, newest first: ?actor= (an id), "
                          "?action= (exact, or a prefix ending in a dot, such as trip.), "
                          "?from= and ?to= (RFC 3339), ?cursor=, ?limit=",
               .tag = "audit",
               .success_status = 200,
               .response = {{"type", "object"},
                            {"properties",
                             {{"items", {{"type", "array"}, {"items", entry}}},
                              {"next_cursor", {{"type", {"string", "null"}}}}}},
                            {"required", {"items", "next_cursor"}}},
               .errors = {400},
               .paginated = true}},
      {.method = "GET",
       .pattern = "/v1/audit/verify",
       .policy = read,
       .handler = Bind(handlers, &AuditRoutes::Verify),
       .doc = {.summary = "Recompute your log's hash chain and check its signed checkpoints: ok "
                          "with the number of entries and the head hash, or the first entry "
                          "that does not match and why",
               .tag = "audit",
               .success_status = 200,
               .response = {{"type", "object"},
                            {"properties",
                             {{"ok", {{"type", "boolean"}}},
                              {"entries", {{"type", "integer"}}},
                              {"head_hash", {{"type", "string"}}},
                              {"first_bad_seq", {{"type", "integer"}}},
                              {"reason", {{"type", "string"}}}}},
                            {"required", {"ok", "entries"}}},
               .errors = {}}},
  };
  for (RouteSpec spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(std::move(spec)));
  return absl::OkStatus();
}

}  // namespace travio::gateway
