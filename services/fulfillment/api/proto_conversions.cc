#include "services/fulfillment/api/proto_conversions.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"

namespace travio::fulfillment {
namespace {

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time Time(int64_t micros) { return absl::FromUnixMicros(micros); }
int64_t OptionalMicros(const std::optional<absl::Time>& time) { return time ? Micros(*time) : 0; }
std::optional<absl::Time> OptionalTime(int64_t micros) {
  if (micros == 0) return std::nullopt;
  return Time(micros);
}

absl::Status Unknown(const std::string& what, const std::string& value) {
  return absl::InvalidArgumentError(absl::StrCat("unknown ", what, " '", value, "'"));
}

void KeyToProto(const TicketKey& key, v1::Key& out) {
  out.set_kid(key.kid);
  out.set_public_key(key.public_key);
}

}  // namespace

void ToProto(const Ticket& ticket, v1::Ticket& out) {
  out.set_id(ticket.id);
  out.set_number(ticket.number);
  out.set_order_id(ticket.order_id);
  out.set_org_id(ticket.org_id);
  out.set_trip_id(ticket.trip_id);
  out.set_buyer(ticket.buyer);
  out.set_seat(ticket.seat);
  out.set_deck(ticket.deck);
  out.set_passenger(ticket.passenger);
  out.set_from(ticket.from);
  out.set_to(ticket.to);
  out.set_departure(Micros(ticket.departure));
  out.mutable_fare()->set_amount(ticket.fare.amount);
  out.mutable_fare()->set_currency(ticket.fare.currency);
  out.set_status(std::string(StatusName(ticket.status)));
  out.set_qr(ticket.qr);
  out.set_issued_at(Micros(ticket.issued_at));
  out.set_boarded_at(OptionalMicros(ticket.boarded_at));
  out.set_boarded_by(ticket.boarded_by);
  out.set_voided_at(OptionalMicros(ticket.voided_at));
}

absl::StatusOr<Ticket> FromProto(const v1::Ticket& in) {
  const auto status = ParseName(kTicketStatusNames, in.status());
  if (!status) return Unknown("ticket status", in.status());
  return Ticket{.id = in.id(),
                .number = in.number(),
                .order_id = in.order_id(),
                .org_id = in.org_id(),
                .trip_id = in.trip_id(),
                .buyer = in.buyer(),
                .seat = in.seat(),
                .deck = in.deck(),
                .passenger = in.passenger(),
                .from = in.from(),
                .to = in.to(),
                .departure = Time(in.departure()),
                .fare = {in.fare().amount(), in.fare().currency()},
                .status = *status,
                .qr = in.qr(),
                .issued_at = Time(in.issued_at()),
                .boarded_at = OptionalTime(in.boarded_at()),
                .boarded_by = in.boarded_by(),
                .voided_at = OptionalTime(in.voided_at())};
}

void ToProto(const TicketView& view, v1::TicketView& out) {
  ToProto(view.ticket, *out.mutable_ticket());
  out.set_pdf_url(view.pdf_url);
}

absl::StatusOr<TicketView> FromProto(const v1::TicketView& in) {
  TRAVIO_ASSIGN_OR_RETURN(Ticket ticket, FromProto(in.ticket()));
  return TicketView{std::move(ticket), in.pdf_url()};
}

void ToProto(const OrderTickets& tickets, v1::OrderTickets& out) {
  out.set_order_id(tickets.order_id);
  out.set_status(std::string(StatusName(tickets.status)));
  out.set_attempts(tickets.attempts);
  for (const TicketView& view : tickets.tickets) ToProto(view, *out.add_tickets());
  out.set_pdf_url(tickets.pdf_url);
}

absl::StatusOr<OrderTickets> FromProto(const v1::OrderTickets& in) {
  const auto status = ParseName(kFulfillmentStatusNames, in.status());
  if (!status) return Unknown("fulfillment status", in.status());
  OrderTickets tickets{.order_id = in.order_id(),
                       .status = *status,
                       .attempts = static_cast<int>(in.attempts()),
                       .tickets = {},
                       .pdf_url = in.pdf_url()};
  for (const v1::TicketView& view : in.tickets()) {
    TRAVIO_ASSIGN_OR_RETURN(TicketView ticket, FromProto(view));
    tickets.tickets.push_back(std::move(ticket));
  }
  return tickets;
}

void ToProto(const Document& document, v1::Document& out) {
  out.set_filename(document.filename);
  out.set_content_type(document.content_type);
  out.set_bytes(document.bytes);
}

Document FromProto(const v1::Document& in) {
  return Document{
      .filename = in.filename(), .content_type = in.content_type(), .bytes = in.bytes()};
}

void ToProto(const ScanCommand& command, v1::BoardRequest& out) {
  out.set_org_id(command.org_id);
  out.set_scanned_by(command.scanned_by);
  out.set_crew_only(command.crew_only);
  for (const Scan& scan : command.scans) {
    v1::Scan& wire = *out.add_scans();
    wire.set_qr(scan.qr);
    wire.set_number(scan.number);
    wire.set_trip_id(scan.trip_id);
    wire.set_device_id(scan.device_id);
    wire.set_scanned_at(OptionalMicros(scan.scanned_at));
  }
}

ScanCommand FromProto(const v1::BoardRequest& in) {
  ScanCommand command{.org_id = in.org_id(),
                      .scanned_by = in.scanned_by(),
                      .crew_only = in.crew_only(),
                      .scans = {}};
  for (const v1::Scan& scan : in.scans()) {
    command.scans.push_back({.qr = scan.qr(),
                             .number = scan.number(),
                             .trip_id = scan.trip_id(),
                             .device_id = scan.device_id(),
                             .scanned_at = OptionalTime(scan.scanned_at())});
  }
  return command;
}

void ToProto(const std::vector<ScanResult>& results, v1::ScanResults& out) {
  for (const ScanResult& result : results) {
    v1::ScanResult& wire = *out.add_results();
    wire.set_outcome(std::string(OutcomeName(result.outcome)));
    wire.set_ticket_id(result.ticket_id);
    wire.set_number(result.number);
    wire.set_seat(result.seat);
    wire.set_passenger(result.passenger);
    wire.set_boarded_at(OptionalMicros(result.boarded_at));
  }
}

absl::StatusOr<std::vector<ScanResult>> FromProto(const v1::ScanResults& in) {
  std::vector<ScanResult> results;
  for (const v1::ScanResult& wire : in.results()) {
    const auto outcome = ParseName(kScanOutcomeNames, wire.outcome());
    if (!outcome) return Unknown("scan outcome", wire.outcome());
    results.push_back({.outcome = *outcome,
                       .ticket_id = wire.ticket_id(),
                       .number = wire.number(),
                       .seat = wire.seat(),
                       .passenger = wire.passenger(),
                       .boarded_at = OptionalTime(wire.boarded_at())});
  }
  return results;
}

void ToProto(const std::vector<TicketKey>& keys, v1::KeyList& out) {
  for (const TicketKey& key : keys) KeyToProto(key, *out.add_keys());
}

std::vector<TicketKey> FromProto(const v1::KeyList& in) {
  std::vector<TicketKey> keys;
  for (const v1::Key& key : in.keys()) keys.push_back({key.kid(), key.public_key()});
  return keys;
}

void ToProto(const BoardingPack& pack, v1::BoardingPack& out) {
  out.set_trip_id(pack.trip_id);
  out.set_org_id(pack.org_id);
  out.set_departure(Micros(pack.departure));
  for (const TicketKey& key : pack.keys) KeyToProto(key, *out.add_keys());
  for (const Ticket& ticket : pack.tickets) ToProto(ticket, *out.add_tickets());
}

absl::StatusOr<BoardingPack> FromProto(const v1::BoardingPack& in) {
  BoardingPack pack{.trip_id = in.trip_id(),
                    .org_id = in.org_id(),
                    .departure = Time(in.departure()),
                    .keys = {},
                    .tickets = {}};
  for (const v1::Key& key : in.keys()) pack.keys.push_back({key.kid(), key.public_key()});
  for (const v1::Ticket& wire : in.tickets()) {
    TRAVIO_ASSIGN_OR_RETURN(Ticket ticket, FromProto(wire));
    pack.tickets.push_back(std::move(ticket));
  }
  return pack;
}

}  // namespace travio::fulfillment
