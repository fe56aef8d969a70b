#include "services/reporting/domain/report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/base/errors.h"
#include "services/reporting/domain/csv.h"

namespace travio::reporting {
namespace {

std::optional<absl::CivilDay> ParseDay(std::string_view text) {
  absl::CivilDay day;
  // ParseCivilTime alone also takes "2026-12-1" and years of any width.
  if (text.size() != 10 || !absl::ParseCivilTime(std::string(text), &day) || DayText(day) != text) {
    return std::nullopt;
  }
  return day;
}

absl::Status Invalid(std::string_view field, std::string_view message) {
  return WithFieldErrors(Error(reasons::kValidationFailed, message),
                         {{.field = std::string(field), .message = std::string(message)}});
}

}  // namespace

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::StatusOr<DateRange> ParseDateRange(std::string_view from, std::string_view to) {
  const std::optional<absl::CivilDay> first = ParseDay(from);
  if (!first) return Invalid("from_date", "from_date must be a date such as 2026-12-01.");
  const std::optional<absl::CivilDay> last = ParseDay(to);
  if (!last) return Invalid("to_date", "to_date must be a date such as 2026-12-31.");
  if (*last < *first) return Invalid("to_date", "to_date must not come before from_date.");
  if (*last - *first >= kMaxRangeDays) {
    return Invalid("to_date", absl::StrCat("A report covers at most ", kMaxRangeDays, " days."));
  }
  return DateRange{.from = *first, .to = *last};
}

std::string_view GroupingName(Grouping grouping) {
  switch (grouping) {
    case Grouping::kDay:
      return "day";
    case Grouping::kRoute:
      return "route";
    case Grouping::kTrip:
      return "trip";
  }
  return "day";
}

std::optional<Grouping> ParseGrouping(std::string_view name) {
  for (Grouping grouping : {Grouping::kDay, Grouping::kRoute, Grouping::kTrip}) {
    if (GroupingName(grouping) == name) return grouping;
  }
  return std::nullopt;
}

int LegsBetween(const std::vector<std::string>& stops, std::string_view from, std::string_view to) {
  const auto first = std::find(stops.begin(), stops.end(), from);
  if (first == stops.end()) return 0;
  const auto last = std::find(first + 1, stops.end(), to);
  if (last == stops.end()) return 0;
  return static_cast<int>(last - first);
}

double LoadFactor(int64_t sold, int64_t offered) {
  if (offered <= 0) return 0;
  return std::round(static_cast<double>(sold) * 10000 / static_cast<double>(offered)) / 10000;
}

TripTally Tally(const std::vector<std::string>& stops, const std::vector<BookingOnTrip>& bookings) {
  TripTally tally;
  for (const BookingOnTrip& booking : bookings) {
    const int64_t cancelled = std::clamp<int64_t>(booking.cancelled_seats, 0, booking.seats);
    CurrencySales& sales = tally.sales[booking.currency];
    sales.bookings += 1;
    sales.seats += booking.seats;
    sales.cancelled_seats += cancelled;
    sales.gross += booking.gross;
    sales.refunds += booking.refunds;
    tally.seats_sold += booking.seats;
    tally.seats_cancelled += cancelled;
    tally.seat_legs_sold +=
        (booking.seats - cancelled) * LegsBetween(stops, booking.from, booking.to);
  }
  return tally;
}

bool IsWellFormedCursor(std::string_view cursor) {
  return cursor.size() <= 200 && std::all_of(cursor.begin(), cursor.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                  std::string_view("-:._|+").find(c) != std::string_view::npos;
         });
}

std::string_view ExportKindName(ExportKind kind) {
  switch (kind) {
    case ExportKind::kRevenue:
      return "revenue";
    case ExportKind::kOccupancy:
      return "occupancy";
    case ExportKind::kBookings:
      return "bookings";
  }
  return "revenue";
}

std::optional<ExportKind> ParseExportKind(std::string_view name) {
  for (ExportKind kind : {ExportKind::kRevenue, ExportKind::kOccupancy, ExportKind::kBookings}) {
    if (ExportKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string RevenueCsvHeader() {
  return CsvRecord({std::string("key"), std::string("label"), std::string("currency"),
                    std::string("bookings"), std::string("seats"), std::string("cancelled_seats"),
                    std::string("gross"), std::string("refunds"), std::string("net")});
}

std::string RevenueCsv(const RevenueRow& row, std::string_view currency) {
  return CsvRecord({row.key, row.label, std::string(currency), row.bookings, row.seats,
                    row.cancelled_seats, row.gross, row.refunds, row.net()});
}

std::string OccupancyCsvHeader() {
  return CsvRecord({std::string("key"), std::string("label"), std::string("departure"),
                    std::string("status"), std::string("trips"), std::string("capacity"),
                    std::string("seat_legs_offered"), std::string("seat_legs_sold"),
                    std::string("seats_sold"), std::string("seats_cancelled"),
                    std::string("boarded"), std::string("no_shows"), std::string("load_factor")});
}

std::string OccupancyCsv(const OccupancyRow& row) {
  // The load factor as text: four decimals, never a spreadsheet's rounding of a double.
  return CsvRecord({row.key, row.label, row.departure, row.status, row.trips, row.capacity,
                    row.offered, row.sold, row.seats_sold, row.seats_cancelled, row.boarded,
                    row.no_shows, absl::StrFormat("%.4f", row.load_factor())});
}

std::string BookingsCsvHeader() {
  return CsvRecord({std::string("order_id"), std::string("confirmed_at"), std::string("trip_id"),
                    std::string("route"), std::string("departure"), std::string("from"),
                    std::string("to"), std::string("seats"), std::string("cancelled_seats"),
                    std::string("gross"), std::string("refunds"), std::string("net"),
                    std::string("currency")});
}

std::string BookingsCsv(const BookingLine& line) {
  return CsvRecord({line.order_id, line.confirmed_at, line.trip_id, line.route_name, line.departure,
                    line.from, line.to, line.seats, line.cancelled_seats, line.gross, line.refunds,
                    line.gross - line.refunds, line.currency});
}

}  // namespace travio::reporting
