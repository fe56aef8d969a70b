#include "services/inventory/api/proto_conversions.h"

#include "services/pricing/api/proto_conversions.h"

namespace travio::inventory {
namespace {

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& values) {
  return {values.begin(), values.end()};
}

void PricesToProto(const std::vector<SeatPrice>& prices,
                   google::protobuf::RepeatedPtrField<v1::SeatPrice>& out) {
  for (const SeatPrice& price : prices) {
    v1::SeatPrice* added = out.Add();
    added->set_seat(price.seat);
    added->set_amount(price.amount);
    added->set_currency(price.currency);
    added->set_base(price.base);
    for (const RuleVersion& rule : price.rules) {
      v1::RuleVersion* version = added->add_rules();
      version->set_rule_id(rule.rule_id);
      version->set_version(rule.version);
    }
  }
}

std::vector<SeatPrice> PricesFromProto(
    const google::protobuf::RepeatedPtrField<v1::SeatPrice>& prices) {
  std::vector<SeatPrice> out;
  for (const v1::SeatPrice& price : prices) {
    SeatPrice read{.seat = price.seat(),
                   .amount = price.amount(),
                   .currency = price.currency(),
                   .base = price.base(),
                   .rules = {}};
    for (const v1::RuleVersion& rule : price.rules()) {
      read.rules.push_back({rule.rule_id(), rule.version()});
    }
    out.push_back(std::move(read));
  }
  return out;
}

}  // namespace

void ToProto(const SeatMap& map, v1::SeatMap& out) {
  out.set_trip_id(map.trip_id);
  out.set_from(map.from);
  out.set_to(map.to);
  out.set_available(map.available);
  for (const SeatMapDeck& deck : map.decks) {
    v1::SeatMapDeck* added = out.add_decks();
    added->set_name(deck.name);
    added->set_rows(deck.rows);
    added->set_cols(deck.cols);
    for (const SeatMapCell& cell : deck.cells) {
      v1::SeatMapCell* drawn = added->add_cells();
      drawn->set_row(cell.row);
      drawn->set_col(cell.col);
      drawn->set_type(cell.type);
      drawn->set_label(cell.label);
      drawn->set_category(cell.category);
      drawn->set_status(cell.status);
    }
  }
}

SeatMap FromProto(const v1::SeatMap& map) {
  SeatMap out{.trip_id = map.trip_id(),
              .from = map.from(),
              .to = map.to(),
              .available = map.available(),
              .decks = {}};
  for (const v1::SeatMapDeck& deck : map.decks()) {
    SeatMapDeck added{.name = deck.name(), .rows = deck.rows(), .cols = deck.cols(), .cells = {}};
    for (const v1::SeatMapCell& cell : deck.cells()) {
      added.cells.push_back(
          {cell.row(), cell.col(), cell.type(), cell.label(), cell.category(), cell.status()});
    }
    out.decks.push_back(std::move(added));
  }
  return out;
}

void ToProto(const HoldView& hold, v1::HoldView& out) {
  out.set_hold_id(hold.hold_id);
  out.set_trip_id(hold.trip_id);
  out.set_org_id(hold.org_id);
  out.set_holder(hold.holder);
  for (const std::string& seat : hold.seats) out.add_seats(seat);
  out.set_from(hold.from);
  out.set_to(hold.to);
  out.set_expires_at_us(absl::ToUnixMicros(hold.expires_at));
  out.set_version(hold.version);
  PricesToProto(hold.prices, *out.mutable_prices());
  out.mutable_total()->set_amount(hold.total.amount);
  out.mutable_total()->set_currency(hold.total.currency);
}

HoldView FromProto(const v1::HoldView& hold) {
  return HoldView{.hold_id = hold.hold_id(),
                  .trip_id = hold.trip_id(),
                  .org_id = hold.org_id(),
                  .holder = hold.holder(),
                  .seats = Strings(hold.seats()),
                  .from = hold.from(),
                  .to = hold.to(),
                  .expires_at = absl::FromUnixMicros(hold.expires_at_us()),
                  .version = hold.version(),
                  .prices = PricesFromProto(hold.prices()),
                  .total = {hold.total().amount(), hold.total().currency()}};
}

void ToProto(const BookingRecord& booking, v1::Booking& out) {
  out.set_id(booking.id);
  out.set_trip_id(booking.trip_id);
  out.set_org_id(booking.org_id);
  out.set_hold_id(booking.hold_id);
  for (const std::string& seat : booking.seats) out.add_seats(seat);
  out.set_journey_from(booking.journey.from);
  out.set_journey_to(booking.journey.to);
  PricesToProto(booking.prices, *out.mutable_prices());
  out.set_created_at_us(absl::ToUnixMicros(booking.created_at));
  out.set_blocked(booking.blocked);
}

BookingRecord FromProto(const v1::Booking& booking) {
  return BookingRecord{.id = booking.id(),
                       .trip_id = booking.trip_id(),
                       .org_id = booking.org_id(),
                       .hold_id = booking.hold_id(),
                       .seats = Strings(booking.seats()),
                       .journey = {booking.journey_from(), booking.journey_to()},
                       .prices = PricesFromProto(booking.prices()),
                       .created_at = absl::FromUnixMicros(booking.created_at_us()),
                       .blocked = booking.blocked()};
}

void ToProto(const QuoteCommand& command, v1::QuoteSeatsRequest& out) {
  out.set_trip_id(command.trip_id);
  out.set_from(command.from);
  out.set_to(command.to);
  for (const std::string& seat : command.seats) out.add_seats(seat);
  out.set_at(command.at ? absl::ToUnixMicros(*command.at) : 0);
}

QuoteCommand FromProto(const v1::QuoteSeatsRequest& in) {
  return QuoteCommand{
      .trip_id = in.trip_id(),
      .from = in.from(),
      .to = in.to(),
      .seats = Strings(in.seats()),
      .at = in.at() == 0 ? std::nullopt : std::optional<absl::Time>(absl::FromUnixMicros(in.at()))};
}

void ToProto(const TripQuote& quote, v1::TripQuote& out) {
  out.set_trip_id(quote.trip_id);
  out.set_from(quote.from);
  out.set_to(quote.to);
  out.set_currency(quote.currency);
  out.set_at(absl::ToUnixMicros(quote.at));
  for (const QuotedSeat& seat : quote.seats) {
    v1::QuotedSeat& wire = *out.add_seats();
    pricing::ToProto(seat.quote, *wire.mutable_quote());
    wire.set_available(seat.available);
  }
}

TripQuote FromProto(const v1::TripQuote& in) {
  TripQuote quote{.trip_id = in.trip_id(),
                  .from = in.from(),
                  .to = in.to(),
                  .currency = in.currency(),
                  .at = absl::FromUnixMicros(in.at()),
                  .seats = {}};
  for (const v1::QuotedSeat& seat : in.seats()) {
    quote.seats.push_back({pricing::FromProto(seat.quote()), seat.available()});
  }
  return quote;
}

}  // namespace travio::inventory
