#include "services/reporting/storage/report_sql.h"

namespace travio::reporting::sql {

const char kTables[] = R"sql(
CREATE TABLE report_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  org_id TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  trace_id TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX report_events_in_order ON report_events (occurred_at, id);
CREATE TABLE report_state (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
CREATE TABLE report_trips (
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  route_name TEXT NOT NULL,
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  departure TEXT NOT NULL,
  local_date TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  seats_for_sale BIGINT NOT NULL,
  legs BIGINT NOT NULL,
  seats_sold BIGINT NOT NULL DEFAULT 0,
  seats_cancelled BIGINT NOT NULL DEFAULT 0,
  seat_legs_sold BIGINT NOT NULL DEFAULT 0,
  boarded BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, trip_id)
);
CREATE INDEX report_trips_by_departure ON report_trips (org_id, sort_key);

CREATE TABLE report_trip_stops (
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  station TEXT NOT NULL,
  idx BIGINT NOT NULL,
  PRIMARY KEY (org_id, trip_id, station)
);
CREATE TABLE report_bookings (
  org_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  from_stop TEXT NOT NULL,
  to_stop TEXT NOT NULL,
  seats BIGINT NOT NULL,
  gross BIGINT NOT NULL,
  currency TEXT NOT NULL,
  confirmed_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, order_id)
);
CREATE INDEX report_bookings_by_trip ON report_bookings (org_id, trip_id);
CREATE INDEX report_bookings_by_time ON report_bookings (org_id, confirmed_at, order_id);
CREATE TABLE report_cancellations (
  event_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  seats BIGINT NOT NULL,
  refund BIGINT NOT NULL,
  currency TEXT NOT NULL,
  tier TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX report_cancellations_by_order ON report_cancellations (org_id, order_id);
CREATE TABLE report_cancelled_seats (
  org_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  seat TEXT NOT NULL,
  PRIMARY KEY (org_id, order_id, seat)
);
CREATE TABLE report_boardings (
  org_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  seat TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (org_id, ticket_id)
);
CREATE INDEX report_boardings_by_trip ON report_boardings (org_id, trip_id);
CREATE TABLE report_trip_revenue (
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  bookings BIGINT NOT NULL,
  seats BIGINT NOT NULL,
  cancelled_seats BIGINT NOT NULL,
  gross BIGINT NOT NULL,
  refunds BIGINT NOT NULL,
  PRIMARY KEY (org_id, trip_id, currency)
);
)sql";

const char kTripOccupancyColumns[] = R"sql(
t.sort_key, t.trip_id, t.route_id, t.route_name, t.departure, t.status, t.local_date,
t.seats_for_sale AS capacity,
CASE WHEN t.status = 'cancelled' THEN 0 ELSE t.seats_for_sale * t.legs END AS offered,
t.seat_legs_sold AS sold, t.seats_sold, t.seats_cancelled, t.boarded,
CASE WHEN t.status IN ('departed', 'completed') AND t.seats_sold - t.seats_cancelled > t.boarded
     THEN t.seats_sold - t.seats_cancelled - t.boarded ELSE 0 END AS no_shows
)sql";

}  // namespace travio::reporting::sql
