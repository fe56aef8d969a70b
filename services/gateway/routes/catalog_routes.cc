#include "services/gateway/routes/catalog_routes.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "platform/zip/zip_archive.h"
#include "services/catalog/api/catalog_json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using catalog::CatalogClient;
using identity::Permission;
using nlohmann::json;

// Reads `fares` ([{from,to,amount,currency,category?}]) into the body's errors.
std::vector<catalog::Fare> ReadFares(JsonBody& body) {
  const json fares = body.Raw("fares", /*required=*/true);
  std::vector<catalog::Fare> out;
  if (fares.is_null()) return out;
  if (!fares.is_array() || fares.size() > 500) {
    body.AddError("fares", "must be a list of at most 500 fares");
    return out;
  }
  for (size_t i = 0; i < fares.size(); ++i) {
    const json& item = fares[i];
    const std::string path = absl::StrCat("fares[", i, "]");
    if (!item.is_object()) {
      body.AddError(path, "must be an object");
      continue;
    }
    catalog::Fare fare;
    bool valid = true;
    for (const auto& [key, value] : item.items()) {
      if (key != "from" && key != "to" && key != "amount" && key != "currency" &&
          key != "category") {
        body.AddError(absl::StrCat(path, ".", key.substr(0, 64)), "is not a known field");
        valid = false;
      }
    }
    auto text = [&](const char* name, std::string& into, bool required) {
      const auto it = item.find(name);
      if (it == item.end() || it->is_null()) {
        if (required) {
          body.AddError(absl::StrCat(path, ".", name), "is required");
          valid = false;
        }
        return;
      }
      if (!it->is_string() || it->get<std::string>().size() > 64) {
        body.AddError(absl::StrCat(path, ".", name), "must be a string of at most 64 bytes");
        valid = false;
        return;
      }
      into = it->get<std::string>();
    };
    text("from", fare.from, true);
    text("to", fare.to, true);
    text("currency", fare.currency, true);
    text("category", fare.category, false);
    const auto amount = item.find("amount");
    if (amount == item.end() || !amount->is_number_integer()) {
      body.AddError(path + ".amount", "must be an integer amount in minor units");
      valid = false;
    } else {
      fare.amount = amount->get<int64_t>();
    }
    if (valid) out.push_back(std::move(fare));
  }
  return out;
}

std::vector<catalog::RouteStop> ReadStops(JsonBody& body) {
  const json stops = body.Raw("stops", /*required=*/true);
  std::vector<catalog::RouteStop> out;
  if (stops.is_null()) return out;
  // Up to 100 here; the route's own rule (2 to 30) answers 422 invalid_route.
  if (!stops.is_array() || stops.size() > 100) {
    body.AddError("stops", "must be a list of 2 to 30 stops");
    return out;
  }
  for (size_t i = 0; i < stops.size(); ++i) {
    const json& item = stops[i];
    const std::string path = absl::StrCat("stops[", i, "]");
    if (!item.is_object()) {
      body.AddError(path, "must be an object");
      continue;
    }
    catalog::RouteStop stop;
    for (const auto& [key, value] : item.items()) {
      if (key != "station" && key != "arrive_offset_min" && key != "depart_offset_min" &&
          key != "boarding" && key != "dropping") {
        body.AddError(absl::StrCat(path, ".", key.substr(0, 64)), "is not a known field");
      }
    }
    const auto station = item.find("station");
    if (station == item.end() || !station->is_string() || station->get<std::string>().size() > 16) {
      body.AddError(path + ".station", "must be a station code");
    } else {
      stop.station = station->get<std::string>();
    }
    auto minutes = [&](const char* name, int& into) {
      const auto it = item.find(name);
      if (it == item.end() || !it->is_number_integer() || it->get<int64_t>() < 0 ||
          it->get<int64_t>() > 100'000) {
        body.AddError(absl::StrCat(path, ".", name), "must be a whole number of minutes");
        return;
      }
      into = static_cast<int>(it->get<int64_t>());
    };
    minutes("arrive_offset_min", stop.arrive_offset_min);
    minutes("depart_offset_min", stop.depart_offset_min);
    auto flag = [&](const char* name, bool& into) {
      const auto it = item.find(name);
      if (it == item.end() || it->is_null()) return;  // default true
      if (!it->is_boolean()) {
        body.AddError(absl::StrCat(path, ".", name), "must be true or false");
        return;
      }
      into = it->get<bool>();
    };
    flag("boarding", stop.boarding);
    flag("dropping", stop.dropping);
    out.push_back(std::move(stop));
  }
  return out;
}

