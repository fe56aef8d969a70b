// Reports over a year of a large operator (docs/performance.md, "Reports"): its trips, bookings
// and cancellations are fed to the reporting service as events, on SQLite as the monolith keeps
// them; the same bookings are written as rows of the order service's own `orders` table. Each
// report is then timed beside a direct SQL aggregate over `orders` (revenue by day: count and
// sum, no refunds, no legs) in the same run: the ratio is the figure. Every report's totals are
// checked against the generated data.
//
//   travio_report_queries_bench DIR [ROUTES] [TRIPS] [BOOKINGS_PER_TRIP]
#include <chrono>
#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/db/migrations.h"
#include "services/catalog/api/catalog_events.h"
#include "services/order/api/order_events.h"
#include "services/order/storage/sql_order_store.h"
#include "services/reporting/app/reporting_service.h"
#include "services/reporting/storage/sql_report_store.h"

namespace travio {
namespace {

constexpr char kOrg[] = "0193f1c2-7a10-7c3e-8a51-2b6d4e9f1a01";
constexpr int kStops = 4;  // every route: four stops, three legs
const char* const kStations[] = {"DHK", "CTG", "CXB", "SYL", "RAJ", "KHL",
                                 "BAR", "RNG", "MYM", "COM", "JES", "BOG"};

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The median of `runs` timings of `work`, in milliseconds.
template <typename Work>
double MedianMs(int runs, Work work) {
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    samples.push_back(Seconds(start) * 1000);
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
    std::exit(1);
  }
}

std::string Id(char kind, int64_t n) {
  return absl::StrFormat("0193f1c2-%04x-7000-8000-%c%011d", n % 65536, kind, n);
}

}  // namespace
}  // namespace travio

