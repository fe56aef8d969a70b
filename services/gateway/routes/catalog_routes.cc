#include "services/gateway/routes/catalog_routes.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "platform/zip/zip_archive.h"
#include "services/catalog/api/catalog_json.h"
#include "services/gateway/routes/catalog_views.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using catalog::CatalogClient;
using identity::Permission;
using nlohmann::json;

class CatalogRoutes {
 public:
  CatalogRoutes(std::shared_ptr<CatalogClient> catalog) : catalog_(std::move(catalog)) {}

  static const std::string& OrgOf(const Caller& caller) { return caller.membership->org_id; }

  http::Response Stations(http::Request& request, const Caller&) {
    auto limit = LimitOf(request);
    if (!limit.ok()) return Fail(limit.status());
    const std::string query = request.Query("q").value_or("");
    if (query.size() > 64 || !IsPrintableUtf8(query)) {
      return Fail(WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."),
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
    filter.schedule_id = request.Query("schedule_id").value_or("");
    if (!filter.schedule_id.empty() && !IsUuid(filter.schedule_id)) {
      errors.push_back({"schedule_id", "must be a schedule id"});
    }
    if (auto status = request.Query("status")) {
      filter.status = catalog::ParseTripStatus(*status);
      if (!filter.status) errors.push_back({"status", "is not a trip status"});
    }
    if (!errors.empty()) {
      return Fail(
          WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."), errors));
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

  // The schedule members of a body: all of them on create; on change, those present (`given`).
  static catalog::ScheduleDraft ReadSchedule(JsonBody& body, bool create,
                                             std::set<std::string>& given) {
    catalog::ScheduleDraft draft;
    auto want = [&](const char* name) {
      if (!create && !body.Has(name)) return false;
      given.insert(name);
      return true;
    };
    if (create) draft.route_id = body.Required("route_id", 64);
    if (want("bus_id")) draft.bus_id = body.Required("bus_id", 64);
    if (want("departure_time")) draft.departure_time = body.Required("departure_time", 8);
    if (want("days")) {
      const json days = body.Raw("days", /*required=*/true);
      if (days.is_string() && days.get<std::string>() == "daily") {
        draft.days = {"daily"};
      } else if (days.is_array() && days.size() <= 7 &&
                 std::all_of(days.begin(), days.end(),
                             [](const json& d) { return d.is_string(); })) {
        for (const json& day : days) draft.days.push_back(day.get<std::string>());
      } else if (!days.is_null()) {
        body.AddError("days", "\"daily\" or a list of mon, tue, wed, thu, fri, sat, sun");
      }
    }
    if (want("start_date")) draft.start_date = body.Required("start_date", 16);
    if (want("end_date")) draft.end_date = body.Required("end_date", 16);
    // On a change, null is no value: it must not quietly empty the dates or publish trips.
    auto not_null = [&](const char* name, const char* message) {
      if (create || !body.Raw(name, /*required=*/false).is_null()) return true;
      body.AddError(name, message);
      return false;
    };
    if ((create || body.Has("except_dates")) &&
        not_null("except_dates", "must be a list of dates")) {
      given.insert("except_dates");
      draft.except_dates = body.Strings("except_dates", 366, 16);
    }
    if (want("fares")) draft.fares = ReadFares(body);
    if ((create || body.Has("publish")) && not_null("publish", "must be true or false")) {
      given.insert("publish");
      draft.publish = body.Bool("publish", true);
    }
    return draft;
  }

  http::Response CreateSchedule(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    std::set<std::string> given;
    catalog::ScheduleDraft draft = ReadSchedule(*body, /*create=*/true, given);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto schedule = catalog_->CreateSchedule(OrgOf(caller), draft);
    if (!schedule.ok()) return Fail(schedule.status());
    return http::Json(201, catalog::ScheduleJson(*schedule));
  }

  http::Response ListSchedules(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    const std::string route_id = request.Query("route_id").value_or("");
    if (!route_id.empty() && !IsUuid(route_id)) {
      return Fail(WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."),
                                  {{"route_id", "must be a route id"}}));
    }
    auto schedules = catalog_->ListSchedules(OrgOf(caller), route_id, *page);
    if (!schedules.ok()) return Fail(schedules.status());
    return http::Json(200, PageJson(*schedules, catalog::ScheduleJson));
  }

  http::Response GetSchedule(http::Request& request, const Caller& caller) {
    auto schedule = catalog_->GetSchedule(OrgOf(caller), request.PathParam("schedule_id"));
    if (!schedule.ok()) return Fail(schedule.status());
    return http::Json(200, catalog::ScheduleJson(*schedule));
  }

  http::Response UpdateSchedule(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    catalog::SchedulePatch patch;
    patch.values = ReadSchedule(*body, /*create=*/false, patch.fields);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto schedule =
        catalog_->UpdateSchedule(OrgOf(caller), request.PathParam("schedule_id"), patch);
    if (!schedule.ok()) return Fail(schedule.status());
    return http::Json(200, catalog::ScheduleJson(*schedule));
  }

  http::Response EndSchedule(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    catalog::ScheduleEnd end{.last_date = body->Required("last_date", 16),
                             .cancel_later_trips = body->Bool("cancel_later_trips", false),
                             .reason = body->Optional("reason", 500),
                             .dry_run = body->Bool("dry_run", false)};
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto ending = catalog_->EndSchedule(OrgOf(caller), request.PathParam("schedule_id"), end);
    if (!ending.ok()) return Fail(ending.status());
    return http::Json(200, {{"schedule", catalog::ScheduleJson(ending->schedule)},
                            {"cancelled", ending->cancelled},
                            {"kept", ending->kept},
                            {"remaining", ending->remaining}});
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
    return http::Json(200, {{"created", result->created},
                            {"existing", result->existing},
                            {"remaining", result->remaining}});
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
};

}  // namespace

absl::Status AddCatalogRoutes(SecureRoutes& routes, std::shared_ptr<CatalogClient> catalog) {
  auto handlers = std::make_shared<CatalogRoutes>(std::move(catalog));
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
      {.method = "GET",
       .pattern = "/v1/stations",
       .policy = RoutePolicy{.access = Access::kPublic},
       .handler = bind(&CatalogRoutes::Stations),
       .doc = {.summary = "Stations whose code, name or city starts with q",
               .tag = "catalog",
               .success_status = 200,
               .response = list_of("Station")}},
      {.method = "POST",
       .pattern = "/v1/catalog/stations",
       .policy = manage,
       .handler = bind(&CatalogRoutes::CreateStation),
       .doc = {.summary = "Add a station (shared by every operator)",
               .tag = "catalog",
               .request = object({{"code", text(5)},
                                  {"name", text(120)},
                                  {"city", text(120)},
                                  {"lat", number},
                                  {"lon", number},
                                  {"timezone", text(64)}},
                                 {"code", "name", "city", "lat", "lon", "timezone"}),
               .success_status = 201,
               .response = SchemaRef("Station"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/catalog/routes",
       .policy = manage,
       .handler = bind(&CatalogRoutes::CreateRoute),
       .doc = {.summary = "Create a route of ordered stops",
               .tag = "catalog",
               .request =
                   object({{"name", text(200)},
                           {"stops", {{"type", "array"}, {"items", SchemaRef("RouteStop")}}}},
                          {"name", "stops"}),
               .success_status = 201,
               .response = SchemaRef("Route"),
               .errors = {422}}},
      {.method = "GET",
       .pattern = "/v1/catalog/routes",
       .policy = read,
       .handler = bind(&CatalogRoutes::ListRoutes),
       .doc = {.summary = "The organization's routes",
               .tag = "catalog",
               .success_status = 200,
               .response = list_of("Route"),
               .paginated = true}},
      {.method = "GET",
       .pattern = "/v1/catalog/routes/{route_id}",
       .policy = read,
       .handler = bind(&CatalogRoutes::GetRoute),
       .doc = {.summary = "One route",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Route")}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips",
       .policy = manage,
       .handler = bind(&CatalogRoutes::CreateTrip),
       .doc = {.summary = "Create a trip (draft or published) on a route and bus",
               .tag = "catalog",
               .request =
                   object({{"route_id", text(64)},
                           {"bus_id", text(64)},
                           {"departure", text(64)},
                           {"fares", fares},
                           {"status", {{"type", "string"}, {"enum", {"draft", "published"}}}}},
                          {"route_id", "bus_id", "departure", "fares"}),
               .success_status = 201,
               .response = SchemaRef("Trip"),
               .errors = {403, 422}}},
      {.method = "GET",
       .pattern = "/v1/catalog/trips",
       .policy = read,
       .handler = bind(&CatalogRoutes::ListTrips),
       .doc = {.summary = "The organization's trips by departure (filters: from_date, to_date, "
                          "route_id, schedule_id, status)",
               .tag = "catalog",
               .success_status = 200,
               .response = list_of("Trip"),
               .paginated = true}},
      {.method = "GET",
       .pattern = "/v1/catalog/trips/{trip_id}",
       .policy = read,
       .handler = bind(&CatalogRoutes::GetTrip),
       .doc = {.summary = "One trip",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Trip")}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips/{trip_id}/publish",
       .policy = manage,
       .handler = bind(&CatalogRoutes::Publish),
       .doc = {.summary = "Put a draft trip on sale",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Trip"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips/{trip_id}/cancel",
       .policy = manage,
       .handler = bind(&CatalogRoutes::Cancel),
       .doc = {.summary = "Cancel a trip",
               .tag = "catalog",
               .request = object({{"reason", text(500)}}, {}),
               .success_status = 200,
               .response = SchemaRef("Trip"),
               .errors = {409}}},
      {.method = "PATCH",
       .pattern = "/v1/catalog/trips/{trip_id}",
       .policy = manage,
       .handler = bind(&CatalogRoutes::Patch),
       .doc = {.summary = "Announce a delay (0 takes it back)",
               .tag = "catalog",
               .request = object(
                   {{"delay_minutes", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1440}}}},
                   {"delay_minutes"}),
               .success_status = 200,
               .response = SchemaRef("Trip"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips/{trip_id}/board",
       .policy = manage,
       .handler = advance(catalog::TripStatus::kBoarding),
       .doc = {.summary = "Start boarding",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Trip"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips/{trip_id}/depart",
       .policy = manage,
       .handler = advance(catalog::TripStatus::kDeparted),
       .doc = {.summary = "Mark the trip departed",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Trip"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips/{trip_id}/complete",
       .policy = manage,
       .handler = advance(catalog::TripStatus::kCompleted),
       .doc = {.summary = "Mark the trip completed",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Trip"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/catalog/trips/{trip_id}/move-bus",
       .policy = manage,
       .handler = bind(&CatalogRoutes::MoveBus),
       .doc = {.summary = "Put the trip on another bus; lists the seats the new layout lacks",
               .tag = "catalog",
               .request = object({{"bus_id", text(64)}}, {"bus_id"}),
               .success_status = 200,
               .response = json{{"type", "object"},
                                {"properties",
                                 {{"trip", SchemaRef("Trip")},
                                  {"missing_seats",
                                   {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
               .errors = {409, 422}}},
      {.method = "POST",
       .pattern = "/v1/catalog/schedules",
       .policy = manage,
       .handler = bind(&CatalogRoutes::CreateSchedule),
       .doc = {.summary = "Create a schedule (weekdays, date range, exception dates, fares)",
               .tag = "catalog",
               .request = object({{"route_id", text(64)},
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
                                 {"route_id", "bus_id", "departure_time", "days", "start_date",
                                  "end_date", "fares"}),
               .success_status = 201,
               .response = SchemaRef("Schedule"),
               .errors = {422}}},
      {.method = "GET",
       .pattern = "/v1/catalog/schedules",
       .policy = read,
       .handler = bind(&CatalogRoutes::ListSchedules),
       .doc = {.summary = "The organization's schedules, oldest first (filter: route_id)",
               .tag = "catalog",
               .success_status = 200,
               .response = list_of("Schedule"),
               .paginated = true}},
      {.method = "GET",
       .pattern = "/v1/catalog/schedules/{schedule_id}",
       .policy = read,
       .handler = bind(&CatalogRoutes::GetSchedule),
       .doc = {.summary = "One schedule",
               .tag = "catalog",
               .success_status = 200,
               .response = SchemaRef("Schedule"),
               .errors = {404}}},
      {.method = "PATCH",
       .pattern = "/v1/catalog/schedules/{schedule_id}",
       .policy = manage,
       .handler = bind(&CatalogRoutes::UpdateSchedule),
       .doc = {.summary = "Change a schedule: the members given replace its own (not its route). "
                          "Trips generated from then on follow the change; trips already "
                          "generated keep their bus, time and fares",
               .tag = "catalog",
               .request = object({{"bus_id", text(64)},
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
                                 {}),
               .success_status = 200,
               .response = SchemaRef("Schedule"),
               .errors = {404, 409, 422}}},
      {.method = "POST",
       .pattern = "/v1/catalog/schedules/{schedule_id}/end",
       .policy = manage,
       .handler = bind(&CatalogRoutes::EndSchedule),
       .doc = {.summary = "End a schedule: no trip after last_date (on or after its first day). "
                          "Trips it already generated after that date stay on sale, or with "
                          "cancel_later_trips are cancelled (their travellers refunded in full "
                          "and told), at most 100 a call and for at most catalog.longest_call "
                          "or half its caller's deadline (at least one): `remaining` counts those "
                          "left for the next calls; trips boarding or on the road are never "
                          "cancelled. dry_run changes nothing and counts every trip the calls "
                          "would cancel",
               .tag = "catalog",
               .request = object({{"last_date", date},
                                  {"cancel_later_trips", {{"type", "boolean"}}},
                                  {"reason", text(500)},
                                  {"dry_run", {{"type", "boolean"}}}},
                                 {"last_date"}),
               .success_status = 200,
               .response = json{{"type", "object"},
                                {"properties",
                                 {{"schedule", SchemaRef("Schedule")},
                                  {"cancelled", {{"type", "integer"}}},
                                  {"kept", {{"type", "integer"}}},
                                  {"remaining", {{"type", "integer"}}}}}},
               .errors = {404, 409, 422}}},
      {.method = "POST",
       .pattern = "/v1/catalog/schedules/{schedule_id}/generate",
       .policy = manage,
       .handler = bind(&CatalogRoutes::Generate),
       .doc = {.summary =
                   "Create the schedule's missing trips up to a date; running it twice "
                   "creates nothing new. A call makes at least one trip, then answers after "
                   "catalog.longest_call or half its caller's deadline: `remaining` counts the "
                   "dates still without a trip, for the next calls. A plan limit or a change of "
                   "the schedule meanwhile stops it with an error carrying `created`",
               .tag = "catalog",
               .request = object({{"until", date}}, {"until"}),
               .success_status = 200,
               .response = json{{"type", "object"},
                                {"properties",
                                 {{"created", {{"type", "integer"}}},
                                  {"existing", {{"type", "integer"}}},
                                  {"remaining", {{"type", "integer"}}}}}},
               .errors = {403}}},
      {.method = "GET",
       .pattern = "/v1/catalog/gtfs.zip",
       .policy = read,
       .handler = bind(&CatalogRoutes::Gtfs),
       .doc = {.summary = "The network on sale as a GTFS static feed (application/zip)",
               .tag = "catalog",
               .success_status = 200}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
