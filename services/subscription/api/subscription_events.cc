#include "services/subscription/api/subscription_events.h"

#include <nlohmann/json.hpp>

#include "platform/base/rfc3339.h"
#include "platform/events/json_payload.h"

namespace travio::subscription {
namespace {

using events::InvalidPayload;
using nlohmann::json;

std::string Text(const json& in, const char* key) { return in.at(key).get<std::string>(); }

}  // namespace

std::string EncodeSubscriptionChanged(const SubscriptionChanged& event) {
  return json{{"plan", event.plan},
              {"previous_plan", event.previous_plan},
              {"pending_plan", event.pending_plan},
              {"effective_at", FormatRfc3339(event.effective_at)},
              {"trial_end", FormatRfc3339(event.trial_end)},
              {"charge", event.charge.amount},
              {"currency", event.charge.currency},
              {"actor", event.actor}}
      .dump();
}

absl::StatusOr<SubscriptionChanged> DecodeSubscriptionChanged(std::string_view payload) {
  return events::ReadJsonPayload<SubscriptionChanged>(
      "subscription", payload, [](const json& in) -> absl::StatusOr<SubscriptionChanged> {
        absl::StatusOr<absl::Time> effective = ParseRfc3339(Text(in, "effective_at"));
        absl::StatusOr<absl::Time> trial_end = ParseRfc3339(Text(in, "trial_end"));
        if (!effective.ok() || !trial_end.ok()) {
          return InvalidPayload("subscription", "effective_at or trial_end is not an instant");
        }
        return SubscriptionChanged{.plan = Text(in, "plan"),
                                   .previous_plan = Text(in, "previous_plan"),
                                   .pending_plan = Text(in, "pending_plan"),
                                   .effective_at = *effective,
                                   .trial_end = *trial_end,
                                   .charge = {in.at("charge").get<int64_t>(), Text(in, "currency")},
                                   .actor = Text(in, "actor")};
      });
}

std::string EncodeInvoiceIssued(const InvoiceIssued& event) {
  return json{{"invoice_id", event.invoice_id},
              {"number", event.number},
              {"period_start", FormatRfc3339(event.period_start)},
              {"period_end", FormatRfc3339(event.period_end)},
              {"total", event.total.amount},
              {"currency", event.total.currency}}
      .dump();
}

absl::StatusOr<InvoiceIssued> DecodeInvoiceIssued(std::string_view payload) {
  return events::ReadJsonPayload<InvoiceIssued>(
      "invoice", payload, [](const json& in) -> absl::StatusOr<InvoiceIssued> {
        absl::StatusOr<absl::Time> start = ParseRfc3339(Text(in, "period_start"));
        absl::StatusOr<absl::Time> end = ParseRfc3339(Text(in, "period_end"));
        if (!start.ok() || !end.ok()) {
          return InvalidPayload("invoice", "period_start or period_end is not an instant");
        }
        return InvoiceIssued{.invoice_id = Text(in, "invoice_id"),
                             .number = Text(in, "number"),
                             .period_start = *start,
                             .period_end = *end,
                             .total = {in.at("total").get<int64_t>(), Text(in, "currency")}};
      });
}

}  // namespace travio::subscription
