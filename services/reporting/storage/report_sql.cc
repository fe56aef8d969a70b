#include "services/reporting/storage/report_sql.h"

#include "absl/strings/str_cat.h"

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
  PRIMARY KEY (org_id, trip_id)
);
CREATE INDEX report_trips_by_day ON report_trips (org_id, local_date, sort_key);
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
)sql";

namespace {

std::string And(std::string_view condition) {
  return condition.empty() ? "" : absl::StrCat(" AND ", std::string(condition));
}

}  // namespace

std::string BookingFacts(std::string_view trip_condition) {
  // A booking's cancellations are looked up by its key, one index probe each: a page of
  // bookings costs its own rows and nothing else.
  return absl::StrCat(R"sql(
SELECT f.*, CASE WHEN f.cancelled_raw > f.seats THEN f.seats ELSE f.cancelled_raw END
              AS cancelled_seats
FROM (
  SELECT b.order_id, b.trip_id, b.seats, b.gross, b.currency, b.confirmed_at, b.from_stop,
         b.to_stop, t.local_date, t.route_id, t.route_name, t.departure, t.sort_key,
         (SELECT COALESCE(SUM(c.seats), 0) FROM report_cancellations c
          WHERE c.org_id = b.org_id AND c.order_id = b.order_id) AS cancelled_raw,
         (SELECT COALESCE(SUM(c.refund), 0) FROM report_cancellations c
          WHERE c.org_id = b.org_id AND c.order_id = b.order_id) AS refunds,
         CASE WHEN ts.idx > fs.idx THEN ts.idx - fs.idx ELSE 0 END AS legs
  FROM report_trips t
  JOIN report_bookings b ON b.org_id = t.org_id AND b.trip_id = t.trip_id
  LEFT JOIN report_trip_stops fs
    ON fs.org_id = b.org_id AND fs.trip_id = b.trip_id AND fs.station = b.from_stop
  LEFT JOIN report_trip_stops ts
    ON ts.org_id = b.org_id AND ts.trip_id = b.trip_id AND ts.station = b.to_stop
  WHERE t.org_id = $1 AND t.local_date >= $2 AND t.local_date <= $3)sql",
                      And(trip_condition), ") f\n");
}

std::string TripOccupancy(std::string_view trip_condition) {
  return absl::StrCat(R"sql(
SELECT t.sort_key, t.trip_id, t.route_id, t.route_name, t.departure, t.status, t.local_date,
       t.seats_for_sale AS capacity,
       CASE WHEN t.status = 'cancelled' THEN 0 ELSE t.seats_for_sale * t.legs END AS offered,
       COALESCE(SUM((x.seats - x.cancelled_seats) * x.legs), 0) AS sold,
       COALESCE(SUM(x.seats), 0) AS seats_sold,
       COALESCE(SUM(x.cancelled_seats), 0) AS seats_cancelled,
       COALESCE(MAX(bd.boarded), 0) AS boarded,
       CASE WHEN t.status IN ('departed', 'completed')
             AND COALESCE(SUM(x.seats - x.cancelled_seats), 0) > COALESCE(MAX(bd.boarded), 0)
            THEN COALESCE(SUM(x.seats - x.cancelled_seats), 0) - COALESCE(MAX(bd.boarded), 0)
            ELSE 0 END AS no_shows
FROM report_trips t
LEFT JOIN ()sql",
                      BookingFacts(trip_condition), R"sql() x ON x.trip_id = t.trip_id
LEFT JOIN (
  -- A boarding counts for a booking of its trip whose seat was not given back since.
  SELECT bo.trip_id, COUNT(*) AS boarded
  FROM report_trips t
  JOIN report_boardings bo ON bo.org_id = t.org_id AND bo.trip_id = t.trip_id
  JOIN report_bookings bb
    ON bb.org_id = bo.org_id AND bb.order_id = bo.order_id AND bb.trip_id = bo.trip_id
  WHERE t.org_id = $1 AND t.local_date >= $2 AND t.local_date <= $3)sql",
                      And(trip_condition), R"sql(
    AND NOT EXISTS (SELECT 1 FROM report_cancelled_seats cs
                    WHERE cs.org_id = bo.org_id AND cs.order_id = bo.order_id
                      AND cs.seat = bo.seat)
  GROUP BY bo.trip_id) bd ON bd.trip_id = t.trip_id
WHERE t.org_id = $1 AND t.local_date >= $2 AND t.local_date <= $3)sql",
                      And(trip_condition), R"sql(
GROUP BY t.sort_key, t.trip_id, t.route_id, t.route_name, t.departure, t.status, t.local_date,
         t.seats_for_sale, t.legs
)sql");
}

}  // namespace travio::reporting::sql
