#include "services/gateway/routes/queue_routes.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/rfc3339.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "platform/http/static_files.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;
using queue::QueueClient;

json RoomJson(const queue::RoomView& room) {
  json shuffle = {{"commitment", room.commitment}};
  if (!room.seed.empty()) shuffle["seed"] = room.seed;
  json out = {{"room_id", room.spec.room_id},
              {"name", room.spec.name},
              {"mode", std::string(NameOf(queue::kRoomModeNames, room.spec.mode))},
              {"trip_ids", room.spec.trip_ids},
              {"opens_at", room.spec.opens_at ? json(Instant(*room.spec.opens_at)) : json()},
              {"pre_queue_minutes", room.spec.pre_queue_minutes},
              {"admit_per_minute", room.spec.admit_per_minute},
              {"max_active", room.spec.max_active},
              {"session_minutes", room.spec.session_minutes},
              {"status", std::string(NameOf(queue::kRoomStatusNames, room.status))},
              {"waiting", room.waiting},
              {"active", room.active},
              {"admitted_total", room.admitted_total},
              {"expired_total", room.expired_total},
              {"shuffle", shuffle},
              {"opened_at", room.opened_at ? json(Instant(*room.opened_at)) : json()},
              {"created_at", Instant(room.created_at)},
              {"updated_at", Instant(room.updated_at)}};
  return out;
}

// 202 while waiting, with Retry-After pacing the polls; 200 once admitted.
http::Response PlaceResponse(const queue::QueuePlace& place) {
  if (place.admitted) {
    return http::Json(200, {{"status", "admitted"},
                            {"room_id", place.room_id},
                            {"ticket", place.ticket},
                            {"position", place.position ? json(*place.position) : json()},
                            {"queue_token", place.queue_token},
                            {"expires_at", Instant(place.expires_at)},
                            {"trip_ids", place.trip_ids}});
  }
  http::Response response =
      http::Json(202, {{"status", "waiting"},
                       {"room_id", place.room_id},
                       {"ticket", place.ticket},
                       {"position", place.position ? json(*place.position) : json()},
                       {"ahead", place.ahead},
                       {"eta_s", place.eta_s},
                       {"opens_at", place.opens_at ? json(Instant(*place.opens_at)) : json()}});
  // Rounded up: a caller told to wait 1.4 s that came back after 1 s would find nothing new.
  const int64_t seconds =
      std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(place.retry_after, absl::Seconds(1))));
  response.SetHeader("Retry-After", std::to_string(seconds));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

class QueueRoutes {
 public:
  explicit QueueRoutes(std::shared_ptr<QueueClient> queue) : queue_(std::move(queue)) {}

  http::Response Put(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    queue::RoomSpec spec{.room_id = request.PathParam("room_id"),
                         .org_id = caller.membership->org_id,
                         .name = body->Required("name", 200)};
    const std::string mode = body->Required("mode", 16);
    if (auto parsed = ParseName(queue::kRoomModeNames, mode)) {
      spec.mode = *parsed;
    } else if (!mode.empty()) {
      body->AddError("mode", "must be scheduled or on_demand");
    }
    spec.trip_ids = body->Strings("trip_ids", queue::kMaxTripsPerRoom, 64);
    for (size_t i = 0; i < spec.trip_ids.size(); ++i) {
      if (!IsUuid(spec.trip_ids[i]))
        body->AddError(absl::StrCat("trip_ids[", i, "]"), "must be a trip id");
    }
    const std::string opens_at = body->Optional("opens_at", 64);
    if (!opens_at.empty()) {
      absl::StatusOr<absl::Time> parsed = ParseRfc3339(opens_at);
      if (parsed.ok()) {
        spec.opens_at = *parsed;
      } else {
        body->AddError("opens_at", "must be an RFC 3339 instant");
      }
    }
    spec.pre_queue_minutes =
        body->OptionalInt("pre_queue_minutes", 0, queue::kMaxPreQueueMinutes).value_or(0);
    spec.admit_per_minute = body->Int("admit_per_minute", 1, queue::kMaxAdmitPerMinute);
    spec.max_active = body->Int("max_active", 1, queue::kMaxActive);
    spec.session_minutes = body->Int("session_minutes", 1, queue::kMaxSessionMinutes);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto room = queue_->PutRoom(spec);
    if (!room.ok()) return Fail(room.status());
    return http::Json(200, RoomJson(*room));
  }