class CatalogRoutes {
 public:
  CatalogRoutes(std::shared_ptr<CatalogClient> catalog, const http::ReasonStatuses& statuses)
      : catalog_(std::move(catalog)), statuses_(statuses) {}

  http::Response Fail(const absl::Status& status) const {
    return http::ProblemFromStatus(status, statuses_);
  }
  static const std::string& OrgOf(const Caller& caller) { return caller.membership->org_id; }

  http::Response Stations(http::Request& request, const Caller&) {
    auto limit = LimitOf(request);
    if (!limit.ok()) return Fail(limit.status());
    const std::string query = request.Query("q").value_or("");
    if (query.size() > 64 || !IsPrintableUtf8(query)) {
      return Fail(WithFieldErrors(
          Error(absl::StatusCode::kInvalidArgument, "validation_failed", "The query is invalid."),
          {{"q", "must be up to 64 bytes of printable UTF-8"}}));
    }
    auto stations = catalog_->ListStations(query, *limit);
    if (!stations.ok()) return Fail(stations.status());
    json items = json::array();
    for (const catalog::Station& station : *stations)
      items.push_back(catalog::StationJson(station));
    return http::Json(200, {{"items", items}, {"next_cursor", nullptr}});
  }

  http::Response CreateStation(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    catalog::Station station{.code = body->Required("code", 16),
                             .name = body->Required("name", 200),
                             .city = body->Required("city", 200),
                             .lat = body->Number("lat", -90, 90),
                             .lon = body->Number("lon", -180, 180),
                             .timezone = body->Required("timezone", 64)};
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto created = catalog_->CreateStation(OrgOf(caller), station);
    if (!created.ok()) return Fail(created.status());
    return http::Json(201, catalog::StationJson(*created));
  }

  http::Response CreateRoute(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    catalog::Route route{.name = body->Required("name", 200), .stops = ReadStops(*body)};
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto created = catalog_->CreateRoute(OrgOf(caller), route);
    if (!created.ok()) return Fail(created.status());
    return http::Json(201, catalog::RouteJson(*created));
  }

  http::Response ListRoutes(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    auto routes = catalog_->ListRoutes(OrgOf(caller), *page);
    if (!routes.ok()) return Fail(routes.status());
    return http::Json(200, PageJson(*routes, catalog::RouteJson));
  }

  http::Response GetRoute(http::Request& request, const Caller& caller) {
    auto route = catalog_->GetRoute(OrgOf(caller), request.PathParam("route_id"));
    if (!route.ok()) return Fail(route.status());
    return http::Json(200, catalog::RouteJson(*route));
  }

  http::Response CreateTrip(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    catalog::TripDraft draft{.route_id = body->Required("route_id", 64),
                             .bus_id = body->Required("bus_id", 64),
                             .departure = body->Required("departure", 64),
                             .fares = ReadFares(*body),
                             .status = body->Optional("status", 32)};
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto trip = catalog_->CreateTrip(OrgOf(caller), draft);
    if (!trip.ok()) return Fail(trip.status());
    return http::Json(201, catalog::TripJson(*trip));
  }

