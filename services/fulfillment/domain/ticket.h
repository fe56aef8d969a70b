#pragma once

// A ticket: one passenger's seat on one journey of a paid order, with the number people read
// out and the signed code a conductor scans.

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "platform/base/enum_names.h"
#include "platform/base/money.h"

namespace travio::fulfillment {

/// issued -> boarded; issued -> void (its seat was cancelled). A void ticket never boards.
enum class TicketStatus { kIssued, kBoarded, kVoid };
inline constexpr EnumName<TicketStatus> kTicketStatusNames[] = {
    {TicketStatus::kIssued, "issued"},
    {TicketStatus::kBoarded, "boarded"},
    {TicketStatus::kVoid, "void"},
};
inline std::string_view StatusName(TicketStatus status) {
  return NameOf(kTicketStatusNames, status);
}

struct Ticket {
  std::string id;      // UUIDv7
  std::string number;  // "K7Q2M-9XD3F": what a traveller reads out at a counter
  std::string order_id;
  std::string org_id;
  std::string trip_id;
  std::string buyer;  // the order's buyer (subject), who may see it besides the operator's staff
  std::string seat;   // label, "A1"
  std::string deck;   // "lower", "upper", "main"
  std::string passenger;
  std::string from;  // station codes of the journey
  std::string to;
  absl::Time departure;  // from the boarding station, as scheduled when issued
  Money fare;
  TicketStatus status = TicketStatus::kIssued;
  std::string qr;  // the signed code (api/ticket_token.h)
  absl::Time issued_at;
  std::optional<absl::Time> boarded_at;
  std::string boarded_by;  // who scanned it: a member's id and the device, when offline
  std::optional<absl::Time> voided_at;
  bool operator==(const Ticket&) const = default;
};

/// Characters of ticket numbers: digits and capitals without the look-alikes 0/O, 1/I/L.
inline constexpr std::string_view kTicketNumberAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A ticket number made of `random` bytes: ten characters of the alphabet, grouped 5-5
/// ("K7Q2M-9XD3F"), about 50 bits. Bytes that would bias the draw are skipped; nullopt when
/// `random` runs out first (draw more and call again).
std::optional<std::string> TicketNumberFrom(std::string_view random);

/// Whether `text` looks like a ticket number (either case, with or without the dash), and its
/// canonical form.
std::optional<std::string> CanonicalTicketNumber(std::string_view text);

}  // namespace travio::fulfillment
