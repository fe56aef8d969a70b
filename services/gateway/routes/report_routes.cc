#include "services/gateway/routes/report_routes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/http/json.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;
using reporting::Grouping;

// Rows one page of the JSON reports holds unless ?limit= says otherwise; exports read pages of
// the largest size.
constexpr int kDefaultRows = 500;

// What every report's query names: its dates, grouping and page.
struct ReportParams {
  reporting::DateRange dates;
  Grouping grouping = Grouping::kDay;
  std::string currency;
  std::string route_id;
  int limit = kDefaultRows;
  std::string cursor;
};

absl::StatusOr<ReportParams> ParamsOf(const http::Request& request, Grouping default_grouping) {
  ReportParams params;
  auto dates = reporting::ParseDateRange(request.Query("from_date").value_or(""),
                                         request.Query("to_date").value_or(""));
  if (!dates.ok()) return dates.status();
  params.dates = *dates;
  std::vector<FieldError> errors;
  params.grouping = default_grouping;
  if (auto group = request.Query("group_by")) {
    const std::optional<Grouping> grouping = reporting::ParseGrouping(*group);
    if (!grouping) {
      errors.push_back({.field = "group_by", .message = "must be day, route or trip"});
    } else {
      params.grouping = *grouping;
    }
  }
  params.currency = request.Query("currency").value_or("");
  if (!params.currency.empty() &&
      (params.currency.size() != 3 ||
       !std::all_of(params.currency.begin(), params.currency.end(), absl::ascii_isupper))) {
    errors.push_back({.field = "currency", .message = "must be an ISO 4217 code such as BDT"});
  }
  params.route_id = request.Query("route_id").value_or("");
  if (!params.route_id.empty() && !IsUuid(params.route_id)) {
    errors.push_back({.field = "route_id", .message = "must be a route id"});
  }
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."), errors);
  }
  auto page = PageOf(request);
  if (!page.ok()) return page.status();
  params.cursor = page->cursor;
  auto limit = LimitOf(request, kDefaultRows);
  if (!limit.ok()) return limit.status();
  params.limit = *limit;
  return params;
}

json RevenueRowJson(const reporting::RevenueRow& row) {
  return {{"key", row.key},
          {"label", row.label},
          {"bookings", row.bookings},
          {"seats", row.seats},
          {"cancelled_seats", row.cancelled_seats},
          {"gross", row.gross},
          {"refunds", row.refunds},
          {"net", row.net()}};
}

json OccupancyRowJson(const reporting::OccupancyRow& row, Grouping grouping) {
  json out = {{"capacity", row.capacity},
              {"offered", row.offered},
              {"sold", row.sold},
              {"seats_sold", row.seats_sold},
              {"seats_cancelled", row.seats_cancelled},
              {"boarded", row.boarded},
              {"no_shows", row.no_shows},
              {"load_factor", row.load_factor()}};
  if (grouping == Grouping::kTrip && row.key != "total") {
    out["trip_id"] = row.key;
    out["route_id"] = row.route_id;
    out["route_name"] = row.label;
    out["departure"] = row.departure;
    out["status"] = row.status;
  } else {
    out["key"] = row.key;
    out["label"] = row.label;
    out["trips"] = row.trips;
  }
  return out;
}

json CursorJson(const std::string& cursor) { return cursor.empty() ? json(nullptr) : json(cursor); }

reporting::RevenueQuery RevenueQueryOf(const std::string& org, const ReportParams& params) {
  return {.org_id = org,
          .dates = params.dates,
          .grouping = params.grouping,
          .currency = params.currency,
          .after = params.cursor,
          .limit = params.limit};
}

reporting::OccupancyQuery OccupancyQueryOf(const std::string& org, const ReportParams& params) {
  return {.org_id = org,
          .dates = params.dates,
          .grouping = params.grouping,
          .route_id = params.route_id,
          .after = params.cursor,
          .limit = params.limit};
}

class ReportRoutes {
 public:
  ReportRoutes(std::shared_ptr<reporting::ReportingClient> reports,
               std::shared_ptr<ExportPump> exports)
      : reports_(std::move(reports)), exports_(std::move(exports)) {}

  http::Response Revenue(http::Request& request, const Caller& caller) {
    auto params = ParamsOf(request, Grouping::kDay);
    if (!params.ok()) return Fail(params.status());
    auto report = reports_->Revenue(RevenueQueryOf(caller.membership->org_id, *params));
    if (!report.ok()) return Fail(report.status());
    json rows = json::array();
    for (const reporting::RevenueRow& row : report->rows) rows.push_back(RevenueRowJson(row));
    return http::Json(
        200, {{"currency", report->currency.empty() ? json(nullptr) : json(report->currency)},
              {"currencies", report->currencies},
              {"group_by", reporting::GroupingName(params->grouping)},
              {"from_date", reporting::DayText(params->dates.from)},
              {"to_date", reporting::DayText(params->dates.to)},
              {"rows", std::move(rows)},
              {"totals", RevenueRowJson(report->totals)},
              {"next_cursor", CursorJson(report->next_cursor)}});
  }