  http::Response ListTrips(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    catalog::TripFilter filter;
    std::vector<FieldError> errors;
    auto date = [&](const char* name, std::optional<LocalDate>& into) {
      if (auto text = request.Query(name)) {
        auto parsed = ParseLocalDate(*text);
        if (!parsed.ok()) {
          errors.push_back({name, "must be a date (2026-12-20)"});
        } else {
          into = *parsed;
        }
      }
    };
    date("from_date", filter.from_date);
    date("to_date", filter.to_date);
    filter.route_id = request.Query("route_id").value_or("");
    if (!filter.route_id.empty() && !IsUuid(filter.route_id)) {
      errors.push_back({"route_id", "must be a route id"});
    }
    if (auto status = request.Query("status")) {
      filter.status = catalog::ParseTripStatus(*status);
      if (!filter.status) errors.push_back({"status", "is not a trip status"});
    }
    if (!errors.empty()) {
      return Fail(WithFieldErrors(
          Error(absl::StatusCode::kInvalidArgument, "validation_failed", "The query is invalid."),
          errors));
    }
    auto trips = catalog_->ListTrips(OrgOf(caller), filter, *page);
    if (!trips.ok()) return Fail(trips.status());
    return http::Json(200, PageJson(*trips, catalog::TripJson));
  }

  http::Response GetTrip(http::Request& request, const Caller& caller) {
    return TripOrProblem(catalog_->GetTrip(OrgOf(caller), request.PathParam("trip_id")));
  }

  http::Response Publish(http::Request& request, const Caller& caller) {
    if (auto status = EmptyBody(request); !status.ok()) return Fail(status);
    return TripOrProblem(catalog_->PublishTrip(OrgOf(caller), request.PathParam("trip_id")));
  }

  http::Response Cancel(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request, /*may_be_empty=*/true);
    if (!body.ok()) return Fail(body.status());
    const std::string reason = body->Optional("reason", 500);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    return TripOrProblem(catalog_->CancelTrip(OrgOf(caller), request.PathParam("trip_id"), reason));
  }

  http::Response Patch(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const int64_t delay = body->Int("delay_minutes", 0, 1440);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    return TripOrProblem(
        catalog_->DelayTrip(OrgOf(caller), request.PathParam("trip_id"), static_cast<int>(delay)));
  }

  http::Response Advance(http::Request& request, const Caller& caller, catalog::TripStatus to) {
    if (auto status = EmptyBody(request); !status.ok()) return Fail(status);
    return TripOrProblem(catalog_->AdvanceTrip(OrgOf(caller), request.PathParam("trip_id"), to));
  }

  http::Response MoveBus(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string bus_id = body->Required("bus_id", 64);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto move = catalog_->MoveTrip(OrgOf(caller), request.PathParam("trip_id"), bus_id);
    if (!move.ok()) return Fail(move.status());
    return http::Json(
        200, {{"trip", catalog::TripJson(move->trip)}, {"missing_seats", move->missing_seats}});
  }

  http::Response CreateSchedule(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    catalog::ScheduleDraft draft;
    draft.route_id = body->Required("route_id", 64);
    draft.bus_id = body->Required("bus_id", 64);
    draft.departure_time = body->Required("departure_time", 8);
    const json days = body->Raw("days", /*required=*/true);
    if (days.is_string() && days.get<std::string>() == "daily") {
      draft.days = {"daily"};
    } else if (days.is_array() && days.size() <= 7 &&
               std::all_of(days.begin(), days.end(), [](const json& d) { return d.is_string(); })) {
      for (const json& day : days) draft.days.push_back(day.get<std::string>());
    } else if (!days.is_null()) {
      body->AddError("days", "\"daily\" or a list of mon, tue, wed, thu, fri, sat, sun");
    }
    draft.start_date = body->Required("start_date", 16);
    draft.end_date = body->Required("end_date", 16);
    draft.except_dates = body->Strings("except_dates", 366, 16);
    draft.fares = ReadFares(*body);
    draft.publish = body->Bool("publish", true);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto schedule = catalog_->CreateSchedule(OrgOf(caller), draft);
    if (!schedule.ok()) return Fail(schedule.status());
    return http::Json(201, catalog::ScheduleJson(*schedule));
  }

  http::Response Gtfs(http::Request& request, const Caller& caller) {
    const std::string host = request.Header("host").value_or("localhost");
    auto files =
        catalog_->ExportGtfs(OrgOf(caller), caller.membership->org_name, "http://" + host + "/");
    if (!files.ok()) return Fail(files.status());
    auto archive = zip::ZipFiles(*files);
    if (!archive.ok()) return Fail(archive.status());
    http::Response response = http::Response::Text(200, *std::move(archive), "application/zip");
    response.SetHeader("Content-Disposition", "attachment; filename=\"gtfs.zip\"");
    return response;
  }

  http::Response Generate(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string until = body->Required("until", 16);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto result = catalog_->GenerateTrips(OrgOf(caller), request.PathParam("schedule_id"), until);
    if (!result.ok()) return Fail(result.status());
    return http::Json(200, {{"created", result->created}, {"existing", result->existing}});
  }

 private:
  static absl::Status EmptyBody(const http::Request& request) {
    auto body = JsonBody::Parse(request, /*may_be_empty=*/true);
    if (!body.ok()) return body.status();
    return body->Finish();
  }
  http::Response TripOrProblem(const absl::StatusOr<catalog::Trip>& trip) const {
    if (!trip.ok()) return Fail(trip.status());
    return http::Json(200, catalog::TripJson(*trip));
  }

  std::shared_ptr<CatalogClient> catalog_;
  const http::ReasonStatuses& statuses_;
};

}  // namespace

