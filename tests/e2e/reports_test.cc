// Reports through the public API on both deployments, in one story per deployment (each costs
// a start): after a randomized run of bookings, partial and whole cancellations and a trip
// cancellation, the revenue report's totals equal the sums of the orders and refunds they come
// from, occupancy counts the seat-legs sold, the CSV exports say the same, and reports are
// their organization's managers' business alone.
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

// What the test expects of one trip, from the orders as the API answers them.
struct TripBooks {
  int64_t bookings = 0;
  int64_t seats = 0;
  int64_t cancelled_seats = 0;
  int64_t gross = 0;
  int64_t refunds = 0;
  int64_t seat_legs = 0;  // sold and not cancelled
};

int LegsOf(const std::string& from, const std::string& to) {
  const std::vector<std::string> stops = {"DHK", "CTG", "CXB"};
  return static_cast<int>(std::find(stops.begin(), stops.end(), to) -
                          std::find(stops.begin(), stops.end(), from));
}

// RFC 4180 records of a CSV body whose cells hold no quotes or line breaks.
std::vector<std::vector<std::string>> CsvRows(const std::string& body) {
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(body, "\r\n", absl::SkipEmpty())) {
    rows.push_back(absl::StrSplit(line, ','));
  }
  return rows;
}

class ReportsE2eTest : public OrderApiTest {
 protected:
  // The first trip leaves in three days; its tickets are scanned now.
  std::map<std::string, std::string> Environment() const override {
    std::map<std::string, std::string> environment = OrderApiTest::Environment();
    environment["TRAVIO_FULFILLMENT_BOARDING_OPENS"] = "96h";
    return environment;
  }