int main(int argc, char** argv) {
  using namespace travio;
  using namespace travio::reporting;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [ROUTES] [TRIPS] [BOOKINGS_PER_TRIP]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int routes = argc > 2 ? std::atoi(argv[2]) : 50;
  const int trips = argc > 3 ? std::atoi(argv[3]) : 100000;
  const int per_trip = argc > 4 ? std::atoi(argv[4]) : 5;

  auto database = db::OpenSqlite({.path = dir + "/bench.db"});
  Check(database.status(), "open");
  Check(db::ApplyMigrations(**database, "reporting", ReportingMigrations()), "reporting tables");
  Check(db::ApplyMigrations(**database, "order", order::OrderMigrations()), "order tables");
  auto store = MakeSqlReportStore(**database);
  ReportingService service(*store, log::Logger::ToStderr(log::Level::kError));

  std::mt19937 random(2026);
  const absl::TimeZone dhaka = absl::FixedTimeZone(6 * 3600);
  const absl::CivilDay first_day(2027, 1, 1);
  const int trips_per_day = std::max(1, trips / 365);
  int64_t gross = 0, refunds = 0, seat_legs = 0, bookings = 0, events = 0;
  std::vector<db::Value> order_rows;
  const auto ingest_start = std::chrono::steady_clock::now();
  absl::Time at = absl::FromCivil(absl::CivilSecond(2026, 12, 1, 0, 0, 0), dhaka);
  auto header = [&](const std::string& aggregate) {
    at += absl::Milliseconds(1);
    return events::Header{.id = Id('e', ++events),
                          .aggregate_id = aggregate,
                          .org_id = kOrg,
                          .occurred_at = at,
                          .trace_id = ""};
  };
  for (int t = 0; t < trips; ++t) {
    const int route = t % routes;
    const absl::CivilDay day = first_day + t / trips_per_day;
    const absl::Time departure = absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 6 + t % 16, 0, 0), dhaka);
    catalog::PublishedTrip trip;
    trip.id = Id('t', t);
    trip.org_id = kOrg;
    trip.route_id = Id('r', route);
    trip.route_name = absl::StrCat("Route ", route);
    trip.version = 1;
    trip.status = catalog::TripStatus::kPublished;
    trip.departure = trip.scheduled_departure =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S+06:00", departure, dhaka);
    trip.local_date = absl::FormatCivilTime(day);
    std::vector<std::string> stops;
    for (int s = 0; s < kStops; ++s) {
      stops.push_back(kStations[(route + s * 5) % std::size(kStations)]);
      trip.stops.push_back({.station = stops.back(), .zone = "Asia/Dhaka"});
    }
    trip.bus.capacity = trip.bus.seats_for_sale = 40;
    trip.bus.layout_document = R"({"template":"2+2","rows":10})";
    Check(service.OnEvent(catalog::kTripPublished.Make(trip, header(trip.id))), "trip");
    for (int b = 0; b < per_trip; ++b) {
      const int from = static_cast<int>(random() % (kStops - 1));
      const int to = from + 1 + static_cast<int>(random() % (kStops - 1 - from));
      const int seats = 1 + static_cast<int>(random() % 4);
      const int64_t total = int64_t{seats} * (to - from) * 45000;
      order::OrderConfirmed order{.order_id = Id('o', bookings),
                                  .trip_id = trip.id,
                                  .from = stops[from],
                                  .to = stops[to],
                                  .total = {total, "BDT"}};
      for (int s = 0; s < seats; ++s) order.seats.push_back(absl::StrCat("S", b * 4 + s));
      Check(service.OnEvent(order::kOrderConfirmed.Make(order, header(order.order_id))), "booking");
      ++bookings;
      gross += total;
      int kept = seats;
      std::string status = "confirmed";
      if (random() % 20 == 0) {  // one booking in twenty loses a seat, refunded 75%
        const int64_t refund = total / seats * 3 / 4;
        order::OrderCancelled cancelled{.order_id = order.order_id,
                                        .trip_id = trip.id,
                                        .seats = {order.seats[0]},
                                        .refund = {refund, "BDT"},
                                        .tier = "standard"};
        Check(service.OnEvent(order::kOrderCancelled.Make(cancelled, header(order.order_id))),
              "cancellation");
        refunds += refund;
        kept -= 1;
        status = kept == 0 ? "cancelled" : "partially_cancelled";
      }
      seat_legs += int64_t{kept} * (to - from);
      for (db::Value value : std::initializer_list<db::Value>{order.order_id,
                                                              std::string(kOrg),
                                                              trip.id,
                                                              std::string("buyer"),
                                                              Id('h', bookings),
                                                              int64_t{1},
                                                              order.from,
                                                              order.to,
                                                              absl::ToUnixMicros(departure),
                                                              status,
                                                              total,
                                                              std::string("BDT"),
                                                              std::string("buyer@example.com"),
                                                              std::string(""),
                                                              int64_t{0},
                                                              std::string(""),
                                                              std::string(""),
                                                              absl::ToUnixMicros(at),
                                                              absl::ToUnixMicros(at),
                                                              int64_t{1}}) {
        order_rows.push_back(std::move(value));
      }
    }
  }
  const double ingest_seconds = Seconds(ingest_start);
  // The order service's rows, in one transaction of multi-row inserts.
  Check((*database)->InTransaction([&](db::Transaction& tx) -> absl::Status {
    constexpr size_t kColumns = 20, kRowsPerInsert = 40;
    for (size_t first = 0; first < order_rows.size(); first += kColumns * kRowsPerInsert) {
      const size_t count = std::min(kRowsPerInsert, (order_rows.size() - first) / kColumns);
      std::string sql =
          "INSERT INTO orders (id, org_id, trip_id, buyer, hold_id, hold_version, "
          "journey_from, journey_to, departs_at, status, total_amount, currency, "
          "contact_email, contact_phone, expires_at, booking_id, payment_id, created_at, "
          "updated_at, version) VALUES ";
      for (size_t r = 0; r < count; ++r) {
        absl::StrAppend(&sql, r ? ", (" : "(");
        for (size_t c = 0; c < kColumns; ++c) {
          absl::StrAppend(&sql, c ? ", $" : "$", r * kColumns + c + 1);
        }
        absl::StrAppend(&sql, ")");
      }
      auto done =
          tx.Execute(sql, std::span<const db::Value>(order_rows.data() + first, count * kColumns));
      if (!done.ok()) return done.status();
    }
    return absl::OkStatus();
  }),
        "orders");

  // The service days the trips were spread over: a year and a day or two.
  const DateRange year{first_day, first_day + (trips - 1) / trips_per_day};
  std::printf("data %d routes, %d trips, %lld bookings, %lld seat-legs sold, %lld events\n", routes,
              trips, static_cast<long long>(bookings), static_cast<long long>(seat_legs),
              static_cast<long long>(events));
  std::printf("ingest_events_per_second %.0f\n", static_cast<double>(events) / ingest_seconds);

  // The reference: revenue by day straight from the order service's table.
  int64_t reference_gross = 0;
  const double reference_ms = MedianMs(5, [&] {
    auto result = (*database)->Execute(
        "SELECT date(departs_at / 1000000 + 21600, 'unixepoch') AS day, COUNT(*), "
        "SUM(total_amount) FROM orders WHERE org_id = $1 GROUP BY day ORDER BY day",
        {std::string(kOrg)});
    Check(result.status(), "reference");
    reference_gross = 0;
    for (const db::Row& row : result->rows) reference_gross += row.Int(2);
  });
  std::printf("reference_revenue_by_day_ms %.1f\n", reference_ms);

  auto revenue = [&](Grouping grouping, bool all_pages) {
    RevenueReport last;
    int64_t rows = 0;
    std::string after;
    do {
      // As an export reads them: the totals with the first page only.
      auto report = service.Revenue({.org_id = kOrg,
                                     .dates = year,
                                     .grouping = grouping,
                                     .after = after,
                                     .limit = 1000,
                                     .with_totals = after.empty()});
      Check(report.status(), "revenue");
      rows += static_cast<int64_t>(report->rows.size());
      if (after.empty()) last = *report;
      after = report->next_cursor;
    } while (all_pages && !after.empty());
    if (last.totals.gross != gross || last.totals.refunds != refunds ||
        last.totals.gross != reference_gross) {
      std::fprintf(stderr, "revenue totals disagree: %lld/%lld vs %lld/%lld\n",
                   static_cast<long long>(last.totals.gross),
                   static_cast<long long>(last.totals.refunds), static_cast<long long>(gross),
                   static_cast<long long>(refunds));
      std::exit(1);
    }
    return rows;
  };
  // Every page of an export must have listed every trip, once.
  auto expect_rows = [](const char* what, int64_t rows, int64_t expected) {
    if (rows != expected) {
      std::fprintf(stderr, "%s: %lld rows, expected %lld\n", what, static_cast<long long>(rows),
                   static_cast<long long>(expected));
      std::exit(1);
    }
  };
  auto occupancy = [&](Grouping grouping, bool all_pages) {
    OccupancyReport last;
    int64_t rows = 0;
    std::string after;
    do {
      auto report = service.Occupancy({.org_id = kOrg,
                                       .dates = year,
                                       .grouping = grouping,
                                       .after = after,
                                       .limit = 1000,
                                       .with_totals = after.empty()});
      Check(report.status(), "occupancy");
      rows += static_cast<int64_t>(report->rows.size());
      if (after.empty()) last = *report;
      after = report->next_cursor;
    } while (all_pages && !after.empty());
    if (last.totals.sold != seat_legs) {
      std::fprintf(stderr, "occupancy sold %lld, expected %lld\n",
                   static_cast<long long>(last.totals.sold), static_cast<long long>(seat_legs));
      std::exit(1);
    }
    return rows;
  };
  // One day in the middle of the year: what a report of a day reads out of a year's data.
  const DateRange one_day{first_day + 180, first_day + 180};
  auto day_of_trips = [&] {
    auto report = service.Revenue(
        {.org_id = kOrg, .dates = one_day, .grouping = Grouping::kTrip, .limit = 1000});
    Check(report.status(), "a day's revenue");
    expect_rows("a day's revenue by trip", static_cast<int64_t>(report->rows.size()),
                trips_per_day);
  };
  auto day_of_bookings = [&] {
    int64_t rows = 0;
    std::string after;
    do {
      auto page =
          service.Bookings({.org_id = kOrg, .dates = one_day, .after = after, .limit = 1000});
      Check(page.status(), "a day's bookings");
      rows += static_cast<int64_t>(page->rows.size());
      after = page->next_cursor;
    } while (!after.empty());
    expect_rows("a day's bookings", rows, int64_t{trips_per_day} * per_trip);
  };
  struct Timed {
    const char* name;
    int runs;
    std::function<void()> work;
  };
  const std::vector<Timed> timed = {
      {"revenue_by_day_year", 5, [&] { revenue(Grouping::kDay, false); }},
      {"revenue_by_route_year", 5, [&] { revenue(Grouping::kRoute, false); }},
      {"revenue_by_trip_first_page", 5, [&] { revenue(Grouping::kTrip, false); }},
      {"occupancy_by_day_year", 5, [&] { occupancy(Grouping::kDay, false); }},
      {"occupancy_by_trip_first_page", 5, [&] { occupancy(Grouping::kTrip, false); }},
      {"revenue_by_trip_every_page", 1,
       [&] { expect_rows("revenue by trip", revenue(Grouping::kTrip, true), trips); }},
      {"occupancy_by_trip_every_page", 1,
       [&] { expect_rows("occupancy by trip", occupancy(Grouping::kTrip, true), trips); }},
      {"revenue_by_trip_one_day", 5, day_of_trips},
      {"bookings_one_day", 5, day_of_bookings},
      {"bookings_every_page", 1,
       [&] {
         std::string after;
         int64_t rows = 0;
         do {
           auto page =
               service.Bookings({.org_id = kOrg, .dates = year, .after = after, .limit = 1000});
           Check(page.status(), "bookings");
           rows += static_cast<int64_t>(page->rows.size());
           after = page->next_cursor;
         } while (!after.empty());
         if (rows != bookings) {
           std::fprintf(stderr, "bookings export: %lld rows\n", static_cast<long long>(rows));
           std::exit(1);
         }
       }},
  };
  for (const Timed& query : timed) {
    const double ms = MedianMs(query.runs, query.work);
    std::printf("%s_ms %.1f ratio %.1f\n", query.name, ms, ms / reference_ms);
  }
  return 0;
}
