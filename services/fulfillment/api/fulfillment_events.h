#pragma once

// The events the fulfillment service publishes (platform/events/contract.h). The order is the
// aggregate of the tickets.issued, voided and reissued events, which notification mails the
// traveller about; a boarded ticket is tickets.boarded's.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "platform/events/contract.h"
#include "services/fulfillment/domain/ticket.h"

namespace travio::fulfillment {

struct TicketLine {
  std::string ticket_id;
  std::string number;
  std::string seat;
  std::string passenger;
  TicketStatus status = TicketStatus::kIssued;
  bool operator==(const TicketLine&) const = default;
};

/// An order's tickets as they now stand, with what a message to the traveller says about them.
struct OrderTicketsChanged {
  std::string order_id;
  std::string org_id;
  int64_t generation = 1;  // 1 for the first issue; higher after each change
  std::string email;       // the order's contact
  std::string phone;
  std::string locale;  // "en" or "bn"
  std::string operator_name;
  std::string from_code;
  std::string from_name;
  std::string to_code;
  std::string to_name;
  std::string timezone;  // the boarding station's
  absl::Time departure;
  std::vector<TicketLine> tickets;  // void ones included
  // The valid tickets' PDF link, for the traveller's message only: empty in published events
  // (a link needs no bearer) and when no ticket is valid.
  std::string pdf_url;
  absl::Time pdf_url_expires_at;
  // The booking's page in the traveller app, signed like pdf_url (ManageLinkResource): what a
  // guest, who has no account, opens to see or cancel the order. Same rules as pdf_url.
  std::string manage_url;
  Money total;       // what the valid tickets cost
  Money refund;      // tickets.voided: what the cancellation refunds
  std::string tier;  // tickets.voided: the refund tier, or trip_cancelled
  /// tickets.voided: the order was paid in cash at the operator's counter, where its refund is
  /// collected (sent only when true).
  bool refund_at_counter = false;
  int delay_minutes = 0;      // the trip's delay, included in departure
  std::string cancel_reason;  // a cancelled trip's, as its operator gave it
  bool operator==(const OrderTicketsChanged&) const = default;
};
std::string EncodeOrderTicketsChanged(const OrderTicketsChanged& event);
absl::StatusOr<OrderTicketsChanged> DecodeOrderTicketsChanged(std::string_view payload);

/// tickets.issued.v1: a paid order's tickets are issued and its PDF stored.
inline constexpr events::Contract<OrderTicketsChanged> kTicketsIssued{
    "tickets.issued.v1", &EncodeOrderTicketsChanged, &DecodeOrderTicketsChanged};
/// tickets.voided.v1: seats were cancelled; their tickets are void and the PDF of the others
/// re-issued.
inline constexpr events::Contract<OrderTicketsChanged> kTicketsVoided{
    "tickets.voided.v1", &EncodeOrderTicketsChanged, &DecodeOrderTicketsChanged};
/// tickets.reissued.v1: the trip changed (a delay); the PDF is issued again with the new time,
/// the tickets and their codes stay.
inline constexpr events::Contract<OrderTicketsChanged> kTicketsReissued{
    "tickets.reissued.v1", &EncodeOrderTicketsChanged, &DecodeOrderTicketsChanged};

/// tickets.boarded.v1: a ticket's first boarding (later scans of it are no event). `boarded_at`
/// is the scan's time as recorded (an offline device's, within reason). Reporting counts the
/// seats of a departed trip that never boarded as no-shows.
struct TicketBoarded {
  std::string ticket_id;
  std::string order_id;
  std::string trip_id;
  std::string seat;
  absl::Time boarded_at;
  bool operator==(const TicketBoarded&) const = default;
};
std::string EncodeTicketBoarded(const TicketBoarded& event);
absl::StatusOr<TicketBoarded> DecodeTicketBoarded(std::string_view payload);
inline constexpr events::Contract<TicketBoarded> kTicketBoarded{
    "tickets.boarded.v1", &EncodeTicketBoarded, &DecodeTicketBoarded};

}  // namespace travio::fulfillment
