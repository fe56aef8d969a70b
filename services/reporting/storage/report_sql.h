#pragma once

// The reporting tables and the SQL of the reports over them, on SQLite and PostgreSQL alike.
// Every projection is keyed by organization first, and every join matches the organization,
// so an event claiming another operator's trip, order or ticket can only ever write into the
// organization it names.
//
// Bookings, cancellations and boardings are kept as they came; each trip's tally (its sales
// per currency, seats sold and cancelled, seat-legs sold, tickets boarded) is recomputed whole
// from them, in the same transaction, whenever an event touches the trip. The reports read
// only the tallies of the trips in their range (and a page only those from its cursor on), so
// their cost follows the trips they show.

#include <string>

namespace travio::reporting::sql {

/// The tables: report_events, report_state, the kept facts and the tallies.
extern const char kTables[];

/// Every projection: emptied by a rebuild, filled again from report_events.
inline constexpr const char* kProjections[] = {
    "report_trips",           "report_trip_stops", "report_bookings",    "report_cancellations",
    "report_cancelled_seats", "report_boardings",  "report_trip_revenue"};

/// A trip's occupancy as a row of OccupancyRow's columns: sort_key, trip_id, route_id,
/// route_name, departure, status, local_date, capacity, offered, sold, seats_sold,
/// seats_cancelled, boarded, no_shows; over `t`, the trip.
extern const char kTripOccupancyColumns[];

}  // namespace travio::reporting::sql
