#include "services/reporting/storage/sql_report_store.h"

#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/reporting/storage/report_sql.h"

namespace travio::reporting {
namespace {

std::string FormatInstant(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", at, absl::UTCTimeZone());
}

events::Event EventOf(const db::Row& row) {
  return events::Event{.id = row.Text(0),
                       .type = row.Text(1),
                       .aggregate_id = row.Text(2),
                       .org_id = row.Text(3),
                       .occurred_at = absl::FromUnixMicros(row.Int(4)),
                       .trace_id = row.Text(5),
                       .payload = row.Text(6)};
}

absl::Status ProjectTrip(db::Session& session, const TripFacts& trip) {
  TRAVIO_RETURN_IF_ERROR(
      session
          .Execute(
              "INSERT INTO report_trips (org_id, trip_id, route_id, route_name, version, status, "
              "departure, local_date, sort_key, seats_for_sale, legs) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
              "ON CONFLICT (org_id, trip_id) DO UPDATE SET route_id = excluded.route_id, "
              "route_name = excluded.route_name, version = excluded.version, status = "
              "excluded.status, departure = excluded.departure, local_date = excluded.local_date, "
              "sort_key = excluded.sort_key, seats_for_sale = excluded.seats_for_sale, legs = "
              "excluded.legs "
              // The newest version wins whatever order versions come in.
              "WHERE report_trips.version < excluded.version",
              {trip.org_id, trip.trip_id, trip.route_id, trip.route_name, trip.version, trip.status,
               trip.departure, trip.local_date, trip.sort_key, trip.seats_for_sale,
               static_cast<int64_t>(trip.stops.size()) - 1})
          .status());
  // A trip's stops never change once it is published (a new route is a new trip).
  for (size_t i = 0; i < trip.stops.size(); ++i) {
    TRAVIO_RETURN_IF_ERROR(
        session
            .Execute("INSERT INTO report_trip_stops (org_id, trip_id, station, idx) "
                     "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                     {trip.org_id, trip.trip_id, trip.stops[i], static_cast<int64_t>(i)})
            .status());
  }
  return absl::OkStatus();
}

absl::Status ProjectBooking(db::Session& session, const BookingFacts& booking) {
  return session
      .Execute(
          "INSERT INTO report_bookings (org_id, order_id, trip_id, from_stop, to_stop, seats, "
          "gross, currency, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (org_id, order_id) DO NOTHING",
          {booking.org_id, booking.order_id, booking.trip_id, booking.from, booking.to,
           booking.seats, booking.gross, booking.currency,
           absl::ToUnixMicros(booking.confirmed_at)})
      .status();
}

absl::Status ProjectCancellation(db::Session& session, const CancellationFacts& cancellation) {
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result kept,
      session.Execute(
          "INSERT INTO report_cancellations (event_id, org_id, order_id, seats, refund, "
          "currency, tier, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "ON CONFLICT (event_id) DO NOTHING",
          {cancellation.event_id, cancellation.org_id, cancellation.order_id,
           static_cast<int64_t>(cancellation.seats.size()), cancellation.refund,
           cancellation.currency, cancellation.tier, absl::ToUnixMicros(cancellation.at)}));
  if (kept.affected_rows == 0) return absl::OkStatus();
  for (const std::string& seat : cancellation.seats) {
    TRAVIO_RETURN_IF_ERROR(
        session
            .Execute("INSERT INTO report_cancelled_seats (org_id, order_id, seat) "
                     "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                     {cancellation.org_id, cancellation.order_id, seat})
            .status());
  }
  return absl::OkStatus();
}

absl::Status ProjectBoarding(db::Session& session, const BoardingFacts& boarding) {
  return session
      .Execute(
          "INSERT INTO report_boardings (org_id, ticket_id, trip_id, order_id, seat, at) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, ticket_id) DO NOTHING",
          {boarding.org_id, boarding.ticket_id, boarding.trip_id, boarding.order_id, boarding.seat,
           absl::ToUnixMicros(boarding.at)})
      .status();
}

// The trip of the organization's order, once its booking is known.
absl::StatusOr<std::optional<std::string>> TripOfOrder(db::Session& session,
                                                       const std::string& org_id,
                                                       const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(db::Result found,
                          session.Execute("SELECT trip_id FROM report_bookings WHERE org_id = $1 "
                                          "AND order_id = $2",
                                          {org_id, order_id}));
  if (found.rows.empty()) return std::nullopt;
  return found.rows.front().Text(0);
}

// Recomputes the trip's tally whole from its bookings, cancellations and boardings as they
// stand: whatever order their events came in, the tally is the same.
absl::Status RefreshTrip(db::Session& session, const std::string& org_id,
                         const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(db::Result stop_rows,
                          session.Execute("SELECT station FROM report_trip_stops WHERE org_id = "
                                          "$1 AND trip_id = $2 ORDER BY idx",
                                          {org_id, trip_id}));
  std::vector<std::string> stops;
  for (const db::Row& row : stop_rows.rows) stops.push_back(row.Text(0));
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result booking_rows,
      session.Execute(
          "SELECT b.from_stop, b.to_stop, b.seats, b.gross, b.currency, "
          "COALESCE((SELECT SUM(c.seats) FROM report_cancellations c WHERE c.org_id = b.org_id "
          "AND c.order_id = b.order_id), 0), "
          "COALESCE((SELECT SUM(c.refund) FROM report_cancellations c WHERE c.org_id = b.org_id "
          "AND c.order_id = b.order_id), 0) "
          "FROM report_bookings b WHERE b.org_id = $1 AND b.trip_id = $2",
          {org_id, trip_id}));
  std::vector<BookingOnTrip> bookings;
  for (const db::Row& row : booking_rows.rows) {
    bookings.push_back({.from = row.Text(0),
                        .to = row.Text(1),
                        .seats = row.Int(2),
                        .cancelled_seats = row.Int(5),
                        .gross = row.Int(3),
                        .refunds = row.Int(6),
                        .currency = row.Text(4)});
  }
  const TripTally tally = Tally(stops, bookings);
  // A boarding counts for a booking of this trip whose seat was not given back since.
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result boarded,
      session.Execute("SELECT COUNT(*) FROM report_boardings bo JOIN report_bookings b ON "
                      "b.org_id = bo.org_id AND b.order_id = bo.order_id AND b.trip_id = "
                      "bo.trip_id WHERE bo.org_id = $1 AND bo.trip_id = $2 AND NOT EXISTS "
                      "(SELECT 1 FROM report_cancelled_seats cs WHERE cs.org_id = bo.org_id AND "
                      "cs.order_id = bo.order_id AND cs.seat = bo.seat)",
                      {org_id, trip_id}));
  TRAVIO_RETURN_IF_ERROR(
      session
          .Execute("UPDATE report_trips SET seats_sold = $3, seats_cancelled = $4, "
                   "seat_legs_sold = $5, boarded = $6 WHERE org_id = $1 AND trip_id = $2",
                   {org_id, trip_id, tally.seats_sold, tally.seats_cancelled, tally.seat_legs_sold,
                    boarded.rows.at(0).Int(0)})
          .status());
  TRAVIO_RETURN_IF_ERROR(session
                             .Execute("DELETE FROM report_trip_revenue WHERE org_id = $1 AND "
                                      "trip_id = $2",
                                      {org_id, trip_id})
                             .status());
  for (const auto& [currency, sales] : tally.sales) {
    TRAVIO_RETURN_IF_ERROR(
        session
            .Execute("INSERT INTO report_trip_revenue (org_id, trip_id, currency, bookings, "
                     "seats, cancelled_seats, gross, refunds) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                     {org_id, trip_id, currency, sales.bookings, sales.seats, sales.cancelled_seats,
                      sales.gross, sales.refunds})
            .status());
  }
  return absl::OkStatus();
}

