#include "services/fulfillment/domain/ticket_page.h"

#include <cstdlib>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "platform/base/money.h"

namespace travio::fulfillment {
namespace {

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return absl::UTCTimeZone();
  return zone;
}

std::string Station(const std::string& name, const std::string& code) {
  if (name.empty() || name == code) return code;
  return absl::StrCat(name, " (", code, ")");
}

std::string BusDescription(const TripFacts& trip) {
  std::string kind = absl::StrReplaceAll(trip.bus_class, {{"_", "-"}});
  if (kind.empty()) kind = "bus";
  std::string text = absl::StrCat(trip.ac ? "AC " : "Non-AC ", kind);
  if (!trip.plate.empty()) absl::StrAppend(&text, ", ", trip.plate);
  return text;
}

}  // namespace

std::string FormatMoney(const Money& money) {
  return absl::StrCat(money.currency, " ", FormatAmount(money.amount));
}

TicketPage DescribeTicket(const Ticket& ticket, const TripFacts& trip, int index, int count) {
  const absl::TimeZone from_zone = Zone(trip.from_timezone);
  const absl::TimeZone to_zone =
      Zone(trip.to_timezone.empty() ? trip.from_timezone : trip.to_timezone);
  TicketPage page;
  page.operator_name = trip.operator_name;
  page.route = trip.route_name;
  page.from = Station(trip.from_name, ticket.from);
  page.to = Station(trip.to_name, ticket.to);
  page.departure_date = absl::FormatTime("%A, %e %B %Y", trip.departure, from_zone);
  page.departure_date = absl::StrReplaceAll(page.departure_date, {{",  ", ", "}});
  page.departure_time = absl::FormatTime("%H:%M", trip.departure, from_zone);
  page.departure_zone =
      absl::StrCat(trip.from_timezone.empty() ? "UTC" : trip.from_timezone, " (UTC",
                   absl::FormatTime("%Ez", trip.departure, from_zone), ")");
  page.arrival = absl::StrReplaceAll(absl::FormatTime("%H:%M, %A %e %B", trip.arrival, to_zone),
                                     {{"  ", " "}});
  page.passenger = ticket.passenger;
  page.seat = ticket.seat;
  std::set<std::string> decks;
  for (const auto& [seat, deck] : trip.deck_of_seat) decks.insert(deck);
  if (decks.size() > 1 && !ticket.deck.empty()) page.deck = absl::StrCat(ticket.deck, " deck");
  page.number = ticket.number;
  page.fare = FormatMoney(ticket.fare);
  page.bus = BusDescription(trip);
  page.order_id = ticket.order_id;
  page.qr = ticket.qr;
  page.page_label = absl::StrCat("Ticket ", index, " of ", count);
  page.terms = {
      "Show this code at boarding, on paper or on your phone. It is valid once, for this seat and "
      "journey only.",
      absl::StrCat("Be at ", page.from,
                   " 15 minutes before departure. Times are local to the "
                   "boarding station."),
      "Cancellations and refunds follow the operator's refund policy; cancel from your order "
      "page. A cancelled seat's code no longer boards.",
      "Carry a photo ID matching the passenger name.",
  };
  return page;
}

}  // namespace travio::fulfillment
