#include "services/gateway/routes/search_routes.h"

#include "absl/strings/numbers.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using nlohmann::json;

// "HH:MM" as minutes after midnight.
std::optional<int> ClockMinutes(const std::string& text) {
  int hours = 0;
  int minutes = 0;
  if (text.size() != 5 || text[2] != ':' || !absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes) || hours < 0 || hours > 23 || minutes < 0 ||
      minutes > 59) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

// YYYY-MM-DD exactly: the parser alone also reads "+2026-1-5", "2026-1-5  " and the like,
// which name the same day in spellings search would not recognise.
bool IsDate(const std::string& text) {
  absl::CivilDay day;
  return text.size() == 10 && absl::ParseCivilTime(text, &day) &&
         absl::FormatCivilTime(day) == text;
}

json StationJson(const search::StationEntry& station) {
  return {{"code", station.code}, {"name", station.name}, {"city", station.city}};
}

// The search a request asks for; what is wrong with it goes to `errors`.
search::SearchQuery QueryOf(const http::Request& request, std::vector<FieldError>& errors) {
  search::SearchQuery query;
  auto code = [&](const char* name, std::string& into) {
    into = request.Query(name).value_or("");
    if (!IsStationCode(into)) errors.push_back({name, "must be a station code"});
  };
  code("from", query.from);
  code("to", query.to);
  query.date = request.Query("date").value_or("");
  if (!IsDate(query.date)) errors.push_back({"date", "must be a date (2026-12-20)"});
  auto integer = [&](const char* name, int64_t low, int64_t high) -> std::optional<int64_t> {
    const auto text = request.Query(name);
    if (!text) return std::nullopt;
    int64_t value = 0;
    if (!absl::SimpleAtoi(*text, &value) || value < low || value > high) {
      errors.push_back({name, absl::StrCat("must be a whole number from ", low, " to ", high)});
      return std::nullopt;
    }
    return value;
  };
  query.passengers = static_cast<int>(integer("passengers", 1, 20).value_or(1));
  query.limit = static_cast<int>(integer("limit", 1, 200).value_or(50));
  if (auto price = integer("max_price", 0, 1'000'000'000'000)) query.max_price = *price;
  const std::string sort = request.Query("sort").value_or("departure");
  if (sort == "departure") {
    query.sort = search::SortBy::kDeparture;
  } else if (sort == "price") {
    query.sort = search::SortBy::kPrice;
  } else if (sort == "duration") {
    query.sort = search::SortBy::kDuration;
  } else {
    errors.push_back({"sort", "must be departure, price or duration"});
  }
  if (auto ac = request.Query("ac")) {
    if (*ac == "true" || *ac == "false") {
      query.ac = *ac == "true";
    } else {
      errors.push_back({"ac", "must be true or false"});
    }
  }
  query.bus_class = request.Query("class").value_or("");
  if (query.bus_class.size() > 32 || !IsPrintableUtf8(query.bus_class)) {
    errors.push_back({"class", "must be up to 32 bytes of printable text"});
  }
  query.operator_id = request.Query("operator").value_or("");
  if (!query.operator_id.empty() && !IsUuid(query.operator_id)) {
    errors.push_back({"operator", "must be an operator id"});
  }
  auto clock = [&](const char* name, std::optional<int>& into) {
    if (auto text = request.Query(name)) {
      into = ClockMinutes(*text);
      if (!into) errors.push_back({name, "must be a time of day (HH:MM)"});
    }
  };
  clock("depart_after", query.depart_after_min);
  clock("depart_before", query.depart_before_min);
  query.cursor = request.Query("cursor").value_or("");
  return query;
}

class SearchRoutes {
 public:
  SearchRoutes(std::shared_ptr<search::SearchClient> search) : search_(std::move(search)) {}