// A trip's tally is read, then written whole: two events of one trip handled at once (the
// monolith on PostgreSQL relays each service's events on a thread of its own, and replicas
// share a queue) would each write a tally without the other's fact. SQLite has one writer;
// PostgreSQL runs these transactions SERIALIZABLE, so the second fails (kAborted), is retried
// by InTransaction, and reads the first's fact.
absl::Status OneAtATime(db::Transaction& tx) {
  if (tx.dialect() != db::Dialect::kPostgres) return absl::OkStatus();
  return tx.Execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").status();
}

// Applies the facts, then recomputes the tally of the trip they change.
absl::Status ProjectOn(db::Session& session, const Projection& projection) {
  return std::visit(
      [&session](const auto& facts) -> absl::Status {
        using Facts = std::decay_t<decltype(facts)>;
        std::optional<std::string> trip;
        if constexpr (std::is_same_v<Facts, TripFacts>) {
          TRAVIO_RETURN_IF_ERROR(ProjectTrip(session, facts));
          trip = facts.trip_id;
        } else if constexpr (std::is_same_v<Facts, BookingFacts>) {
          TRAVIO_RETURN_IF_ERROR(ProjectBooking(session, facts));
          trip = facts.trip_id;
        } else if constexpr (std::is_same_v<Facts, CancellationFacts>) {
          TRAVIO_RETURN_IF_ERROR(ProjectCancellation(session, facts));
          TRAVIO_ASSIGN_OR_RETURN(trip, TripOfOrder(session, facts.org_id, facts.order_id));
        } else {
          TRAVIO_RETURN_IF_ERROR(ProjectBoarding(session, facts));
          TRAVIO_ASSIGN_OR_RETURN(trip, TripOfOrder(session, facts.org_id, facts.order_id));
        }
        if (!trip) return absl::OkStatus();  // its booking comes later and tallies it then
        return RefreshTrip(session, facts.org_id, *trip);
      },
      projection);
}

