#include "services/pricing/api/proto_conversions.h"

namespace travio::pricing {
namespace {

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time Time(int64_t micros) { return absl::FromUnixMicros(micros); }
int64_t OptionalMicros(const std::optional<absl::Time>& time) { return time ? Micros(*time) : 0; }
std::optional<absl::Time> OptionalTime(int64_t micros) {
  if (micros == 0) return std::nullopt;
  return Time(micros);
}

// Each message of `in` read with FromProto; the first that does not read stops it.
template <typename T, typename Repeated>
absl::StatusOr<std::vector<T>> ReadEach(const Repeated& in) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(in.size()));
  for (const auto& message : in) {
    absl::StatusOr<T> read = FromProto(message);
    if (!read.ok()) return read.status();
    out.push_back(*std::move(read));
  }
  return out;
}

}  // namespace

void ToProto(const RuleDraft& draft, v1::RuleDraft& out) {
  out.set_name(draft.name);
  out.set_priority(draft.priority);
  out.set_when(draft.when);
  out.set_adjust(draft.adjust);
  out.set_active(draft.active);
  out.set_valid_from(OptionalMicros(draft.valid_from));
  out.set_valid_to(OptionalMicros(draft.valid_to));
}

RuleDraft FromProto(const v1::RuleDraft& in) {
  return RuleDraft{.name = in.name(),
                   .priority = in.priority(),
                   .when = in.when(),
                   .adjust = in.adjust(),
                   .active = in.active(),
                   .valid_from = OptionalTime(in.valid_from()),
                   .valid_to = OptionalTime(in.valid_to())};
}

void ToProto(const PricingRule& rule, v1::Rule& out) {
  out.set_id(rule.id);
  out.set_org_id(rule.org_id);
  ToProto(rule.spec, *out.mutable_spec());
  out.set_version(rule.version);
  out.set_created_at(Micros(rule.created_at));
  out.set_updated_at(Micros(rule.updated_at));
}

absl::StatusOr<PricingRule> FromProto(const v1::Rule& in) {
  if (in.id().empty()) return absl::InvalidArgumentError("a rule without an id");
  return PricingRule{.id = in.id(),
                     .org_id = in.org_id(),
                     .spec = FromProto(in.spec()),
                     .version = in.version(),
                     .created_at = Time(in.created_at()),
                     .updated_at = Time(in.updated_at())};
}

void ToProto(const std::vector<PricingRule>& rules, v1::RuleList& out) {
  for (const PricingRule& rule : rules) ToProto(rule, *out.add_rules());
}

absl::StatusOr<std::vector<PricingRule>> FromProto(const v1::RuleList& in) {
  return ReadEach<PricingRule>(in.rules());
}

void ToProto(const EvaluationResult& result, v1::EvaluateResponse& out) {
  out.set_value_json(result.value_json);
  out.set_type(result.type);
}

absl::StatusOr<EvaluationResult> FromProto(const v1::EvaluateResponse& in) {
  if (in.type().empty()) return absl::InvalidArgumentError("an evaluation without a type");
  return EvaluationResult{.value_json = in.value_json(), .type = in.type()};
}

void ToProto(const PriceRequest& request, v1::PriceSeatsRequest& out) {
  out.set_org_id(request.org_id);
  v1::Trip& trip = *out.mutable_trip();
  trip.set_id(request.trip.id);
  trip.set_route_id(request.trip.route_id);
  trip.set_departure(Micros(request.trip.departure));
  trip.set_bus_class(request.trip.bus_class);
  trip.set_ac(request.trip.ac);
  trip.set_zone(request.trip.zone);
  v1::Journey& journey = *out.mutable_journey();
  journey.set_from(request.journey.from);
  journey.set_to(request.journey.to);
  journey.set_legs(request.journey.legs);
  out.set_occupancy(request.occupancy);
  out.set_passengers(request.passengers);
  out.set_at(OptionalMicros(request.at));
  out.set_currency(request.currency);
  for (const SeatFacts& seat : request.seats) {
    v1::Seat& wire = *out.add_seats();
    wire.set_label(seat.label);
    wire.set_category(seat.category);
    wire.set_deck(seat.deck);
    wire.set_base(seat.base);
  }
}

PriceRequest FromProto(const v1::PriceSeatsRequest& in) {
  PriceRequest request{.org_id = in.org_id(),
                       .trip = TripFacts{.id = in.trip().id(),
                                         .route_id = in.trip().route_id(),
                                         .departure = Time(in.trip().departure()),
                                         .bus_class = in.trip().bus_class(),
                                         .ac = in.trip().ac(),
                                         .zone = in.trip().zone()},
                       .journey = JourneyFacts{.from = in.journey().from(),
                                               .to = in.journey().to(),
                                               .legs = in.journey().legs()},
                       .occupancy = in.occupancy(),
                       .passengers = in.passengers(),
                       .at = OptionalTime(in.at()),
                       .currency = in.currency(),
                       .seats = {}};
  for (const v1::Seat& seat : in.seats()) {
    request.seats.push_back(SeatFacts{.label = seat.label(),
                                      .category = seat.category(),
                                      .deck = seat.deck(),
                                      .base = seat.base()});
  }
  return request;
}

void ToProto(const SeatQuote& quote, v1::SeatQuote& wire) {
  wire.set_seat(quote.seat);
  wire.set_category(quote.category);
  wire.set_base(quote.base);
  wire.set_price(quote.price);
  for (const AppliedRule& rule : quote.applied) {
    v1::AppliedRule& applied = *wire.add_applied();
    applied.set_rule_id(rule.rule_id);
    applied.set_version(rule.version);
    applied.set_name(rule.name);
    applied.set_before(rule.before);
    applied.set_after(rule.after);
  }
  for (const SkippedRule& rule : quote.skipped) {
    v1::SkippedRule& skipped = *wire.add_skipped();
    skipped.set_rule_id(rule.rule_id);
    skipped.set_version(rule.version);
    skipped.set_name(rule.name);
    skipped.set_error(rule.error);
  }
  wire.set_refused(quote.refused);
}

SeatQuote FromProto(const v1::SeatQuote& wire) {
  SeatQuote quote{.seat = wire.seat(),
                  .category = wire.category(),
                  .base = wire.base(),
                  .price = wire.price(),
                  .applied = {},
                  .skipped = {},
                  .refused = wire.refused()};
  for (const v1::AppliedRule& rule : wire.applied()) {
    quote.applied.push_back(
        {rule.rule_id(), rule.version(), rule.name(), rule.before(), rule.after()});
  }
  for (const v1::SkippedRule& rule : wire.skipped()) {
    quote.skipped.push_back({rule.rule_id(), rule.version(), rule.name(), rule.error()});
  }
  return quote;
}

void ToProto(const PriceResult& result, v1::PriceSeatsResponse& out) {
  out.set_at(Micros(result.at));
  out.set_currency(result.currency);
  for (const SeatQuote& quote : result.seats) ToProto(quote, *out.add_seats());
}

absl::StatusOr<PriceResult> FromProto(const v1::PriceSeatsResponse& in) {
  PriceResult result{.at = Time(in.at()), .currency = in.currency(), .seats = {}};
  for (const v1::SeatQuote& wire : in.seats()) result.seats.push_back(FromProto(wire));
  return result;
}

void ToProto(const std::vector<PriceResult>& results, v1::PriceManyResponse& out) {
  for (const PriceResult& result : results) ToProto(result, *out.add_results());
}

absl::StatusOr<std::vector<PriceResult>> FromProto(const v1::PriceManyResponse& in) {
  return ReadEach<PriceResult>(in.results());
}

}  // namespace travio::pricing