  // A valid ticket of the order once fulfillment issued them, with its code.
  json IssuedTicket(const std::string& order_id) {
    for (int i = 0; i < 300; ++i) {
      const json order = Ok(Get("/v1/orders/" + order_id, owner_));
      for (const json& ticket : order["tickets"]) {
        if (ticket["status"] == "issued") {
          return Ok(Get("/v1/tickets/" + ticket["id"].get<std::string>(), owner_));
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "order " << order_id << " got no ticket";
    return nullptr;
  }

  std::string Range() const {
    const absl::Time now = absl::Now();
    const absl::TimeZone dhaka = absl::FixedTimeZone(6 * 3600);
    return absl::StrCat("from_date=", absl::FormatTime("%Y-%m-%d", now, dhaka), "&to_date=",
                        absl::FormatTime("%Y-%m-%d", now + absl::Hours(24 * 10), dhaka));
  }

  // The report once its totals say `gross` and `refunds` (events arrive a moment after the
  // orders change), or as it is after 30 seconds.
  json AwaitRevenue(const std::string& query, int64_t gross, int64_t refunds) {
    json report;
    for (int i = 0; i < 300; ++i) {
      report = Ok(Get("/v1/reports/revenue?" + Range() + query, owner_));
      if (report["totals"]["gross"] == gross && report["totals"]["refunds"] == refunds) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return report;
  }

  void Cancel(const std::string& order_id, const json& seats) {
    json request = json::object();
    if (!seats.is_null()) request["seats"] = seats;
    const json quote =
        Ok(Send("POST", "/v1/orders/" + order_id + "/cancel-quote", request, owner_));
    Ok(Send("POST", "/v1/orders/" + order_id + "/cancel", {{"quote_id", quote["quote_id"]}},
            owner_));
  }
};

TEST_P(ReportsE2eTest, TotalsEqualTheOrdersAndRefundsTheyComeFrom) {
  // Three trips of the network's route: the first, one a day later, and one the operator will
  // cancel two days later.
  const std::string first = trip_;
  std::vector<std::string> trips = {first};
  for (int day : {4, 5}) {
    const std::string departure =
        absl::FormatTime("%Y-%m-%dT21:00:00+06:00", absl::Now() + absl::Hours(24 * day),
                         absl::FixedTimeZone(6 * 3600));
    trips.push_back(PublishTrip(trip_json_["route_id"], trip_json_["bus_id"], departure)["id"]);
  }
  std::mt19937 random(GetParam() == Mode::kMonolith ? 20 : 26);
  const std::vector<std::pair<std::string, std::string>> journeys = {
      {"DHK", "CXB"}, {"DHK", "CTG"}, {"CTG", "CXB"}};
  std::map<std::string, int> next_row;  // per trip: seats are taken row by row
  std::vector<std::string> order_ids;
  std::map<std::string, std::string> trip_of;
  for (int i = 0; i < 9; ++i) {
    trip_ = trips[i % trips.size()];
    const auto& [from, to] = journeys[random() % journeys.size()];
    const int count = 1 + static_cast<int>(random() % 3);
    std::vector<std::string> seats;
    const char row = static_cast<char>('A' + next_row[trip_]++);
    for (int s = 1; s <= count; ++s) seats.push_back(absl::StrCat(std::string(1, row), s));
    const json order = PaidOrder(owner_, seats, from, to);
    ASSERT_EQ(order["status"], "confirmed") << order.dump();
    order_ids.push_back(order["id"]);
    trip_of[order["id"]] = trip_;
  }
  trip_ = first;
  // Partial cancellations of some orders of more than one seat, a whole one of another, then
  // the third trip cancelled with what is left on it.
  int partial = 0;
  for (const std::string& id : order_ids) {
    const json order = Ok(Get("/v1/orders/" + id, owner_));
    if (trip_of[id] == trips[2]) continue;
    if (order["seats"].size() > 1 && partial < 2) {
      Cancel(id, json::array({order["seats"][0]}));
      ++partial;
    } else if (order["seats"].size() == 1 && partial == 2) {
      Cancel(id, nullptr);
      partial = 3;
    }
  }
  Ok(Send("POST", "/v1/catalog/trips/" + trips[2] + "/cancel", {{"reason", "flooded road"}},
          owner_));
  for (const std::string& id : order_ids) {
    if (trip_of[id] == trips[2]) AwaitStatus(owner_, id, "cancelled");
  }

  // One ticket of the first trip boards, then the trip departs: its other seats are no-shows.
  std::string boarding_order;
  for (const std::string& id : order_ids) {
    if (trip_of[id] == first && !Ok(Get("/v1/orders/" + id, owner_))["seats"].empty()) {
      boarding_order = id;
    }
  }
  ASSERT_FALSE(boarding_order.empty());
  const json ticket = IssuedTicket(boarding_order);
  ASSERT_TRUE(ticket.contains("qr")) << ticket.dump();
  const HttpResult scan =
      Send("POST", "/v1/boarding/scan", {{"qr", ticket["qr"]}, {"trip_id", first}}, owner_);
  ASSERT_EQ(scan.status, 200) << scan.body;
  Ok(Send("POST", "/v1/catalog/trips/" + first + "/board", json::object(), owner_));
  Ok(Send("POST", "/v1/catalog/trips/" + first + "/depart", json::object(), owner_));

  // What the orders say.
  std::map<std::string, TripBooks> expected;
  TripBooks total;
  for (const std::string& id : order_ids) {
    const json order = Ok(Get("/v1/orders/" + id, owner_));
    TripBooks& books = expected[trip_of[id]];
    const int64_t seats = static_cast<int64_t>(order["items"].size());
    int64_t refunded = 0;
    for (const json& refund : order["refunds"])
      refunded += refund["amount"]["amount"].get<int64_t>();
    const int64_t still = static_cast<int64_t>(order["seats"].size());
    for (TripBooks* sum : {&books, &total}) {
      sum->bookings += 1;
      sum->seats += seats;
      sum->cancelled_seats += seats - still;
      sum->gross += order["total"]["amount"].get<int64_t>();
      sum->refunds += refunded;
      sum->seat_legs += still * LegsOf(order["from"], order["to"]);
    }
  }
  ASSERT_GT(total.refunds, 0);

  const json by_trip = AwaitRevenue("&group_by=trip", total.gross, total.refunds);
  EXPECT_EQ(by_trip["currency"], "BDT");
  EXPECT_EQ(by_trip["totals"]["bookings"], total.bookings);
  EXPECT_EQ(by_trip["totals"]["seats"], total.seats);
  EXPECT_EQ(by_trip["totals"]["cancelled_seats"], total.cancelled_seats);
  EXPECT_EQ(by_trip["totals"]["net"], total.gross - total.refunds);
  ASSERT_EQ(by_trip["rows"].size(), trips.size()) << by_trip.dump();
  for (const json& row : by_trip["rows"]) {
    const TripBooks& books = expected[row["key"]];
    EXPECT_EQ(row["bookings"], books.bookings) << row.dump();
    EXPECT_EQ(row["seats"], books.seats) << row.dump();
    EXPECT_EQ(row["gross"], books.gross) << row.dump();
    EXPECT_EQ(row["refunds"], books.refunds) << row.dump();
    EXPECT_EQ(row["net"], books.gross - books.refunds) << row.dump();
  }
  // The same money by day and by route.
  const json by_day = Ok(Get("/v1/reports/revenue?" + Range(), owner_));
  EXPECT_EQ(by_day["totals"], by_trip["totals"]);
  EXPECT_EQ(by_day["rows"].size(), trips.size());  // one trip a day
  const json by_route = Ok(Get("/v1/reports/revenue?" + Range() + "&group_by=route", owner_));
  ASSERT_EQ(by_route["rows"].size(), 1u);
  EXPECT_EQ(by_route["rows"][0]["key"], trip_json_["route_id"]);
  EXPECT_EQ(by_route["rows"][0]["net"], total.gross - total.refunds);
  // A page at a time, the rows are the same.
  const json page = Ok(Get("/v1/reports/revenue?" + Range() + "&group_by=trip&limit=2", owner_));
  ASSERT_EQ(page["rows"].size(), 2u);
  const json rest = Ok(Get("/v1/reports/revenue?" + Range() + "&group_by=trip&limit=2&cursor=" +
                               page["next_cursor"].get<std::string>(),
                           owner_));
  ASSERT_EQ(rest["rows"].size(), 1u);
  EXPECT_EQ(rest["rows"][0], by_trip["rows"][2]);
  EXPECT_TRUE(rest["next_cursor"].is_null());

  // Occupancy: seat-legs sold over those offered; the cancelled trip offers none, and the
  // departed one counts its boarding and its no-shows (once their events are in).
  json occupancy;
  for (int i = 0; i < 300; ++i) {
    occupancy = Ok(Get("/v1/reports/occupancy?" + Range(), owner_));
    if (occupancy["totals"]["boarded"] == 1 && occupancy["rows"][0]["status"] == "departed") break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(occupancy["rows"].size(), trips.size()) << occupancy.dump();
  const int64_t kept_on_first = expected[first].seats - expected[first].cancelled_seats;
  EXPECT_EQ(occupancy["rows"][0]["trip_id"], first);
  EXPECT_EQ(occupancy["rows"][0]["boarded"], 1);
  EXPECT_EQ(occupancy["rows"][0]["no_shows"], kept_on_first - 1);
  EXPECT_EQ(occupancy["totals"]["no_shows"], kept_on_first - 1);
  for (const json& row : occupancy["rows"]) {
    const bool cancelled = row["trip_id"] == trips[2];
    EXPECT_EQ(row["status"], cancelled                 ? "cancelled"
                             : row["trip_id"] == first ? "departed"
                                                       : "published")
        << row.dump();
    EXPECT_EQ(row["capacity"], 40);
    EXPECT_EQ(row["offered"], cancelled ? 0 : 40 * 2);
    EXPECT_EQ(row["sold"], expected[row["trip_id"]].seat_legs) << row.dump();
    EXPECT_EQ(row["route_id"], trip_json_["route_id"]);
  }
  EXPECT_EQ(occupancy["totals"]["sold"], total.seat_legs);
  EXPECT_EQ(occupancy["totals"]["offered"], 2 * 40 * 2);

  // The exports say the same, as CSV.
  const HttpResult bookings = Get("/v1/reports/export?kind=bookings&" + Range(), owner_);
  ASSERT_EQ(bookings.status, 200) << bookings.body;
  EXPECT_EQ(Header(bookings, "content-type"), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(Header(bookings, "transfer-encoding"), "chunked");
  const auto lines = CsvRows(bookings.body);
  ASSERT_EQ(lines.size(), order_ids.size() + 1) << bookings.body;
  EXPECT_EQ(lines[0][0], "order_id");
  int64_t net = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    int64_t value = 0;
    ASSERT_TRUE(absl::SimpleAtoi(lines[i][11], &value)) << lines[i][11];
    net += value;
    EXPECT_TRUE(trip_of.contains(lines[i][0]));
  }
  EXPECT_EQ(net, total.gross - total.refunds);
  const HttpResult revenue_csv =
      Get("/v1/reports/export?kind=revenue&group_by=trip&" + Range(), owner_);
  ASSERT_EQ(revenue_csv.status, 200);
  EXPECT_EQ(CsvRows(revenue_csv.body).size(), trips.size() + 1);
  EXPECT_NE(Header(revenue_csv, "content-disposition").find("attachment; filename=\"revenue-"),
            std::string::npos);

  // Bad queries are refused with the field at fault.
  for (const std::string& query :
       std::vector<std::string>{"/v1/reports/revenue?from_date=2026-12-01",
                                "/v1/reports/revenue?from_date=2026-12-01&to_date=2028-06-01",
                                "/v1/reports/revenue?from_date=2026-12-31&to_date=2026-12-01",
                                "/v1/reports/revenue?" + Range() + "&group_by=week",
                                "/v1/reports/revenue?" + Range() + "&currency=taka",
                                "/v1/reports/revenue?" + Range() + "&cursor=%27%20OR%201%3D1",
                                "/v1/reports/occupancy?" + Range() + "&route_id=DHK",
                                "/v1/reports/export?kind=pdf&" + Range()}) {
    const HttpResult refused = Get(query, owner_);
    EXPECT_EQ(refused.status, 400) << query << " " << refused.body;
  }
  // Managers and viewers read reports; an agent or conductor of the organization does not,
  // and another organization's owner sees only its own (empty) books.
  for (const char* role : {"manager", "viewer"}) {
    EXPECT_EQ(Get("/v1/reports/revenue?" + Range(), AddMember(role)).status, 200) << role;
  }
  for (const char* role : {"agent", "conductor"}) {
    EXPECT_EQ(Get("/v1/reports/occupancy?" + Range(), AddMember(role)).status, 403) << role;
  }
  const std::string stranger = SignUp("stranger");
  Created(Send("POST", "/v1/orgs", {{"name", "Other Paribahan"}}, stranger));
  const json theirs = Ok(Get("/v1/reports/revenue?" + Range(), stranger));
  EXPECT_TRUE(theirs["rows"].empty());
  EXPECT_EQ(theirs["totals"]["gross"], 0);
  const HttpResult empty = Get("/v1/reports/export?kind=bookings&" + Range(), stranger);
  EXPECT_EQ(CsvRows(empty.body).size(), 1u) << empty.body;
}

INSTANTIATE_TEST_SUITE_P(Deployments, ReportsE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