// The page's last key as its cursor, when the page is full (there may be more).
std::string NextCursor(size_t rows, int limit, std::string last) {
  return static_cast<int>(rows) == limit ? std::move(last) : std::string();
}

RevenueRow RevenueOf(const db::Row& row, Grouping grouping) {
  RevenueRow out;
  // Columns: group key, trip id, route name, departure, then the sums.
  switch (grouping) {
    case Grouping::kDay:
      out.key = row.Text(0);
      out.label = row.Text(0);
      break;
    case Grouping::kRoute:
      out.key = row.Text(0);
      out.label = row.Text(2);
      break;
    case Grouping::kTrip:
      out.key = row.Text(1);
      out.label = absl::StrCat(row.Text(2), " ", row.Text(3));
      break;
  }
  out.bookings = row.Int(4);
  out.seats = row.Int(5);
  out.cancelled_seats = row.Int(6);
  out.gross = row.Int(7);
  out.refunds = row.Int(8);
  return out;
}

// A row of sql::TripOccupancy.
OccupancyRow TripOccupancyOf(const db::Row& row) {
  return OccupancyRow{.key = row.Text(1),
                      .label = row.Text(3),
                      .route_id = row.Text(2),
                      .departure = row.Text(4),
                      .status = row.Text(5),
                      .trips = 1,
                      .capacity = row.Int(7),
                      .offered = row.Int(8),
                      .sold = row.Int(9),
                      .seats_sold = row.Int(10),
                      .seats_cancelled = row.Int(11),
                      .boarded = row.Int(12),
                      .no_shows = row.Int(13)};
}

// Trips summed: the count of trips, then the sums, from the third column.
OccupancyRow SummedOccupancyOf(const db::Row& row) {
  return OccupancyRow{.trips = row.Int(2),
                      .capacity = row.Int(3),
                      .offered = row.Int(4),
                      .sold = row.Int(5),
                      .seats_sold = row.Int(6),
                      .seats_cancelled = row.Int(7),
                      .boarded = row.Int(8),
                      .no_shows = row.Int(9)};
}

class SqlReportStore final : public ReportStore {
 public:
  explicit SqlReportStore(db::Database& database) : database_(database) {}

