#include "services/fulfillment/api/fulfillment_events.h"

#include <nlohmann/json.hpp>

#include "platform/base/rfc3339.h"
#include "platform/events/json_payload.h"

namespace travio::fulfillment {
namespace {

using events::InvalidPayload;
using events::ReadJsonPayload;
using nlohmann::json;

std::string Text(const json& in, const char* key) { return in.at(key).get<std::string>(); }
json MoneyJson(const Money& money) {
  return {{"amount", money.amount}, {"currency", money.currency}};
}
Money MoneyOf(const json& in) {
  return {in.at("amount").get<int64_t>(), in.at("currency").get<std::string>()};
}

}  // namespace

std::string EncodeOrderTicketsChanged(const OrderTicketsChanged& event) {
  json tickets = json::array();
  for (const TicketLine& line : event.tickets) {
    tickets.push_back({{"ticket_id", line.ticket_id},
                       {"number", line.number},
                       {"seat", line.seat},
                       {"passenger", line.passenger},
                       {"status", StatusName(line.status)}});
  }
  json out{{"order_id", event.order_id},
           {"org_id", event.org_id},
           {"generation", event.generation},
           {"email", event.email},
           {"phone", event.phone},
           {"locale", event.locale},
           {"operator_name", event.operator_name},
           {"from", {{"code", event.from_code}, {"name", event.from_name}}},
           {"to", {{"code", event.to_code}, {"name", event.to_name}}},
           {"timezone", event.timezone},
           {"departure", FormatRfc3339(event.departure)},
           {"tickets", std::move(tickets)},
           {"total", MoneyJson(event.total)},
           {"refund", MoneyJson(event.refund)},
           {"tier", event.tier},
           {"delay_minutes", event.delay_minutes},
           {"cancel_reason", event.cancel_reason}};
  // Only in what is handed to notification: a published event carries no bearer-less link.
  if (!event.pdf_url.empty()) {
    out["pdf_url"] = event.pdf_url;
    out["pdf_url_expires_at"] = FormatRfc3339(event.pdf_url_expires_at);
  }
  if (!event.manage_url.empty()) out["manage_url"] = event.manage_url;
  if (event.refund_at_counter) out["refund_at_counter"] = true;
  return out.dump();
}

absl::StatusOr<OrderTicketsChanged> DecodeOrderTicketsChanged(std::string_view payload) {
  return ReadJsonPayload<OrderTicketsChanged>(
      "tickets", payload, [](const json& in) -> absl::StatusOr<OrderTicketsChanged> {
        absl::StatusOr<absl::Time> departure = ParseRfc3339(Text(in, "departure"));
        if (!departure.ok()) return InvalidPayload("tickets", "departure is not an instant");
        OrderTicketsChanged event;
        event.order_id = Text(in, "order_id");
        event.org_id = Text(in, "org_id");
        event.generation = in.at("generation").get<int64_t>();
        event.email = Text(in, "email");
        event.phone = Text(in, "phone");
        event.locale = Text(in, "locale");
        event.operator_name = Text(in, "operator_name");
        event.from_code = Text(in.at("from"), "code");
        event.from_name = Text(in.at("from"), "name");
        event.to_code = Text(in.at("to"), "code");
        event.to_name = Text(in.at("to"), "name");
        event.timezone = Text(in, "timezone");
        event.departure = *departure;
        for (const json& line : in.at("tickets")) {
          const auto status = ParseName(kTicketStatusNames, Text(line, "status"));
          if (!status) return InvalidPayload("tickets", "a ticket status is unknown");
          event.tickets.push_back({.ticket_id = Text(line, "ticket_id"),
                                   .number = Text(line, "number"),
                                   .seat = Text(line, "seat"),
                                   .passenger = Text(line, "passenger"),
                                   .status = *status});
        }
        if (in.contains("pdf_url")) {
          absl::StatusOr<absl::Time> link_expiry = ParseRfc3339(Text(in, "pdf_url_expires_at"));
          if (!link_expiry.ok()) {
            return InvalidPayload("tickets", "pdf_url_expires_at is not an instant");
          }
          event.pdf_url = Text(in, "pdf_url");
          event.pdf_url_expires_at = *link_expiry;
        }
        if (in.contains("manage_url")) event.manage_url = Text(in, "manage_url");
        event.total = MoneyOf(in.at("total"));
        event.refund = MoneyOf(in.at("refund"));
        event.tier = Text(in, "tier");
        event.delay_minutes = in.at("delay_minutes").get<int>();
        event.cancel_reason = Text(in, "cancel_reason");
        const auto at_counter = in.find("refund_at_counter");
        event.refund_at_counter =
            at_counter != in.end() && at_counter->is_boolean() && at_counter->get<bool>();
        return event;
      });
}

std::string EncodeTicketBoarded(const TicketBoarded& event) {
  return json{{"ticket_id", event.ticket_id},
              {"order_id", event.order_id},
              {"trip_id", event.trip_id},
              {"seat", event.seat},
              {"boarded_at", FormatRfc3339(event.boarded_at)}}
      .dump();
}

absl::StatusOr<TicketBoarded> DecodeTicketBoarded(std::string_view payload) {
  return ReadJsonPayload<TicketBoarded>(
      "boarding", payload, [](const json& in) -> absl::StatusOr<TicketBoarded> {
        absl::StatusOr<absl::Time> at = ParseRfc3339(Text(in, "boarded_at"));
        if (!at.ok()) return InvalidPayload("boarding", "boarded_at is not an instant");
        return TicketBoarded{.ticket_id = Text(in, "ticket_id"),
                             .order_id = Text(in, "order_id"),
                             .trip_id = Text(in, "trip_id"),
                             .seat = Text(in, "seat"),
                             .boarded_at = *at};
      });
}

}  // namespace travio::fulfillment
