// Which events the reports follow, and what each says to them.
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/catalog_events.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/order/api/order_events.h"
#include "services/reporting/app/reporting_service.h"

namespace travio::reporting {
namespace {

// A booking's total or a refund beyond this (ten billion taka in poisha) is no sale but a
// forgery that would overflow the sums.
constexpr int64_t kMaxAmount = 1'000'000'000'000;

absl::Status Unreadable(const events::Event& event, std::string_view why) {
  return Error(reasons::kInvalidEvent,
               absl::StrCat(event.type, " ", event.id, ": ", std::string(why)));
}

absl::StatusOr<Projection> TripProjection(const events::Event& event,
                                          const catalog::PublishedTrip& trip) {
  if (trip.org_id.empty() || trip.org_id != event.org_id || trip.id != event.aggregate_id) {
    return Unreadable(event, "the envelope and the trip disagree about whose it is");
  }
  if (trip.stops.size() < 2) return Unreadable(event, "a trip of fewer than two stops");
  absl::CivilDay day;
  if (trip.local_date.size() != 10 || !absl::ParseCivilTime(trip.local_date, &day) ||
      DayText(day) != trip.local_date) {
    return Unreadable(event, "its service day is not a date");
  }
  // Bounds no real trip comes near: a version or a bus past them is a forgery that would
  // freeze the trip or overflow a sum.
  if (trip.version < 0 || trip.version > (int64_t{1} << 53) || trip.bus.seats_for_sale < 0 ||
      trip.bus.seats_for_sale > 10'000) {
    return Unreadable(event, "its version or seats are out of bounds");
  }
  absl::Time departure;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, trip.scheduled_departure, &departure, &error)) {
    return Unreadable(event, "its scheduled departure does not read");
  }
  TripFacts facts{
      .trip_id = trip.id,
      .org_id = trip.org_id,
      .route_id = trip.route_id,
      .route_name = trip.route_name,
      .version = trip.version,
      .status = std::string(catalog::TripStatusName(trip.status)),
      .departure = trip.departure,
      .local_date = trip.local_date,
      // By service day, then departure, then id: a range of days is a range of keys.
      .sort_key = absl::StrCat(
          trip.local_date, "|",
          absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", departure, absl::UTCTimeZone()), "|", trip.id),
      .seats_for_sale = trip.bus.seats_for_sale};
  for (const catalog::PublishedTrip::Stop& stop : trip.stops) facts.stops.push_back(stop.station);
  return facts;
}

}  // namespace

absl::StatusOr<std::optional<Projection>> ProjectionOf(const events::Event& event) {
  for (const auto* contract : catalog::kTripEvents) {
    if (event.type != contract->type) continue;
    TRAVIO_ASSIGN_OR_RETURN(catalog::PublishedTrip trip, contract->Read(event));
    return TripProjection(event, trip);
  }
  if (event.type == order::kOrderConfirmed.type) {
    TRAVIO_ASSIGN_OR_RETURN(order::OrderConfirmed order, order::kOrderConfirmed.Read(event));
    if (order.order_id != event.aggregate_id || event.org_id.empty()) {
      return Unreadable(event, "the envelope and the order disagree");
    }
    if (order.seats.empty() || order.total.amount < 0 || order.total.amount > kMaxAmount) {
      return Unreadable(event, "a booking of no seats or of a total out of bounds");
    }
    return BookingFacts{.order_id = order.order_id,
                        .org_id = event.org_id,
                        .trip_id = order.trip_id,
                        .from = order.from,
                        .to = order.to,
                        .seats = static_cast<int64_t>(order.seats.size()),
                        .gross = order.total.amount,
                        .currency = order.total.currency,
                        .confirmed_at = event.occurred_at};
  }
  if (event.type == order::kOrderCancelled.type) {
    TRAVIO_ASSIGN_OR_RETURN(order::OrderCancelled cancelled, order::kOrderCancelled.Read(event));
    if (cancelled.order_id != event.aggregate_id || event.org_id.empty()) {
      return Unreadable(event, "the envelope and the order disagree");
    }
    if (cancelled.refund.amount < 0 || cancelled.refund.amount > kMaxAmount) {
      return Unreadable(event, "a refund out of bounds");
    }
    return CancellationFacts{.event_id = event.id,
                             .org_id = event.org_id,
                             .order_id = cancelled.order_id,
                             .seats = cancelled.seats,
                             .refund = cancelled.refund.amount,
                             .currency = cancelled.refund.currency,
                             .tier = cancelled.tier,
                             .at = event.occurred_at};
  }
  if (event.type == fulfillment::kTicketBoarded.type) {
    TRAVIO_ASSIGN_OR_RETURN(fulfillment::TicketBoarded boarded,
                            fulfillment::kTicketBoarded.Read(event));
    if (boarded.ticket_id != event.aggregate_id || event.org_id.empty()) {
      return Unreadable(event, "the envelope and the ticket disagree");
    }
    return BoardingFacts{.ticket_id = boarded.ticket_id,
                         .org_id = event.org_id,
                         .trip_id = boarded.trip_id,
                         .order_id = boarded.order_id,
                         .seat = boarded.seat,
                         .at = boarded.boarded_at};
  }
  return std::nullopt;
}

events::Event KeptForm(const events::Event& event) {
  if (event.type != order::kOrderConfirmed.type) return event;
  absl::StatusOr<order::OrderConfirmed> order = order::kOrderConfirmed.Read(event);
  if (!order.ok()) return event;
  order->email.clear();
  events::Event kept = event;
  kept.payload = order::kOrderConfirmed.encode(*order);
  return kept;
}

void FollowEvents(events::Bus& bus, std::shared_ptr<ReportingService> service) {
  std::vector<std::string_view> types = {order::kOrderConfirmed.type, order::kOrderCancelled.type,
                                         fulfillment::kTicketBoarded.type};
  for (const auto* contract : catalog::kTripEvents) types.push_back(contract->type);
  for (std::string_view type : types) {
    bus.Subscribe("reporting", std::string(type),
                  [service](const events::Event& event) { return service->OnEvent(event); });
  }
}

}  // namespace travio::reporting