  absl::StatusOr<bool> Record(const events::Event& event, const Projection& projection) override {
    bool fresh = false;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(OneAtATime(tx));
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result kept,
          tx.Execute("INSERT INTO report_events (id, type, aggregate_id, org_id, occurred_at, "
                     "trace_id, payload) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                     "ON CONFLICT (id) DO NOTHING",
                     {event.id, event.type, event.aggregate_id, event.org_id,
                      absl::ToUnixMicros(event.occurred_at), event.trace_id, event.payload}));
      fresh = kept.affected_rows == 1;
      if (!fresh) return absl::OkStatus();
      return ProjectOn(tx, projection);
    }));
    return fresh;
  }

  absl::StatusOr<LogPage> ScanLog(const std::string& after, int limit) override {
    int64_t after_at = std::numeric_limits<int64_t>::min();
    std::string after_id;
    if (!after.empty()) {
      const std::pair<std::string, std::string> parts = absl::StrSplit(after, '|');
      if (!absl::SimpleAtoi(parts.first, &after_at)) {
        return Error(reasons::kInvalidCursor, "No such position in the log.");
      }
      after_id = parts.second;
    }
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT id, type, aggregate_id, org_id, occurred_at, trace_id, payload "
                          "FROM report_events WHERE occurred_at > $1 OR (occurred_at = $1 AND "
                          "id > $2) ORDER BY occurred_at, id LIMIT $3",
                          {after_at, after_id, static_cast<int64_t>(limit)}));
    LogPage page;
    for (const db::Row& row : result.rows) page.events.push_back(EventOf(row));
    if (!page.events.empty()) {
      page.last = absl::StrCat(absl::ToUnixMicros(page.events.back().occurred_at), "|",
                               page.events.back().id);
    }
    return page;
  }

  absl::Status Project(const Projection& projection) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(OneAtATime(tx));
      return ProjectOn(tx, projection);
    });
  }

  absl::StatusOr<bool> NeedsRebuild() override {
    // Whether each table has a row: the rebuild mark, the kept events, then the projections.
    std::string sql =
        "SELECT (SELECT COUNT(*) FROM report_state WHERE name = 'rebuilding'), "
        "(SELECT COUNT(*) FROM (SELECT 1 FROM report_events LIMIT 1) e)";
    for (const char* table : sql::kProjections) {
      absl::StrAppend(&sql, ", (SELECT COUNT(*) FROM (SELECT 1 FROM ", table, " LIMIT 1) p)");
    }
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, database_.Execute(sql));
    const db::Row& row = result.rows.at(0);
    if (row.Int(0) > 0) return true;
    for (size_t i = 0; i < std::size(sql::kProjections); ++i) {
      if (row.Int(2 + i) > 0) return false;
    }
    return row.Int(1) > 0;
  }

  absl::Status BeginRebuild() override {
    return database_.InTransaction([](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(tx.Execute("INSERT INTO report_state (name, value) VALUES "
                                        "('rebuilding', 1) ON CONFLICT (name) DO NOTHING")
                                 .status());
      for (const char* table : sql::kProjections) {
        TRAVIO_RETURN_IF_ERROR(tx.Execute(absl::StrCat("DELETE FROM ", table)).status());
      }
      return absl::OkStatus();
    });
  }

  absl::Status FinishRebuild() override {
    return database_.Execute("DELETE FROM report_state WHERE name = 'rebuilding'").status();
  }

  absl::StatusOr<RevenueReport> Revenue(const RevenueQuery& query) override {
    // A trip's key starts with its service day, so the range of days is a range of keys, read
    // off one index: (from, the day after the last).
    const std::string from = DayText(query.dates.from);
    const std::string to = DayText(query.dates.to + 1);
    RevenueReport report;
    // The range's currencies, the most used first: with the totals, and when no cursor or
    // query names the currency (a page of an export after the first needs neither).
    if (query.with_totals || (query.after.empty() && query.currency.empty())) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result currencies,
          database_.Execute("SELECT r.currency, SUM(r.bookings) FROM report_trips t CROSS JOIN "
                            "report_trip_revenue r WHERE r.org_id = t.org_id AND r.trip_id = "
                            "t.trip_id AND t.org_id = $1 AND t.sort_key > $2 AND "
                            "t.sort_key < $3 GROUP BY r.currency "
                            "ORDER BY SUM(r.bookings) DESC, r.currency",
                            {query.org_id, from, to}));
      for (const db::Row& row : currencies.rows) report.currencies.push_back(row.Text(0));
    }
    // A page goes on in the currency of the page before: a cursor is "<currency>|<key>".
    std::string after;
    report.currency = query.currency;
    if (!query.after.empty()) {
      const std::pair<std::string, std::string> cursor =
          absl::StrSplit(query.after, absl::MaxSplits('|', 1));
      if (cursor.first.size() != 3 || cursor.second.empty() ||
          (!query.currency.empty() && cursor.first != query.currency)) {
        return Error(reasons::kInvalidCursor, "No such page.");
      }
      report.currency = cursor.first;
      after = cursor.second;
    }
    if (report.currency.empty() && !report.currencies.empty()) {
      report.currency = report.currencies.front();
    }
    const char* group = query.grouping == Grouping::kDay     ? "local_date"
                        : query.grouping == Grouping::kRoute ? "route_id"
                                                             : "sort_key";
    constexpr char kSums[] =
        "COALESCE(SUM(r.bookings), 0), COALESCE(SUM(r.seats), 0), "
        "COALESCE(SUM(r.cancelled_seats), 0), COALESCE(SUM(r.gross), 0), "
        "COALESCE(SUM(r.refunds), 0)";
    constexpr char kFrom[] =
        // CROSS JOIN: the trips first (SQLite keeps that order; PostgreSQL plans as it likes).
        " FROM report_trips t CROSS JOIN report_trip_revenue r WHERE r.org_id = t.org_id AND "
        "r.trip_id = t.trip_id AND t.org_id = $1 AND t.sort_key > $2 AND t.sort_key < $3 AND "
        "r.currency = $4";
    absl::StatusOr<db::Result> found;
    if (query.grouping == Grouping::kTrip) {
      // A trip is its own group, and its key starts with its day: the page is a range of keys,
      // read in order off the index from the cursor on.
      found = database_.Execute(
          "SELECT t.sort_key, t.trip_id, t.route_name, t.departure, r.bookings, r.seats, "
          "r.cancelled_seats, r.gross, r.refunds FROM report_trips t CROSS JOIN "
          "report_trip_revenue r WHERE r.org_id = t.org_id AND r.trip_id = t.trip_id AND "
          "t.org_id = $1 AND t.sort_key > $2 AND t.sort_key < $3 AND r.currency = $4 "
          "ORDER BY t.sort_key LIMIT $5",
          {query.org_id, std::max(after, from), to, report.currency,
           static_cast<int64_t>(query.limit)});
    } else {
      found = database_.Execute(
          absl::StrCat("SELECT t.", group,
                       ", MAX(t.trip_id), MAX(t.route_name), MAX(t.departure), ", kSums, kFrom,
                       " AND t.", group, " > $5 GROUP BY t.", group, " ORDER BY t.", group,
                       " LIMIT $6"),
          {query.org_id, from, to, report.currency, after, static_cast<int64_t>(query.limit)});
    }
    TRAVIO_ASSIGN_OR_RETURN(db::Result rows, std::move(found));
    for (const db::Row& row : rows.rows) report.rows.push_back(RevenueOf(row, query.grouping));
    if (static_cast<int>(rows.rows.size()) == query.limit) {
      report.next_cursor = absl::StrCat(report.currency, "|", rows.rows.back().Text(0));
    }
    if (query.with_totals) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result totals,
          database_.Execute(absl::StrCat("SELECT 'total', '', '', '', ", kSums, kFrom),
                            {query.org_id, from, to, report.currency}));
      report.totals = RevenueOf(totals.rows.at(0), Grouping::kDay);
    }
    report.totals.key = "total";
    report.totals.label = "Total";
    return report;
  }

  absl::StatusOr<OccupancyReport> Occupancy(const OccupancyQuery& query) override {
    const std::vector<db::Value> params = {
        query.org_id, DayText(query.dates.from),        DayText(query.dates.to + 1), query.route_id,
        query.after,  static_cast<int64_t>(query.limit)};
    OccupancyReport report;
    const char* key = query.grouping == Grouping::kTrip  ? "sort_key"
                      : query.grouping == Grouping::kDay ? "local_date"
                                                         : "route_id";
    constexpr char kTrips[] =
        // The range of days as a range of keys (a trip's starts with its day), off one index.
        " FROM report_trips t WHERE t.org_id = $1 AND t.sort_key > $2 AND t.sort_key < $3 AND "
        "($4 = '' OR t.route_id = $4)";
    // A group's trips summed, from the third column on (SummedOccupancyOf reads them).
    constexpr char kSums[] =
        "COUNT(*), COALESCE(SUM(p.capacity), 0), COALESCE(SUM(p.offered), 0), "
        "COALESCE(SUM(p.sold), 0), COALESCE(SUM(p.seats_sold), 0), "
        "COALESCE(SUM(p.seats_cancelled), 0), COALESCE(SUM(p.boarded), 0), "
        "COALESCE(SUM(p.no_shows), 0)";
    absl::StatusOr<db::Result> found;
    if (query.grouping == Grouping::kTrip) {
      // The page is a range of keys (a trip's starts with its day), read in order off the index.
      found = database_.Execute(
          absl::StrCat("SELECT ", sql::kTripOccupancyColumns,
                       " FROM report_trips t WHERE t.org_id = $1 AND t.sort_key > $2 AND "
                       "t.sort_key < $3 AND ($4 = '' OR t.route_id = $4) ORDER BY t.sort_key "
                       "LIMIT $5"),
          {query.org_id, std::max(query.after, DayText(query.dates.from)),
           DayText(query.dates.to + 1), query.route_id, static_cast<int64_t>(query.limit)});
    } else {
      found = database_.Execute(
          absl::StrCat("SELECT p.", key, ", MAX(p.route_name), ", kSums, " FROM (SELECT ",
                       sql::kTripOccupancyColumns, kTrips, " AND t.", key, " > $5) p GROUP BY p.",
                       key, " ORDER BY p.", key, " LIMIT $6"),
          params);
    }
    TRAVIO_ASSIGN_OR_RETURN(db::Result rows, std::move(found));
    for (const db::Row& row : rows.rows) {
      if (query.grouping == Grouping::kTrip) {
        report.rows.push_back(TripOccupancyOf(row));
        continue;
      }
      OccupancyRow group = SummedOccupancyOf(row);
      group.key = row.Text(0);
      group.label = query.grouping == Grouping::kDay ? row.Text(0) : row.Text(1);
      if (query.grouping == Grouping::kRoute) group.route_id = row.Text(0);
      report.rows.push_back(std::move(group));
    }
    if (!rows.rows.empty()) {
      report.next_cursor = NextCursor(rows.rows.size(), query.limit, rows.rows.back().Text(0));
    }
    if (query.with_totals) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result totals,
          database_.Execute(absl::StrCat("SELECT 'total', 'Total', ", kSums, " FROM (SELECT ",
                                         sql::kTripOccupancyColumns, kTrips, ") p"),
                            std::span<const db::Value>(params.data(), 4)));
      report.totals = SummedOccupancyOf(totals.rows.at(0));
    }
    report.totals.key = "total";
    report.totals.label = "Total";
    return report;
  }

  absl::StatusOr<BookingsPage> Bookings(const BookingsQuery& query) override {
    // Bookings by their trip's key (its day, departure and id), then order id; a cursor is the
    // last row's "<trip key>|<order id>". A page reads the trips of the range from its cursor
    // on, off one index, and their bookings: its own rows.
    std::string after_trip = DayText(query.dates.from);
    std::string after_order;
    if (!query.after.empty()) {
      const size_t bar = query.after.rfind('|');
      if (bar == std::string::npos || bar == 0) {
        return Error(reasons::kInvalidCursor, "No such page.");
      }
      after_trip = std::max(after_trip, query.after.substr(0, bar));
      after_order = query.after.substr(bar + 1);
    }
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result rows,
        database_.Execute(
            "SELECT b.order_id, b.confirmed_at, b.trip_id, t.route_name, t.departure, "
            "b.from_stop, b.to_stop, b.seats, "
            "COALESCE((SELECT SUM(c.seats) FROM report_cancellations c WHERE c.org_id = "
            "b.org_id AND c.order_id = b.order_id), 0), b.gross, "
            "COALESCE((SELECT SUM(c.refund) FROM report_cancellations c WHERE c.org_id = "
            "b.org_id AND c.order_id = b.order_id), 0), b.currency, t.sort_key "
            "FROM report_trips t CROSS JOIN report_bookings b WHERE b.org_id = t.org_id AND "
            "b.trip_id = t.trip_id AND t.org_id = $1 AND t.sort_key >= $2 AND t.sort_key < $3 "
            "AND (t.sort_key > $2 OR b.order_id > $4) ORDER BY t.sort_key, b.order_id LIMIT $5",
            {query.org_id, after_trip, DayText(query.dates.to + 1), after_order,
             static_cast<int64_t>(query.limit)}));
    BookingsPage page;
    for (const db::Row& row : rows.rows) {
      page.rows.push_back(
          BookingLine{.order_id = row.Text(0),
                      .confirmed_at = FormatInstant(absl::FromUnixMicros(row.Int(1))),
                      .trip_id = row.Text(2),
                      .route_name = row.Text(3),
                      .departure = row.Text(4),
                      .from = row.Text(5),
                      .to = row.Text(6),
                      .seats = row.Int(7),
                      .cancelled_seats = std::clamp<int64_t>(row.Int(8), 0, row.Int(7)),
                      .gross = row.Int(9),
                      .refunds = row.Int(10),
                      .currency = row.Text(11)});
    }
    if (static_cast<int>(rows.rows.size()) == query.limit) {
      page.next_cursor = absl::StrCat(rows.rows.back().Text(12), "|", rows.rows.back().Text(0));
    }
    return page;
  }

 private:
  db::Database& database_;
};

}  // namespace

std::vector<db::Migration> ReportingMigrations() {
  return {{1,
           "reporting's kept events and its projections of trips, bookings, cancellations and "
           "boardings",
           sql::kTables}};
}

std::unique_ptr<ReportStore> MakeSqlReportStore(db::Database& database) {
  return std::make_unique<SqlReportStore>(database);
}

}  // namespace travio::reporting