  http::Response Get(http::Request& request, const Caller& caller) {
    auto room = queue_->GetRoom(caller.membership->org_id, request.PathParam("room_id"));
    if (!room.ok()) return Fail(room.status());
    return http::Json(200, RoomJson(*room));
  }

  http::Response List(http::Request&, const Caller& caller) {
    auto rooms = queue_->ListRooms(caller.membership->org_id);
    if (!rooms.ok()) return Fail(rooms.status());
    json items = json::array();
    for (const queue::RoomView& room : *rooms) items.push_back(RoomJson(room));
    return http::Json(200, {{"items", items}, {"next_cursor", nullptr}});
  }

  http::Response Delete(http::Request& request, const Caller& caller) {
    auto status = queue_->DeleteRoom(caller.membership->org_id, request.PathParam("room_id"));
    if (!status.ok()) return Fail(status);
    return http::Response::NoContent();
  }

  http::Response TripQueue(http::Request& request, const Caller&) {
    auto guard = queue_->GuardOf(request.PathParam("trip_id"));
    if (!guard.ok()) return Fail(guard.status());
    if (!*guard) return Fail(Error(reasons::kNotFound, "No waiting room guards this trip."));
    return http::Json(200,
                      {{"room_id", (*guard)->room_id},
                       {"status", std::string(NameOf(queue::kRoomStatusNames, (*guard)->status))}});
  }

  http::Response Join(http::Request& request, const Caller& caller) {
    auto place = queue_->Join(request.PathParam("room_id"), caller.user_id());
    if (!place.ok()) return Fail(place.status());
    return PlaceResponse(*place);
  }

  http::Response Status(http::Request& request, const Caller& caller) {
    auto place = queue_->Status(request.PathParam("room_id"), request.Query("ticket").value_or(""),
                                caller.user_id());
    if (!place.ok()) return Fail(place.status());
    return PlaceResponse(*place);
  }

 private:
  std::shared_ptr<QueueClient> queue_;
};

}  // namespace

