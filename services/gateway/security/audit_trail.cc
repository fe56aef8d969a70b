#include "services/gateway/security/audit_trail.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "platform/base/text.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::gateway {
namespace {

using nlohmann::json;

constexpr size_t kLargestBodyRead = 64 * 1024;

// Settings that no service's event describes: their answer (the settings as stored) is what
// changed, so it is kept with the record. Anything an owner or admin can read back anyway.
constexpr std::string_view kRoutesWhoseAnswerIsKept[] = {
    "PUT /v1/operator/refund-policy",
    "PUT /v1/fraud/settings",
    "POST /v1/pricing/rules",
    "PUT /v1/pricing/rules/{id}",
    "PUT /v1/queue/rooms/{room_id}",
    // A schedule's fares and bus: what a manager set, even for a moment.
    "POST /v1/catalog/schedules",
    "PATCH /v1/catalog/schedules/{schedule_id}",
    "POST /v1/catalog/schedules/{schedule_id}/end",
};
constexpr size_t kLargestAnswerKept = 5 * 1024;
// A longer text of a kept answer is cut, with the digest of the whole: padding one field (a
// rule's condition) must not push another (its adjustment) out of the record.
constexpr size_t kLongestTextKept = 512;

// The route's last {id} or {..._id} segment: what the change was made on.
std::string TargetInPath(const http::Request& request) {
  const std::string& route = request.route;
  std::string last;
  for (size_t open = route.find('{'); open != std::string::npos; open = route.find('{', open)) {
    const size_t close = route.find('}', open);
    if (close == std::string::npos) break;
    const std::string name = route.substr(open + 1, close - open - 1);
    if (name == "id" || name.ends_with("_id"))
      last = FitPrintableUtf8(request.PathParam(name), 128);
    open = close;
  }
  return last;
}

// The names and expressions a client chose, inside a kept answer, made fit like every other
// text of a record (no control or bidirectional characters).
void FitStrings(json& value) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.size() <= kLongestTextKept) {
      value = FitPrintableUtf8(text, kLongestTextKept);
    } else {
      value = FitPrintableUtf8(text, kLongestTextKept) + "... (" + std::to_string(text.size()) +
              " bytes, sha256 " + crypto::HexEncode(crypto::Sha256(text)) + ")";
    }
  } else if (value.is_structured()) {
    for (json& member : value) FitStrings(member);
  }
}

// The settings an answer carries, for the routes that keep it: as JSON with long texts cut
// (each with its digest), or when even that is too large (a list of many), the whole answer's
// digest (the settings can be read back; the digest says which they were).
std::optional<json> KeptAnswer(const http::Request& request, const http::Response& response) {
  const std::string action = request.method + " " + request.route;
  if (std::find(std::begin(kRoutesWhoseAnswerIsKept), std::end(kRoutesWhoseAnswerIsKept), action) ==
      std::end(kRoutesWhoseAnswerIsKept)) {
    return std::nullopt;
  }
  json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) return std::nullopt;
  FitStrings(answer);
  if (answer.dump().size() > kLargestAnswerKept) {
    return json{{"bytes", response.body.size()},
                {"sha256", crypto::HexEncode(crypto::Sha256(response.body))}};
  }
  return answer;
}

// What the answer says about what was made or changed: its id, and a name for it.
void TargetInAnswer(const http::Response& response, std::string& target, std::string& name) {
  if (response.body.empty() || response.body.size() > kLargestBodyRead) return;
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return;
  if (target.empty()) {
    for (const char* key : {"id", "user_id", "order_id", "ticket_id"}) {
      if (auto it = body.find(key); it != body.end() && it->is_string()) {
        target = FitPrintableUtf8(it->get<std::string>(), 128);
        break;
      }
    }
  }
  for (const char* key : {"name", "plate", "email", "code", "route_name", "passenger"}) {
    if (auto it = body.find(key); it != body.end() && it->is_string()) {
      name = FitPrintableUtf8(it->get<std::string>(), 256);
      return;
    }
  }
}

}  // namespace

AuditTrail::AuditTrail(std::shared_ptr<audit::AuditClient> audit, const Clock& clock,
                       const IdGenerator& ids, log::Logger logger, metrics::Registry* metrics)
    : audit_(std::move(audit)), clock_(clock), ids_(ids), logger_(std::move(logger)) {
  if (metrics != nullptr) {
    failures_ =
        &metrics->AddCounter("travio_gateway_audit_failures_total",
                             "Actions the gateway could not record in the audit log", {"kind"});
  }
}

void AuditTrail::RecordChange(const http::Request& request, const Caller& caller,
                              const http::Response& response) {
  if (!caller.membership) return;
  audit::AuditFact fact;
  fact.log = caller.membership->org_id;
  fact.actor = caller.user_id();
  fact.action = request.method + " " + request.route;
  fact.target = TargetInPath(request);
  TargetInAnswer(response, fact.target, fact.target_name);
  json details = {{"status", response.status},
                  {"path", FitPrintableUtf8(request.path, 512)},
                  {"role", identity::RoleName(caller.membership->role)},
                  {"client_address", request.remote_address},
                  {"request_id", request.request_id}};
  if (std::optional<json> answer = KeptAnswer(request, response)) {
    details["result"] = *std::move(answer);
  }
  fact.details = details.dump(-1, ' ', false, json::error_handler_t::replace);
  Record(std::move(fact));
}

void AuditTrail::RecordSignIn(const http::Request& request, const std::string& email,
                              const std::string& user_id, const std::string& reason) {
  audit::AuditFact fact;
  fact.log = std::string(audit::kPlatformLog);
  fact.actor = user_id.empty() ? "anonymous" : user_id;
  fact.action = user_id.empty() ? "session.sign_in_failed" : "session.signed_in";
  fact.target = user_id;
  fact.target_name = FitPrintableUtf8(email, 254);
  json details = {{"client_address", request.remote_address}, {"request_id", request.request_id}};
  if (!reason.empty()) details["reason"] = reason;
  fact.details = details.dump(-1, ' ', false, json::error_handler_t::replace);
  Record(std::move(fact));
}

void AuditTrail::Record(audit::AuditFact fact) {
  fact.source = ids_.NewId();
  fact.at = clock_.Now();
  const absl::Status status = audit_->Record(fact);
  if (status.ok()) return;
  logger_.Error("an action was not recorded in the audit log", {{"action", fact.action},
                                                                {"actor", fact.actor},
                                                                {"log", fact.log},
                                                                {"record", fact.source},
                                                                {"error", status.ToString()}});
  if (failures_ != nullptr) {
    failures_->WithLabels({fact.action.starts_with("session.") ? "sign_in" : "change"}).Increment();
  }
}

}  // namespace travio::gateway