  http::Response Trips(http::Request& request, const Caller&) {
    std::vector<FieldError> errors;
    const search::SearchQuery query = QueryOf(request, errors);
    if (!errors.empty()) {
      return Fail(
          WithFieldErrors(Error(reasons::kValidationFailed, "The search is invalid."), errors));
    }
    // Run at once (AnswersAtOnce), memory alone answers, or the workers do.
    auto results = request.at_once ? search_->SearchFromMemory(query) : search_->Search(query);
    if (request.at_once && IsReason(results.status(), reasons::kWouldWait)) {
      return http::Response::OnWorkers();
    }
    if (!results.ok()) return Fail(results.status());
    json items = json::array();
    for (const search::TripResult& result : results->items) {
      const search::SearchHit& hit = result.hit;
      items.push_back(
          {{"trip_id", hit.trip_id},
           {"operator", {{"id", hit.org_id}, {"name", result.operator_name}}},
           {"from", {{"code", result.from.code}, {"name", result.from.name}}},
           {"to", {{"code", result.to.code}, {"name", result.to.name}}},
           {"departure", hit.departure},
           {"arrival", hit.arrival},
           {"duration_min", hit.duration_min},
           {"fare", {{"amount", hit.fare_amount}, {"currency", hit.fare_currency}}},
           {"seats_available", hit.seats_available},
           {"bus", {{"class", hit.bus_class}, {"ac", hit.ac}, {"amenities", hit.amenities}}}});
    }
    return http::Json(
        200, {{"items", items},
              {"next_cursor",
               results->next_cursor.empty() ? json(nullptr) : json(results->next_cursor)}});
  }

  // A search memory alone answers (or one refused for its input) waits on nothing.
  bool AnswersAtOnce(const http::Request& request) const {
    std::vector<FieldError> errors;
    const search::SearchQuery query = QueryOf(request, errors);
    return !errors.empty() || search_->AnswersFromMemory(query);
  }

  http::Response Stations(http::Request& request, const Caller&) {
    const std::string query = request.Query("q").value_or("");
    std::vector<FieldError> errors;
    if (query.empty() || query.size() > 64 || !IsPrintableUtf8(query)) {
      errors.push_back({"q", "must be 1 to 64 bytes of printable text"});
    }
    int64_t limit = 10;
    if (auto text = request.Query("limit");
        text && (!absl::SimpleAtoi(*text, &limit) || limit < 1 || limit > 50)) {
      errors.push_back({"limit", "must be a whole number from 1 to 50"});
    }
    if (!errors.empty()) {
      return Fail(
          WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."), errors));
    }
    auto stations = search_->FindStations(query, static_cast<int>(limit));
    if (!stations.ok()) return Fail(stations.status());
    json items = json::array();
    for (const search::StationEntry& station : *stations) items.push_back(StationJson(station));
    return http::Json(200, {{"items", items}});
  }

 private:
  std::shared_ptr<search::SearchClient> search_;
};

}  // namespace

absl::Status AddSearchRoutes(SecureRoutes& routes, std::shared_ptr<search::SearchClient> search) {
  auto handlers = std::make_shared<SearchRoutes>(std::move(search));
  const RoutePolicy open{.access = Access::kPublic};
  const json station = {{"type", "object"},
                        {"properties", {{"code", TextSchema(16)}, {"name", TextSchema(200)}}}};
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/search",
       .policy = open,
       .handler = Bind(handlers, &SearchRoutes::Trips),
       .doc = {.summary = "Trips from a station to another on a date (?from=&to=&date=, "
                          "passengers, sort, ac, "
                          "class, operator, depart_after, depart_before, max_price, limit, "
                          "cursor); trips that "
                          "stop at both in that order match",
               .tag = "search",
               .success_status = 200,
               .response = {{"type", "object"},
                            {"properties",
                             {{"items",
                               {{"type", "array"},
                                {"items",
                                 {{"type", "object"},
                                  {"properties",
                                   {{"trip_id", TextSchema(36)},
                                    {"operator", {{"type", "object"}}},
                                    {"from", station},
                                    {"to", station},
                                    {"departure", {{"type", "string"}, {"format", "date-time"}}},
                                    {"arrival", {{"type", "string"}, {"format", "date-time"}}},
                                    {"duration_min", {{"type", "integer"}}},
                                    {"fare", {{"type", "object"}}},
                                    {"seats_available", {{"type", "integer"}}},
                                    {"bus", {{"type", "object"}}}}}}}}},
                              {"next_cursor", {{"type", {"string", "null"}}}}}}}},
       .traffic = TrafficClass::kSearch,
       .at_once =
           [handlers](const http::Request& request) { return handlers->AnswersAtOnce(request); }},
      {.method = "GET",
       .pattern = "/v1/search/stations",
       .policy = open,
       .handler = Bind(handlers, &SearchRoutes::Stations),
       .doc = {.summary =
                   "Stations by code, name prefix or former name, tolerant of typos (?q=, limit)",
               .tag = "search",
               .success_status = 200,
               .response = ListSchema("Station")},
       .traffic = TrafficClass::kSearch},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