absl::Status AddQueueRoutes(SecureRoutes& routes, http::Router& router,
                            std::shared_ptr<QueueClient> queue,
                            const std::filesystem::path& static_dir) {
  auto handlers = std::make_shared<QueueRoutes>(std::move(queue));
  auto bind = [&handlers](http::Response (QueueRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy traveller{.access = Access::kAuthenticated};
  const json room_body = ObjectSchema(
      {{"name", TextSchema(200)},
       {"mode", {{"type", "string"}, {"enum", {"scheduled", "on_demand"}}}},
       {"trip_ids", {{"type", "array"}, {"items", TextSchema(36)}, {"maxItems", 100}}},
       {"opens_at", {{"type", "string"}, {"format", "date-time"}}},
       {"pre_queue_minutes", {{"type", "integer"}, {"minimum", 0}}},
       {"admit_per_minute", {{"type", "integer"}, {"minimum", 1}}},
       {"max_active", {{"type", "integer"}, {"minimum", 1}}},
       {"session_minutes", {{"type", "integer"}, {"minimum", 1}}}},
      {"name", "mode", "trip_ids", "admit_per_minute", "max_active", "session_minutes"});
  const json room = {{"type", "object"}};
  const json place = {{"type", "object"}};
  const std::vector<RouteSpec> table = {
      {.method = "PUT",
       .pattern = "/v1/queue/rooms/{room_id}",
       .policy = OrgPolicy(Permission::kCatalogManage),
       .handler = bind(&QueueRoutes::Put),
       .doc = {.summary = "Create or change a waiting room guarding some of your trips",
               .tag = "queue",
               .request = room_body,
               .success_status = 200,
               .response = room,
               .errors = {400, 404, 409}}},
      {.method = "GET",
       .pattern = "/v1/queue/rooms",
       .policy = OrgPolicy(Permission::kCatalogRead),
       .handler = bind(&QueueRoutes::List),
       .doc = {.summary = "Your organization's waiting rooms, with their counters",
               .tag = "queue",
               .success_status = 200,
               .response = room}},
      {.method = "GET",
       .pattern = "/v1/queue/rooms/{room_id}",
       .policy = OrgPolicy(Permission::kCatalogRead),
       .handler = bind(&QueueRoutes::Get),
       .doc = {.summary = "One waiting room: settings, status, counters, the draw's commitment",
               .tag = "queue",
               .success_status = 200,
               .response = room,
               .errors = {404}}},
      {.method = "DELETE",
       .pattern = "/v1/queue/rooms/{room_id}",
       .policy = OrgPolicy(Permission::kCatalogManage),
       .handler = bind(&QueueRoutes::Delete),
       .doc = {.summary = "Close a waiting room; its trips are no longer guarded",
               .tag = "queue",
               .success_status = 204,
               .errors = {404}}},
      {.method = "GET",
       .pattern = "/v1/trips/{trip_id}/queue",
       .policy = RoutePolicy{.access = Access::kPublic},
       .handler = bind(&QueueRoutes::TripQueue),
       .doc = {.summary = "The waiting room guarding a trip",
               .tag = "queue",
               .success_status = 200,
               .response = room,
               .errors = {404}},
       .traffic = TrafficClass::kQueue},
      {.method = "POST",
       .pattern = "/v1/queue/rooms/{room_id}/join",
       .policy = traveller,
       .handler = bind(&QueueRoutes::Join),
       .doc = {.summary = "Join a waiting room (again: the same ticket); 202 waiting with "
                          "Retry-After, or 200 admitted",
               .tag = "queue",
               .success_status = 202,
               .response = place,
               .errors = {200, 404, 409}},
       .traffic = TrafficClass::kQueue},
      {.method = "GET",
       .pattern = "/v1/queue/rooms/{room_id}/status",
       .policy = traveller,
       .handler = bind(&QueueRoutes::Status),
       .doc = {.summary = "Where your ticket stands (?ticket=): 202 waiting, 200 admitted with "
                          "the queue token",
               .tag = "queue",
               .success_status = 202,
               .response = place,
               .errors = {200, 403, 404, 410}},
       .traffic = TrafficClass::kQueue},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));

  // The waiting-room page is the traveller app's (it reads the room from its path), kept in
  // memory: during a ticket drop this is the page everyone opens at once.
  std::string page;
  if (std::ifstream file(static_dir / "index.html"); file) {
    std::stringstream text;
    text << file.rdbuf();
    page = text.str();
  }
  routes.openapi().AddPlain("GET", "/queue/{room_id}",
                            {"The waiting-room page (HTML)", "queue", nullptr, 200, nullptr, {}});
  return router.Add("GET", "/queue/{room_id}",
                    [page = std::make_shared<const std::string>(std::move(page))](http::Request&) {
                      if (page->empty())
                        return http::Response::Text(404, "The waiting-room page is not installed.");
                      http::Response response =
                          http::Response::Text(200, *page, "text/html; charset=utf-8");
                      response.SetHeader("Cache-Control", "no-cache");
                      response.SetHeader("Content-Security-Policy", http::kWebAppSecurityPolicy);
                      response.SetHeader("X-Content-Type-Options", "nosniff");
                      response.SetHeader("Referrer-Policy", "same-origin");
                      return response;
                    },
                    {.blocking = false, .access_log = true});
}

}  // namespace travio::gateway
