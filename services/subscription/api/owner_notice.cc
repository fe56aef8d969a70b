#include "services/subscription/api/owner_notice.h"

#include <nlohmann/json.hpp>

#include "platform/base/rfc3339.h"

namespace travio::subscription {
namespace {

using nlohmann::json;

void PutText(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}
void PutTime(json& out, const char* key, const std::optional<absl::Time>& value) {
  if (value) out[key] = FormatRfc3339(*value);
}
void PutMoney(json& out, const char* key, const std::optional<Money>& value) {
  if (value) out[key] = {{"amount", value->amount}, {"currency", value->currency}};
}

}  // namespace

std::string EncodeOwnerNotice(const OwnerNotice& notice) {
  json out = json::object();
  PutText(out, "org_name", notice.org_name);
  PutText(out, "timezone", notice.time_zone);
  PutText(out, "plan", notice.plan);
  PutText(out, "previous_plan", notice.previous_plan);
  PutText(out, "pending_plan", notice.pending_plan);
  PutTime(out, "effective_at", notice.effective_at);
  PutTime(out, "trial_end", notice.trial_end);
  PutMoney(out, "plan_price", notice.plan_price);
  PutMoney(out, "booking_fee", notice.booking_fee);
  PutMoney(out, "charge", notice.charge);
  PutText(out, "invoice_id", notice.invoice_id);
  PutText(out, "number", notice.number);
  PutTime(out, "period_start", notice.period_start);
  PutTime(out, "period_end", notice.period_end);
  PutMoney(out, "total", notice.total);
  return out.dump();
}

}  // namespace travio::subscription