  http::Response Occupancy(http::Request& request, const Caller& caller) {
    auto params = ParamsOf(request, Grouping::kTrip);
    if (!params.ok()) return Fail(params.status());
    auto report = reports_->Occupancy(OccupancyQueryOf(caller.membership->org_id, *params));
    if (!report.ok()) return Fail(report.status());
    json rows = json::array();
    for (const reporting::OccupancyRow& row : report->rows) {
      rows.push_back(OccupancyRowJson(row, params->grouping));
    }
    json totals = OccupancyRowJson(report->totals, Grouping::kDay);
    return http::Json(200, {{"group_by", reporting::GroupingName(params->grouping)},
                            {"from_date", reporting::DayText(params->dates.from)},
                            {"to_date", reporting::DayText(params->dates.to)},
                            {"rows", std::move(rows)},
                            {"totals", std::move(totals)},
                            {"next_cursor", CursorJson(report->next_cursor)}});
  }

  http::Response Export(http::Request& request, const Caller& caller) {
    const std::optional<reporting::ExportKind> kind =
        reporting::ParseExportKind(request.Query("kind").value_or(""));
    if (!kind) {
      return Fail(WithFieldErrors(
          Error(reasons::kValidationFailed, "The query is invalid."),
          {{.field = "kind", .message = "must be revenue, occupancy or bookings"}}));
    }
    auto params = ParamsOf(
        request, *kind == reporting::ExportKind::kRevenue ? Grouping::kDay : Grouping::kTrip);
    if (!params.ok()) return Fail(params.status());
    params->limit = reporting::kMaxPageRows;
    // A place is taken before the first page is read: one that cannot run costs no query.
    auto stream = exports_->Start(caller.membership->org_id, HeaderOf(*kind), params->cursor,
                                  PagesOf(*kind, caller.membership->org_id, *params));
    if (!stream.ok()) return Fail(stream.status());
    http::Response response;
    response.SetHeader("Content-Type", "text/csv; charset=utf-8; header=present");
    response.SetHeader(
        "Content-Disposition",
        absl::StrCat("attachment; filename=\"", std::string(reporting::ExportKindName(*kind)), "-",
                     reporting::DayText(params->dates.from), "-",
                     reporting::DayText(params->dates.to), ".csv\""));
    response.stream = *std::move(stream);
    response.chunked = true;
    return response;
  }

 private:
  static std::string HeaderOf(reporting::ExportKind kind) {
    switch (kind) {
      case reporting::ExportKind::kRevenue:
        return reporting::RevenueCsvHeader();
      case reporting::ExportKind::kOccupancy:
        return reporting::OccupancyCsvHeader();
      case reporting::ExportKind::kBookings:
        return reporting::BookingsCsvHeader();
    }
    return "";
  }

  // The export's pages as CSV text, read from the reporting service a page at a time.
  ExportPump::PageSource PagesOf(reporting::ExportKind kind, const std::string& org,
                                 const ReportParams& params) const {
    auto reports = reports_;
    switch (kind) {
      case reporting::ExportKind::kRevenue:
        return [reports, org, params](const std::string& cursor,
                                      bool first) -> absl::StatusOr<ExportPump::Page> {
          ReportParams page = params;
          page.cursor = cursor;
          reporting::RevenueQuery query = RevenueQueryOf(org, page);
          query.with_totals = first;  // an export writes rows; only its first page is checked
          auto report = reports->Revenue(query);
          if (!report.ok()) return report.status();
          ExportPump::Page out{.next_cursor = report->next_cursor};
          for (const reporting::RevenueRow& row : report->rows) {
            out.text += reporting::RevenueCsv(row, report->currency);
          }
          return out;
        };
      case reporting::ExportKind::kOccupancy:
        return [reports, org, params](const std::string& cursor,
                                      bool first) -> absl::StatusOr<ExportPump::Page> {
          ReportParams page = params;
          page.cursor = cursor;
          reporting::OccupancyQuery query = OccupancyQueryOf(org, page);
          query.with_totals = first;
          auto report = reports->Occupancy(query);
          if (!report.ok()) return report.status();
          ExportPump::Page out{.next_cursor = report->next_cursor};
          for (const reporting::OccupancyRow& row : report->rows) {
            out.text += reporting::OccupancyCsv(row);
          }
          return out;
        };
      case reporting::ExportKind::kBookings:
        break;
    }
    return [reports, org, params](const std::string& cursor,
                                  bool) -> absl::StatusOr<ExportPump::Page> {
      auto page = reports->Bookings(
          {.org_id = org, .dates = params.dates, .after = cursor, .limit = params.limit});
      if (!page.ok()) return page.status();
      ExportPump::Page out{.next_cursor = page->next_cursor};
      for (const reporting::BookingLine& line : page->rows)
        out.text += reporting::BookingsCsv(line);
      return out;
    };
  }

