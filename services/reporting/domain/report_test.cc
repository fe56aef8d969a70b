#include "services/reporting/domain/report.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "services/reporting/domain/csv.h"

namespace travio::reporting {
namespace {

TEST(CsvTest, QuotesOnlyWhatRfc4180Requires) {
  EXPECT_EQ(CsvRecord({std::string("Dhaka"), int64_t{42}}), "Dhaka,42\r\n");
  EXPECT_EQ(CsvRecord({std::string("Dhaka, Gabtoli"), std::string("say \"hi\"")}),
            "\"Dhaka, Gabtoli\",\"say \"\"hi\"\"\"\r\n");
  EXPECT_EQ(CsvRecord({std::string("two\nlines"), std::string("cr\r")}),
            "\"two\nlines\",\"cr\r\"\r\n");
  EXPECT_EQ(CsvRecord({std::string()}), "\r\n");
}

TEST(CsvTest, TextThatASpreadsheetWouldRunIsDefused) {
  for (const char* formula : {"=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx"}) {
    const std::string cell = CsvText(formula);
    EXPECT_EQ(cell.find('\''), cell[0] == '"' ? 1u : 0u) << formula;
  }
  EXPECT_EQ(CsvText("=1,2"), "\"'=1,2\"");
  // The report's own numbers keep their sign.
  EXPECT_EQ(CsvRecord({int64_t{-150}, std::string("-150")}), "-150,'-150\r\n");
}

TEST(DateRangeTest, TakesCalendarDatesInOrderWithinTheLimit) {
  auto range = ParseDateRange("2026-12-01", "2026-12-31");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->from, absl::CivilDay(2026, 12, 1));
  EXPECT_EQ(range->to, absl::CivilDay(2026, 12, 31));
  EXPECT_TRUE(ParseDateRange("2026-12-01", "2026-12-01").ok());
  EXPECT_TRUE(ParseDateRange("2026-01-01", "2027-02-04").ok());  // 400 days
  for (auto [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"2026-12-1", "2026-12-31"},
                                                        {"2026-02-30", "2026-03-01"},
                                                        {"", "2026-12-31"},
                                                        {"2026-12-31", "2026-12-01"},
                                                        {"2026-01-01", "2027-02-05"},
                                                        {"12/01/2026", "2026-12-31"},
                                                        {"2026-12-01", "2026-12-31T00:00"}}) {
    const auto bad = ParseDateRange(from, to);
    EXPECT_TRUE(IsReason(bad.status(), reasons::kValidationFailed)) << from << " " << to;
    EXPECT_EQ(FieldErrorsOf(bad.status()).size(), 1u);
  }
}

TEST(SeatLegsTest, AJourneyCoversTheLegsBetweenItsStops) {
  const std::vector<std::string> stops = {"DHK", "CML", "CTG", "CXB"};
  EXPECT_EQ(LegsBetween(stops, "DHK", "CXB"), 3);
  EXPECT_EQ(LegsBetween(stops, "CML", "CTG"), 1);
  EXPECT_EQ(LegsBetween(stops, "CTG", "CML"), 0);
  EXPECT_EQ(LegsBetween(stops, "DHK", "DHK"), 0);
  EXPECT_EQ(LegsBetween(stops, "SYL", "CXB"), 0);
}

TEST(SeatLegsTest, LoadFactorIsSoldOverOffered) {
  EXPECT_EQ(LoadFactor(0, 0), 0);
  EXPECT_EQ(LoadFactor(30, 120), 0.25);
  EXPECT_EQ(LoadFactor(1, 3), 0.3333);
  EXPECT_EQ(LoadFactor(2, 3), 0.6667);
  OccupancyRow row{.offered = 40 * 3, .sold = 40 * 3};
  EXPECT_EQ(row.load_factor(), 1.0);
}

TEST(SeatLegsTest, ATripTallyAddsItsBookingsPerCurrencyAndCapsCancellations) {
  const std::vector<std::string> stops = {"DHK", "CML", "CTG", "CXB"};
  const TripTally tally =
      Tally(stops, {{.from = "DHK", .to = "CXB", .seats = 2, .gross = 300000, .currency = "BDT"},
                    {.from = "CML",
                     .to = "CTG",
                     .seats = 3,
                     .cancelled_seats = 1,
                     .gross = 270000,
                     .refunds = 60000,
                     .currency = "BDT"},
                    {.from = "DHK",
                     .to = "CTG",
                     .seats = 1,
                     .cancelled_seats = 4,  // a claim beyond the booking counts as all of it
                     .gross = 1000,
                     .refunds = 1000,
                     .currency = "USD"},
                    {.from = "CXB", .to = "DHK", .seats = 1, .gross = 5, .currency = "USD"}});
  EXPECT_EQ(tally.seats_sold, 7);
  EXPECT_EQ(tally.seats_cancelled, 2);
  EXPECT_EQ(tally.seat_legs_sold, 2 * 3 + 2 * 1);  // no legs for a journey the trip lacks
  EXPECT_EQ(
      tally.sales.at("BDT"),
      (CurrencySales{
          .bookings = 2, .seats = 5, .cancelled_seats = 1, .gross = 570000, .refunds = 60000}));
  EXPECT_EQ(tally.sales.at("USD").cancelled_seats, 1);
  EXPECT_EQ(Tally(stops, {}), TripTally{});
}

TEST(CursorTest, OnlyWhatAPageHandsOutIsACursor) {
  EXPECT_TRUE(IsWellFormedCursor(""));
  EXPECT_TRUE(IsWellFormedCursor("2026-12-20T16:30:00Z|0190a2c4-1b2c-7def-8000-000000000001"));
  EXPECT_TRUE(IsWellFormedCursor("1765000000000000|0190a2c4-1b2c-7def-8000-000000000001"));
  EXPECT_FALSE(IsWellFormedCursor("x' OR '1'='1"));
  EXPECT_FALSE(IsWellFormedCursor(std::string(201, 'a')));
}

TEST(ExportTest, RowsMatchTheirHeader) {
  const RevenueRow revenue{.key = "2026-12-20",
                           .label = "=cmd",
                           .bookings = 2,
                           .seats = 3,
                           .cancelled_seats = 1,
                           .gross = 300000,
                           .refunds = 75000};
  EXPECT_EQ(RevenueCsv(revenue, "BDT"), "2026-12-20,'=cmd,BDT,2,3,1,300000,75000,225000\r\n");
  EXPECT_EQ(RevenueCsvHeader(),
            "key,label,currency,bookings,seats,cancelled_seats,gross,refunds,net\r\n");
  const OccupancyRow trip{.key = "t1",
                          .label = "Dhaka - Cox's Bazar",
                          .departure = "2026-12-20T22:30:00+06:00",
                          .status = "published",
                          .trips = 1,
                          .capacity = 40,
                          .offered = 120,
                          .sold = 40,
                          .seats_sold = 15,
                          .seats_cancelled = 2,
                          .boarded = 11,
                          .no_shows = 2};
  EXPECT_EQ(OccupancyCsv(trip),
            "t1,Dhaka - Cox's "
            "Bazar,2026-12-20T22:30:00+06:00,published,1,40,120,40,15,2,11,2,0.3333\r\n");
  EXPECT_EQ(BookingsCsvHeader(),
            "order_id,confirmed_at,trip_id,route,departure,from,to,seats,cancelled_seats,gross,"
            "refunds,net,currency\r\n");
}

}  // namespace
}  // namespace travio::reporting
