#include "services/reporting/api/proto_conversions.h"

#include "platform/base/status_macros.h"

namespace travio::reporting {
namespace {

struct PageFields {
  std::string org_id;
  DateRange dates;
  std::string after;
  int limit = 0;
};

void PageToProto(const std::string& org_id, const DateRange& dates, const std::string& after,
                 int limit, v1::Page& out) {
  out.set_org_id(org_id);
  out.set_from_date(DayText(dates.from));
  out.set_to_date(DayText(dates.to));
  out.set_after(after);
  out.set_limit(limit);
}

absl::StatusOr<PageFields> PageFromProto(const v1::Page& in) {
  TRAVIO_ASSIGN_OR_RETURN(DateRange dates, ParseDateRange(in.from_date(), in.to_date()));
  return PageFields{
      .org_id = in.org_id(), .dates = dates, .after = in.after(), .limit = in.limit()};
}

v1::Grouping GroupingToProto(Grouping grouping) {
  switch (grouping) {
    case Grouping::kDay:
      return v1::GROUPING_DAY;
    case Grouping::kRoute:
      return v1::GROUPING_ROUTE;
    case Grouping::kTrip:
      return v1::GROUPING_TRIP;
  }
  return v1::GROUPING_DAY;
}

Grouping GroupingFromProto(v1::Grouping grouping) {
  switch (grouping) {
    case v1::GROUPING_ROUTE:
      return Grouping::kRoute;
    case v1::GROUPING_TRIP:
      return Grouping::kTrip;
    default:
      return Grouping::kDay;
  }
}

void RowToProto(const RevenueRow& row, v1::RevenueRow& out) {
  out.set_key(row.key);
  out.set_label(row.label);
  out.set_bookings(row.bookings);
  out.set_seats(row.seats);
  out.set_cancelled_seats(row.cancelled_seats);
  out.set_gross(row.gross);
  out.set_refunds(row.refunds);
}

RevenueRow RowFromProto(const v1::RevenueRow& in) {
  return RevenueRow{.key = in.key(),
                    .label = in.label(),
                    .bookings = in.bookings(),
                    .seats = in.seats(),
                    .cancelled_seats = in.cancelled_seats(),
                    .gross = in.gross(),
                    .refunds = in.refunds()};
}

void RowToProto(const OccupancyRow& row, v1::OccupancyRow& out) {
  out.set_key(row.key);
  out.set_label(row.label);
  out.set_route_id(row.route_id);
  out.set_departure(row.departure);
  out.set_status(row.status);
  out.set_trips(row.trips);
  out.set_capacity(row.capacity);
  out.set_offered(row.offered);
  out.set_sold(row.sold);
  out.set_seats_sold(row.seats_sold);
  out.set_seats_cancelled(row.seats_cancelled);
  out.set_boarded(row.boarded);
  out.set_no_shows(row.no_shows);
}

OccupancyRow RowFromProto(const v1::OccupancyRow& in) {
  return OccupancyRow{.key = in.key(),
                      .label = in.label(),
                      .route_id = in.route_id(),
                      .departure = in.departure(),
                      .status = in.status(),
                      .trips = in.trips(),
                      .capacity = in.capacity(),
                      .offered = in.offered(),
                      .sold = in.sold(),
                      .seats_sold = in.seats_sold(),
                      .seats_cancelled = in.seats_cancelled(),
                      .boarded = in.boarded(),
                      .no_shows = in.no_shows()};
}

}  // namespace

void ToProto(const RevenueQuery& query, v1::RevenueQuery& out) {
  PageToProto(query.org_id, query.dates, query.after, query.limit, *out.mutable_page());
  out.set_grouping(GroupingToProto(query.grouping));
  out.set_currency(query.currency);
  out.set_without_totals(!query.with_totals);
}

absl::StatusOr<RevenueQuery> FromProto(const v1::RevenueQuery& in) {
  TRAVIO_ASSIGN_OR_RETURN(PageFields page, PageFromProto(in.page()));
  return RevenueQuery{.org_id = page.org_id,
                      .dates = page.dates,
                      .grouping = GroupingFromProto(in.grouping()),
                      .currency = in.currency(),
                      .after = page.after,
                      .limit = page.limit,
                      .with_totals = !in.without_totals()};
}

void ToProto(const RevenueReport& report, v1::RevenueReport& out) {
  out.set_currency(report.currency);
  for (const std::string& currency : report.currencies) out.add_currencies(currency);
  for (const RevenueRow& row : report.rows) RowToProto(row, *out.add_rows());
  RowToProto(report.totals, *out.mutable_totals());
  out.set_next_cursor(report.next_cursor);
}

absl::StatusOr<RevenueReport> FromProto(const v1::RevenueReport& in) {
  RevenueReport report{.currency = in.currency(),
                       .currencies = {in.currencies().begin(), in.currencies().end()},
                       .totals = RowFromProto(in.totals()),
                       .next_cursor = in.next_cursor()};
  for (const v1::RevenueRow& row : in.rows()) report.rows.push_back(RowFromProto(row));
  return report;
}

void ToProto(const OccupancyQuery& query, v1::OccupancyQuery& out) {
  PageToProto(query.org_id, query.dates, query.after, query.limit, *out.mutable_page());
  out.set_grouping(GroupingToProto(query.grouping));
  out.set_route_id(query.route_id);
  out.set_without_totals(!query.with_totals);
}

absl::StatusOr<OccupancyQuery> FromProto(const v1::OccupancyQuery& in) {
  TRAVIO_ASSIGN_OR_RETURN(PageFields page, PageFromProto(in.page()));
  return OccupancyQuery{.org_id = page.org_id,
                        .dates = page.dates,
                        .grouping = GroupingFromProto(in.grouping()),
                        .route_id = in.route_id(),
                        .after = page.after,
                        .limit = page.limit,
                        .with_totals = !in.without_totals()};
}

void ToProto(const OccupancyReport& report, v1::OccupancyReport& out) {
  for (const OccupancyRow& row : report.rows) RowToProto(row, *out.add_rows());
  RowToProto(report.totals, *out.mutable_totals());
  out.set_next_cursor(report.next_cursor);
}

absl::StatusOr<OccupancyReport> FromProto(const v1::OccupancyReport& in) {
  OccupancyReport report{.totals = RowFromProto(in.totals()), .next_cursor = in.next_cursor()};
  for (const v1::OccupancyRow& row : in.rows()) report.rows.push_back(RowFromProto(row));
  return report;
}

void ToProto(const BookingsQuery& query, v1::BookingsQuery& out) {
  PageToProto(query.org_id, query.dates, query.after, query.limit, *out.mutable_page());
}

absl::StatusOr<BookingsQuery> FromProto(const v1::BookingsQuery& in) {
  TRAVIO_ASSIGN_OR_RETURN(PageFields page, PageFromProto(in.page()));
  return BookingsQuery{
      .org_id = page.org_id, .dates = page.dates, .after = page.after, .limit = page.limit};
}

void ToProto(const BookingsPage& page, v1::BookingsPage& out) {
  for (const BookingLine& line : page.rows) {
    v1::BookingLine& row = *out.add_rows();
    row.set_order_id(line.order_id);
    row.set_confirmed_at(line.confirmed_at);
    row.set_trip_id(line.trip_id);
    row.set_route_name(line.route_name);
    row.set_departure(line.departure);
    row.set_from(line.from);
    row.set_to(line.to);
    row.set_seats(line.seats);
    row.set_cancelled_seats(line.cancelled_seats);
    row.set_gross(line.gross);
    row.set_refunds(line.refunds);
    row.set_currency(line.currency);
  }
  out.set_next_cursor(page.next_cursor);
}

absl::StatusOr<BookingsPage> FromProto(const v1::BookingsPage& in) {
  BookingsPage page{.next_cursor = in.next_cursor()};
  for (const v1::BookingLine& row : in.rows()) {
    page.rows.push_back(BookingLine{.order_id = row.order_id(),
                                    .confirmed_at = row.confirmed_at(),
                                    .trip_id = row.trip_id(),
                                    .route_name = row.route_name(),
                                    .departure = row.departure(),
                                    .from = row.from(),
                                    .to = row.to(),
                                    .seats = row.seats(),
                                    .cancelled_seats = row.cancelled_seats(),
                                    .gross = row.gross(),
                                    .refunds = row.refunds(),
                                    .currency = row.currency()});
  }
  return page;
}

}  // namespace travio::reporting