  std::shared_ptr<reporting::ReportingClient> reports_;
  std::shared_ptr<ExportPump> exports_;
};

}  // namespace

absl::Status AddReportRoutes(SecureRoutes& routes,
                             std::shared_ptr<reporting::ReportingClient> reports,
                             std::shared_ptr<ExportPump> exports) {
  auto handlers = std::make_shared<ReportRoutes>(std::move(reports), std::move(exports));
  auto bind = [&handlers](http::Response (ReportRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const json integer = {{"type", "integer"}};
  const json text = {{"type", "string"}};
  const json revenue_row = ObjectSchema(
      {{"key", text},
       {"label", text},
       {"bookings", integer},
       {"seats", integer},
       {"cancelled_seats", integer},
       {"gross", integer},
       {"refunds", integer},
       {"net", integer}},
      {"key", "label", "bookings", "seats", "cancelled_seats", "gross", "refunds", "net"});
  const json occupancy_row = {{"type", "object"},
                              {"properties",
                               {{"trip_id", text},
                                {"route_id", text},
                                {"route_name", text},
                                {"departure", {{"type", "string"}, {"format", "date-time"}}},
                                {"status", text},
                                {"key", text},
                                {"label", text},
                                {"trips", integer},
                                {"capacity", integer},
                                {"offered", integer},
                                {"sold", integer},
                                {"seats_sold", integer},
                                {"seats_cancelled", integer},
                                {"boarded", integer},
                                {"no_shows", integer},
                                {"load_factor", {{"type", "number"}, {"minimum", 0}}}}},
                              {"required",
                               {"capacity", "offered", "sold", "seats_sold", "seats_cancelled",
                                "boarded", "no_shows", "load_factor"}}};
  const json day = {{"type", "string"}, {"format", "date"}};
  const json cursor = {{"type", {"string", "null"}}};
  const RoutePolicy managers = OrgPolicy(Permission::kReportsRead);
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/reports/revenue",
       .policy = managers,
       .handler = bind(&ReportRoutes::Revenue),
       .doc = {.summary =
                   "Revenue of the trips departing from_date..to_date (service days in the "
                   "departure stop's time zone, at most 400), grouped by day, route or trip: "
                   "bookings, seats, gross, refunds and net in minor units of one currency "
                   "(?currency=, else the one most bookings were paid in; `currencies` lists "
                   "them all). Totals cover the whole range; rows page by ?limit= and ?cursor=",
               .tag = "reports",
               .success_status = 200,
               .response = ObjectSchema({{"currency", {{"type", {"string", "null"}}}},
                                         {"currencies", {{"type", "array"}, {"items", text}}},
                                         {"group_by", text},
                                         {"from_date", day},
                                         {"to_date", day},
                                         {"rows", {{"type", "array"}, {"items", revenue_row}}},
                                         {"totals", revenue_row},
                                         {"next_cursor", cursor}},
                                        {"currency", "currencies", "group_by", "from_date",
                                         "to_date", "rows", "totals", "next_cursor"}),
               .errors = {400}},
       // Each report aggregates up to a year: limited like orders, not like reads.
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/reports/occupancy",
       .policy = managers,
       .handler = bind(&ReportRoutes::Occupancy),
       .doc = {.summary = "Occupancy of the trips departing from_date..to_date (optionally of one "
                          "route_id), per trip (default), route or day: seats for sale, seat-legs "
                          "offered and sold (a seat sold for part of the way counts the legs it "
                          "covers), seats sold and cancelled, tickets boarded, no-shows (of a "
                          "departed trip, seats kept that never boarded) and the load factor "
                          "sold/offered",
               .tag = "reports",
               .success_status = 200,
               .response = ObjectSchema(
                   {{"group_by", text},
                    {"from_date", day},
                    {"to_date", day},
                    {"rows", {{"type", "array"}, {"items", occupancy_row}}},
                    {"totals", occupancy_row},
                    {"next_cursor", cursor}},
                   {"group_by", "from_date", "to_date", "rows", "totals", "next_cursor"}),
               .errors = {400}},
       // Each report aggregates up to a year: limited like orders, not like reads.
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/reports/export",
       .policy = managers,
       .handler = bind(&ReportRoutes::Export),
       .doc = {.summary =
                   "A CSV download (RFC 4180, a header row) of the revenue, occupancy or "
                   "bookings report for from_date..to_date, written as the client reads it; "
                   "its body is chunked, so a download cut short by a failure lacks its end. "
                   "Text cells starting with = + - @ are prefixed with ' so spreadsheets never "
                   "run them; 429 too_many_streams while the organization's (or the gateway's) "
                   "exports are all running",
               .tag = "reports",
               .success_status = 200,
               .response = {{"type", "string"}, {"contentMediaType", "text/csv"}},
               .errors = {400, 429}},
       .traffic = TrafficClass::kOrders},
  };
  for (const RouteSpec& spec : table) {
    if (auto status = routes.Add(spec); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace travio::gateway