absl::Status AddCatalogRoutes(SecureRoutes& routes, std::shared_ptr<CatalogClient> catalog,
                              const http::ReasonStatuses& statuses) {
  auto handlers = std::make_shared<CatalogRoutes>(std::move(catalog), statuses);
  auto bind = [&handlers](http::Response (CatalogRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  auto advance = [handlers](catalog::TripStatus to) {
    return [handlers, to](http::Request& request, const Caller& caller) {
      return handlers->Advance(request, caller, to);
    };
  };
  const RoutePolicy manage = OrgPolicy(Permission::kCatalogManage);
  const RoutePolicy read = OrgPolicy(Permission::kCatalogRead);
  auto text = TextSchema;
  auto object = ObjectSchema;
  auto list_of = ListSchema;
  const json fares = {{"type", "array"}, {"items", SchemaRef("Fare")}, {"maxItems", 500}};
  const json date = {{"type", "string"}, {"format", "date"}};
  const json number = {{"type", "number"}};

  const std::vector<RouteSpec> table = {
      {"GET",
       "/v1/stations",
       RoutePolicy{.access = Access::kPublic},
       bind(&CatalogRoutes::Stations),
       {"Stations whose code, name or city starts with q",
        "catalog",
        nullptr,
        200,
        list_of("Station"),
        {}}},
      {"POST",
       "/v1/catalog/stations",
       manage,
       bind(&CatalogRoutes::CreateStation),
       {"Add a station (shared by every operator)",
        "catalog",
        object({{"code", text(5)},
                {"name", text(120)},
                {"city", text(120)},
                {"lat", number},
                {"lon", number},
                {"timezone", text(64)}},
               {"code", "name", "city", "lat", "lon", "timezone"}),
        201,
        SchemaRef("Station"),
        {409}}},
      {"POST",
       "/v1/catalog/routes",
       manage,
       bind(&CatalogRoutes::CreateRoute),
       {"Create a route of ordered stops",
        "catalog",
        object({{"name", text(200)},
                {"stops", {{"type", "array"}, {"items", SchemaRef("RouteStop")}}}},
               {"name", "stops"}),
        201,
        SchemaRef("Route"),
        {422}}},
      {"GET",
       "/v1/catalog/routes",
       read,
       bind(&CatalogRoutes::ListRoutes),
       {"The organization's routes", "catalog", nullptr, 200, list_of("Route"), {}, true}},
      {"GET",
       "/v1/catalog/routes/{route_id}",
       read,
       bind(&CatalogRoutes::GetRoute),
       {"One route", "catalog", nullptr, 200, SchemaRef("Route"), {}}},
      {"POST",
       "/v1/catalog/trips",
       manage,
       bind(&CatalogRoutes::CreateTrip),
       {"Create a trip (draft or published) on a route and bus",
        "catalog",
        object({{"route_id", text(64)},
                {"bus_id", text(64)},
                {"departure", text(64)},
                {"fares", fares},
                {"status", {{"type", "string"}, {"enum", {"draft", "published"}}}}},
               {"route_id", "bus_id", "departure", "fares"}),
        201,
        SchemaRef("Trip"),
        {403, 422}}},
      {"GET",
       "/v1/catalog/trips",
       read,
       bind(&CatalogRoutes::ListTrips),
       {"The organization's trips by departure (filters: from_date, to_date, route_id, status)",
        "catalog",
        nullptr,
        200,
        list_of("Trip"),
        {},
        true}},
      {"GET",
       "/v1/catalog/trips/{trip_id}",
       read,
       bind(&CatalogRoutes::GetTrip),
       {"One trip", "catalog", nullptr, 200, SchemaRef("Trip"), {}}},
      {"POST",
       "/v1/catalog/trips/{trip_id}/publish",
       manage,
       bind(&CatalogRoutes::Publish),
       {"Put a draft trip on sale", "catalog", nullptr, 200, SchemaRef("Trip"), {409}}},
      {"POST",
       "/v1/catalog/trips/{trip_id}/cancel",
       manage,
       bind(&CatalogRoutes::Cancel),
       {"Cancel a trip",
        "catalog",
        object({{"reason", text(500)}}, {}),
        200,
        SchemaRef("Trip"),
        {409}}},
      {"PATCH",
       "/v1/catalog/trips/{trip_id}",
       manage,
       bind(&CatalogRoutes::Patch),
       {"Announce a delay (0 takes it back)",
        "catalog",
        object({{"delay_minutes", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1440}}}},
               {"delay_minutes"}),
        200,
        SchemaRef("Trip"),
        {409}}},
      {"POST",
       "/v1/catalog/trips/{trip_id}/board",
       manage,
       advance(catalog::TripStatus::kBoarding),
       {"Start boarding", "catalog", nullptr, 200, SchemaRef("Trip"), {409}}},
      {"POST",
       "/v1/catalog/trips/{trip_id}/depart",
       manage,
       advance(catalog::TripStatus::kDeparted),
       {"Mark the trip departed", "catalog", nullptr, 200, SchemaRef("Trip"), {409}}},
      {"POST",
       "/v1/catalog/trips/{trip_id}/complete",
       manage,
       advance(catalog::TripStatus::kCompleted),
       {"Mark the trip completed", "catalog", nullptr, 200, SchemaRef("Trip"), {409}}},
      {"POST",
       "/v1/catalog/trips/{trip_id}/move-bus",
       manage,
       bind(&CatalogRoutes::MoveBus),
       {"Put the trip on another bus; lists the seats the new layout lacks",
        "catalog",
        object({{"bus_id", text(64)}}, {"bus_id"}),
        200,
        json{{"type", "object"},
             {"properties",
              {{"trip", SchemaRef("Trip")},
               {"missing_seats", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
        {409, 422}}},
      {"POST",
       "/v1/catalog/schedules",
       manage,
       bind(&CatalogRoutes::CreateSchedule),
       {"Create a schedule (weekdays, date range, exception dates, fares)",
        "catalog",
        object({{"route_id", text(64)},
                {"bus_id", text(64)},
                {"departure_time", text(5)},
                {"days",
                 {{"oneOf",
                   {{{"type", "string"}, {"const", "daily"}},
                    {{"type", "array"}, {"items", text(3)}}}}}},
                {"start_date", date},
                {"end_date", date},
                {"except_dates", {{"type", "array"}, {"items", date}}},
                {"fares", fares},
                {"publish", {{"type", "boolean"}}}},
               {"route_id", "bus_id", "departure_time", "days", "start_date", "end_date", "fares"}),
        201,
        SchemaRef("Schedule"),
        {422}}},
      {"POST",
       "/v1/catalog/schedules/{schedule_id}/generate",
       manage,
       bind(&CatalogRoutes::Generate),
       {"Create the schedule's missing trips up to a date; running it twice creates nothing new",
        "catalog",
        object({{"until", date}}, {"until"}),
        200,
        json{{"type", "object"},
             {"properties",
              {{"created", {{"type", "integer"}}}, {"existing", {{"type", "integer"}}}}}},
        {403}}},
      {"GET",
       "/v1/catalog/gtfs.zip",
       read,
       bind(&CatalogRoutes::Gtfs),
       {"The network on sale as a GTFS static feed (application/zip)",
        "catalog",
        nullptr,
        200,
        nullptr,
        {}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
