#pragma once

// What the reports say: revenue grouped by the trips' service day, route or trip; occupancy in
// seat-legs per trip, route or day; and the rows of the CSV exports. Every amount is in minor
// units and every ratio is derived from integers, so a report's totals add up exactly.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace travio::reporting {

/// The longest range one report covers: a year and a little, so a calendar year with its
/// edges fits.
inline constexpr int kMaxRangeDays = 400;
/// Rows one page of a report holds at most.
inline constexpr int kMaxPageRows = 1000;

/// Service days, both inclusive: the trips departing on them, by the calendar of the stop they
/// depart from (the operator's time zone).
struct DateRange {
  absl::CivilDay from;
  absl::CivilDay to;
};

/// The range `from`..`to` ("2026-12-01"), or kInvalidArgument `validation_failed` naming the
/// field at fault (a malformed date, `to` before `from`, longer than kMaxRangeDays).
absl::StatusOr<DateRange> ParseDateRange(std::string_view from, std::string_view to);

/// "2026-12-01".
std::string DayText(absl::CivilDay day);

enum class Grouping { kDay, kRoute, kTrip };
std::string_view GroupingName(Grouping grouping);
std::optional<Grouping> ParseGrouping(std::string_view name);

/// A trip's stops in order, by station code: the number of legs a journey from `from` to `to`
/// covers, or 0 when either is not a stop of the trip or `to` does not come after `from`.
int LegsBetween(const std::vector<std::string>& stops, std::string_view from, std::string_view to);

/// `sold` over `offered`, rounded to four decimals (0 when nothing was offered).
double LoadFactor(int64_t sold, int64_t offered);

/// One booking on a trip, as its events left it.
struct BookingOnTrip {
  std::string from;
  std::string to;
  int64_t seats = 0;
  int64_t cancelled_seats = 0;  // as the cancellations claim; never counted above `seats`
  int64_t gross = 0;
  int64_t refunds = 0;
  std::string currency;
};

/// A trip's sales in one currency.
struct CurrencySales {
  int64_t bookings = 0;
  int64_t seats = 0;
  int64_t cancelled_seats = 0;
  int64_t gross = 0;
  int64_t refunds = 0;
  bool operator==(const CurrencySales&) const = default;
};

/// What a trip sold, from its bookings.
struct TripTally {
  std::map<std::string, CurrencySales> sales;  // by currency
  int64_t seats_sold = 0;
  int64_t seats_cancelled = 0;
  int64_t seat_legs_sold = 0;  // kept seats times the legs of their journeys
  bool operator==(const TripTally&) const = default;
};

/// The tally of `bookings` on a trip stopping at `stops` (in order). A trip's tally is always
/// computed whole from its bookings, so it is the same whatever order their events came in.
TripTally Tally(const std::vector<std::string>& stops, const std::vector<BookingOnTrip>& bookings);

/// Whether `cursor` could be one a report handed out (keys and instants: letters, digits and
/// -:._|, at most 200 characters). Cursors are read back only as bound parameters; this keeps
/// nonsense out of the queries' plans and the logs.
bool IsWellFormedCursor(std::string_view cursor);

/// Revenue of the bookings on trips of one group, in one currency. A booking counts once, on
/// its trip's service day, with the refunds of every cancellation of its seats since.
struct RevenueRow {
  std::string key;    // the day ("2026-12-20"), route id or trip id
  std::string label;  // the route's name, or the trip's route and departure; the day itself
  int64_t bookings = 0;
  int64_t seats = 0;            // seats booked
  int64_t cancelled_seats = 0;  // of those, given back since
  int64_t gross = 0;            // what the bookings were paid
  int64_t refunds = 0;          // what their cancellations refunded
  int64_t net() const { return gross - refunds; }
  bool operator==(const RevenueRow&) const = default;
};

struct RevenueQuery {
  std::string org_id;
  DateRange dates;
  Grouping grouping = Grouping::kDay;
  std::string currency;  // empty: the currency most of the range's bookings were paid in
  std::string after;     // a page's next_cursor
  int limit = kMaxPageRows;
  // false: the pages of an export after the first need no totals, nor the list of currencies
  // when their cursor names theirs.
  bool with_totals = true;
};

struct RevenueReport {
  std::string currency;
  std::vector<std::string> currencies;  // every currency the range's bookings were paid in
  std::vector<RevenueRow> rows;
  RevenueRow totals;  // over the whole range, not just this page (zeros without with_totals)
  std::string next_cursor;
  bool operator==(const RevenueReport&) const = default;
};

/// A trip's occupancy, or (grouped by route or day) that of its trips together. Seat-legs: a
/// seat sold from the first stop to the last counts once per leg; one sold for part of the
/// way counts the legs it covers, so a seat resold on the next legs counts again.
struct OccupancyRow {
  std::string key;  // trip id, route id or day
  std::string label;
  // A trip's own fields (grouped by trip):
  std::string route_id;
  std::string departure;  // RFC 3339 in the departure stop's zone
  std::string status;     // the trip's last status (published, cancelled, departed, ...)
  int64_t trips = 0;
  int64_t capacity = 0;  // seats offered for sale (summed over a group's trips)
  int64_t offered = 0;   // seat-legs offered: seats for sale x legs, 0 for a cancelled trip
  int64_t sold = 0;      // seat-legs sold and not cancelled
  int64_t seats_sold = 0;
  int64_t seats_cancelled = 0;
  int64_t boarded = 0;   // tickets scanned at boarding
  int64_t no_shows = 0;  // of a departed trip, seats booked and kept that never boarded
  double load_factor() const { return LoadFactor(sold, offered); }
  bool operator==(const OccupancyRow&) const = default;
};

struct OccupancyQuery {
  std::string org_id;
  DateRange dates;
  Grouping grouping = Grouping::kTrip;
  std::string route_id;  // empty: every route
  std::string after;
  int limit = kMaxPageRows;
  bool with_totals = true;
};

struct OccupancyReport {
  std::vector<OccupancyRow> rows;
  OccupancyRow totals;
  std::string next_cursor;
  bool operator==(const OccupancyReport&) const = default;
};

/// One booking as the bookings export lists it.
struct BookingLine {
  std::string order_id;
  std::string confirmed_at;  // RFC 3339, UTC
  std::string trip_id;
  std::string route_name;
  std::string departure;
  std::string from;
  std::string to;
  int64_t seats = 0;
  int64_t cancelled_seats = 0;
  int64_t gross = 0;
  int64_t refunds = 0;
  std::string currency;
  bool operator==(const BookingLine&) const = default;
};

struct BookingsQuery {
  std::string org_id;
  DateRange dates;
  std::string after;
  int limit = kMaxPageRows;
};

struct BookingsPage {
  std::vector<BookingLine> rows;
  std::string next_cursor;
};

enum class ExportKind { kRevenue, kOccupancy, kBookings };
std::string_view ExportKindName(ExportKind kind);
std::optional<ExportKind> ParseExportKind(std::string_view name);

/// The CSV header and rows of each export (RFC 4180 records, CRLF-ended).
std::string RevenueCsvHeader();
std::string RevenueCsv(const RevenueRow& row, std::string_view currency);
std::string OccupancyCsvHeader();
std::string OccupancyCsv(const OccupancyRow& row);
std::string BookingsCsvHeader();
std::string BookingsCsv(const BookingLine& line);

}  // namespace travio::reporting
