#pragma once

// The reporting tables and the SQL of the reports over them, on SQLite and PostgreSQL alike.
// Every projection is keyed by organization first, and every join matches the organization,
// so an event claiming another operator's trip, order or ticket can only ever write into the
// organization it names. Every report reads from the trips of its range (and, for a page, only
// from the page's cursor on), so its cost follows the range, never the organization's history.

#include <string>
#include <string_view>

namespace travio::reporting::sql {

/// The tables: report_events, report_state and the projections.
extern const char kTables[];

/// Every projection: emptied by a rebuild, filled again from report_events.
inline constexpr const char* kProjections[] = {"report_trips",           "report_trip_stops",
                                               "report_bookings",        "report_cancellations",
                                               "report_cancelled_seats", "report_boardings"};

/// One row per booking on the organization's trips departing in the range ($1 organization,
/// $2 and $3 the first and last day) that also meet `trip_condition` (SQL over `t`, the trip,
/// and `b`, the booking; empty for none): the booking, its trip's day, route, name, departure
/// and sort key, its cancelled seats (never more than it booked) and refunds so far, and the
/// legs of its journey.
std::string BookingFacts(std::string_view trip_condition);

/// One row per trip of the range meeting `trip_condition` (over `t`): its occupancy, with the
/// columns TripOccupancyOf reads (sort_key, trip_id, route_id, route_name, departure, status,
/// local_date, capacity, offered, sold, seats_sold, seats_cancelled, boarded, no_shows).
std::string TripOccupancy(std::string_view trip_condition);

}  // namespace travio::reporting::sql
