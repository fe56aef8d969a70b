#include "services/notification/writing/message_data.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/errors.h"
#include "platform/base/rfc3339.h"
#include "services/notification/domain/locale_format.h"

namespace travio::notification {
namespace {

using nlohmann::json;

std::string Text(const json& data, const char* key) {
  const auto found = data.find(key);
  return found != data.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string MoneyText(const json& money, std::string_view locale) {
  if (!money.is_object() || !money.contains("amount") || !money["amount"].is_number_integer()) {
    return {};
  }
  return FormatMoney(money["amount"].get<int64_t>(), money.value("currency", ""), locale);
}

absl::Status Invalid(const std::string& why) {
  return Error(reasons::kInvalidNotice, absl::StrCat("The notice cannot be written: ", why));
}

// "growth" -> "Growth": plans are named in configuration in lower case.
std::string PlanName(std::string plan) {
  if (!plan.empty() && plan[0] >= 'a' && plan[0] <= 'z') plan[0] = static_cast<char>(plan[0] - 32);
  return plan;
}

// The owners' messages about their organization's subscription (subscription_*): plan names
// as shown, dates in the billing time zone, amounts in the locale.
absl::StatusOr<json> OwnerData(json out, const std::string& lang) {
  const json data = out;
  if (Text(data, "org_name").empty()) return Invalid("no organization");
  out["operator_name"] = Text(data, "org_name");
  const std::string zone = Text(data, "timezone");
  for (const char* plan : {"plan", "previous_plan", "pending_plan"}) {
    if (!Text(data, plan).empty()) out[std::string(plan) + "_name"] = PlanName(Text(data, plan));
  }
  const auto date = [&](const char* key, const std::string& as, absl::Duration shift) {
    if (absl::StatusOr<absl::Time> at = ParseRfc3339(Text(data, key)); at.ok()) {
      out[as] = FormatLongDate(*at + shift, zone, lang);
    }
  };
  date("effective_at", "effective_date", absl::ZeroDuration());
  date("trial_end", "trial_end_date", absl::ZeroDuration());
  date("period_start", "period_start_date", absl::ZeroDuration());
  // A period ends at the first instant of the next: its last day is the day before.
  date("period_end", "period_last_date", -absl::Seconds(1));
  for (const char* money : {"plan_price", "booking_fee", "charge", "total"}) {
    if (!data.contains(money)) continue;
    // A charge of nothing is no charge: its template section is skipped.
    if (std::string(money) == "charge" && data[money].value("amount", int64_t{0}) == 0) continue;
    out[std::string(money) + "_text"] = MoneyText(data[money], lang);
  }
  return out;
}

}  // namespace

absl::StatusOr<json> TemplateData(std::string_view kind, std::string_view locale,
                                  const json& data) {
  if (!data.is_object()) return Invalid("its data is not an object");
  json out = data;
  const std::string lang = SupportedLocale(locale);
  out["footer_text"] = lang == "bn" ? "Travio-র মাধ্যমে পাঠানো। এই ইমেইলের উত্তর দেবেন না।"
                                    : "Sent by Travio on behalf of the operator. Please do not "
                                      "reply to this email.";
  if (kind == "org_invite") {
    if (!out.contains("operator_name")) out["operator_name"] = Text(data, "org_name");
    return out;
  }
  if (kind.substr(0, 13) == "subscription_") {
    // Travio's own mail to the operator, not the operator's to a traveller.
    out["footer_text"] =
        lang == "bn" ? "আপনার প্রতিষ্ঠানের Travio অ্যাকাউন্ট নিয়ে পাঠানো। এই ইমেইলের উত্তর দেবেন না।"
                     : "Sent by Travio about your organization's account. Please do not "
                       "reply to this email.";
    return OwnerData(std::move(out), lang);
  }
  // The travellers' messages.
  absl::StatusOr<absl::Time> departure = ParseRfc3339(Text(data, "departure"));
  if (!departure.ok()) return Invalid("no departure");
  const std::string zone = Text(data, "timezone");
  out["departure_date"] = FormatLongDate(*departure, zone, lang);
  out["departure_date_short"] = FormatShortDate(*departure, zone, lang);
  out["departure_time"] = FormatClock(*departure, zone, lang);
  if (!data.contains("tickets") || !data["tickets"].is_array()) return Invalid("no tickets");
  json valid = json::array();
  json voided = json::array();
  std::vector<std::string> seats, void_seats, numbers;
  for (const json& ticket : data["tickets"]) {
    if (!ticket.is_object()) return Invalid("a ticket is not an object");
    if (Text(ticket, "status") == "void") {
      voided.push_back(ticket);
      void_seats.push_back(Text(ticket, "seat"));
    } else {
      valid.push_back(ticket);
      seats.push_back(Text(ticket, "seat"));
      numbers.push_back(Text(ticket, "number"));
    }
  }
  out["valid_tickets"] = valid;
  out["void_tickets"] = voided;
  out["has_valid"] = !valid.empty();
  out["seat_list"] = absl::StrJoin(seats, ",");
  out["void_seat_list"] = absl::StrJoin(void_seats, ",");
  out["number_list"] = absl::StrJoin(numbers, ",");
  if (data.contains("total")) out["total_text"] = MoneyText(data["total"], lang);
  if (data.contains("refund")) out["refund_text"] = MoneyText(data["refund"], lang);
  if (data.contains("delay_minutes") && data["delay_minutes"].is_number_integer()) {
    out["delay_text"] = FormatMinutes(data["delay_minutes"].get<int64_t>(), lang);
  }
  if (absl::StatusOr<absl::Time> expires = ParseRfc3339(Text(data, "pdf_url_expires_at"));
      expires.ok()) {
    out["pdf_url_expires"] = FormatUtcMoment(*expires, lang);
  }
  // An empty link is no link: the templates' {{#pdf_url}} sections are then skipped.
  if (Text(data, "pdf_url").empty()) out.erase("pdf_url");
  if (Text(data, "manage_url").empty()) out.erase("manage_url");
  if (Text(data, "cancel_reason").empty()) out.erase("cancel_reason");
  return out;
}

}  // namespace travio::notification
