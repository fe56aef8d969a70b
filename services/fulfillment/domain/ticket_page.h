#pragma once

// What a ticket's PDF page says, in words: the ticket and its trip formatted for a traveller
// (times in the boarding station's zone, money with its currency). The renderer only draws.

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/fulfillment/domain/ticket.h"

namespace travio::fulfillment {

/// What the catalog and identity say about a ticket's trip and journey.
struct TripFacts {
  std::string operator_name;
  std::string route_name;
  std::string from_code;
  std::string from_name;
  std::string from_timezone;  // IANA, the boarding station's
  std::string to_code;
  std::string to_name;
  std::string to_timezone;
  absl::Time departure;   // from the boarding station, delay included
  absl::Time arrival;     // at the dropping station, delay included
  std::string bus_class;  // seater, semi_sleeper, sleeper
  bool ac = false;
  std::string plate;
  std::map<std::string, std::string> deck_of_seat;  // seat label -> deck name
  int delay_minutes = 0;                            // included in departure and arrival
  std::string cancel_reason;                        // a cancelled trip's, as its operator gave it
};

struct TicketPage {
  std::string operator_name;
  std::string route;
  std::string from;  // "Dhaka (DHK)"
  std::string to;
  std::string departure_date;  // "Sunday, 20 December 2026"
  std::string departure_time;  // "22:30"
  std::string departure_zone;  // "Asia/Dhaka (UTC+06:00)"
  std::string arrival;         // "06:30, Monday 21 December"
  std::string passenger;
  std::string seat;  // "A1"
  std::string deck;  // "lower deck"; empty on a single-deck bus
  std::string number;
  std::string fare;  // "BDT 1,200.00"
  std::string bus;   // "AC sleeper, DHK-11-2233"
  std::string order_id;
  std::string qr;
  std::string page_label;  // "Ticket 1 of 3"
  std::vector<std::string> terms;
};

/// The page of `ticket` (the `index`-th of `count`).
TicketPage DescribeTicket(const Ticket& ticket, const TripFacts& trip, int index, int count);

/// "BDT 1,200.00": the amount in major units with thousands separators and the currency code.
std::string FormatMoney(const Money& money);

}  // namespace travio::fulfillment
