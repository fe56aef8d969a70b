// Fleet and catalog through the public API, on both deployments: the "done when" story
// (a manager builds buses, a route with an intermediate stop and a schedule, generates 14 days
// of trips twice), then roles, tenants, bad input, crews, lifecycle and the GTFS export.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/local_time.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/zip/zip_archive.h"
#include "tests/e2e/api_basics.h"
#include "tests/e2e/deployments.h"
#include "tests/e2e/mailbox.h"
#include "tests/e2e/shared_deployment.h"

namespace travio::e2e {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::HttpResult;

std::vector<std::string> Fields(const HttpResult& result) {
  std::vector<std::string> fields;
  for (const json& error : Body(result).value("errors", json::array())) {
    fields.push_back(error["field"].get<std::string>());
  }
  return fields;
}

// Dhaka's calendar, `days` after today.
std::string DhakaDate(int days) {
  LocalDate date = DateInZone(absl::Now(), "Asia/Dhaka");
  for (int i = 0; i < days; ++i) date = NextDay(date);
  return FormatLocalDate(date);
}

class FleetCatalogE2eTest : public ::testing::TestWithParam<Mode> {
 protected:
  // The cases share one deployment per mode (CTest runs the suite as one test per mode), each
  // with an organization of its own; the stations are the deployment's, registered once.
  static void TearDownTestSuite() { shared_.clear(); }

  void SetUp() override {
    // These organizations add their own stations (by default only the platform does).
    // A catalog call may go on making or cancelling trips for longer than the gateway waits
    // (its 5 s gRPC deadline): over gRPC it answers at half of what is left of that deadline.
    const std::map<std::string, std::string> environment = {
        {"TRAVIO_CATALOG_STATION_REGISTRARS", "*"}, {"TRAVIO_CATALOG_LONGEST_CALL", "20s"}};
    SharedDeployment& shared = shared_[GetParam()];
    if (shared.deployment == nullptr) shared.deployment = StartDeployment(GetParam(), environment);
    ASSERT_NE(shared.deployment, nullptr);
    deployment_ = shared.deployment;
    client_ = std::make_unique<HttpClient>(deployment_->base_url());
    owner_ = SignUp("owner");
    org_ = Created(Send("POST", "/v1/orgs", {{"name", "Green Line Paribahan"}}, owner_))["id"];
    manager_ = AddMember("manager");
    viewer_ = AddMember("viewer");
  }

  std::string Email(const std::string& who) {
    static std::atomic<int> counter{0};
    return absl::StrCat(who, ++counter, "@example.com");
  }

  HttpResult Send(const std::string& method, const std::string& path, const json& body,
                  const std::string& token, const std::string& org = "") {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!org.empty()) headers["X-Org-Id"] = org;
    return client_->Send(method, path, body.is_null() ? "" : body.dump(), headers);
  }
  HttpResult Get(const std::string& path, const std::string& token) {
    return Send("GET", path, nullptr, token);
  }

  json Created(const HttpResult& result) {
    EXPECT_EQ(result.status, 201) << result.body;
    return Body(result);
  }
  json Ok(const HttpResult& result) {
    EXPECT_EQ(result.status, 200) << result.body;
    return Body(result);
  }

  std::string SignUp(const std::string& who) {
    const std::string email = Email(who);
    Created(Send("POST", "/v1/auth/register",
                 {{"email", email}, {"password", kPassword}, {"name", who}}, ""));
    return Ok(Send("POST", "/v1/auth/login", {{"email", email}, {"password", kPassword}},
                   ""))["access_token"];
  }

  std::string AddMember(const std::string& role) {
    const std::string email = Email(role);
    Created(Send("POST", "/v1/orgs/invites", {{"email", email}, {"role", role}}, owner_));
    return Created(Send("POST", "/v1/invites/accept",
                        {{"token", InviteTokenFromMail(deployment_->mail_dir(), email)},
                         {"name", role},
                         {"password", kPassword}},
                        ""))["access_token"];
  }

  // Dhaka, Chattogram and Cox's Bazar, unless an earlier case on this deployment added them.
  void AddStations() {
    bool& registered = shared_[GetParam()].stations_registered;
    if (registered) return;
    registered = RegisterNetworkStations(*client_, manager_);
  }

  json Bus(const std::string& plate, const json& layout, const std::string& bus_class) {
    return Created(Send("POST", "/v1/operator/buses",
                        {{"plate", plate},
                         {"class", bus_class},
                         {"ac", true},
                         {"amenities", {"wifi", "blanket"}},
                         {"layout", layout}},
                        manager_));
  }

  json Route() {
    return Created(Send("POST", "/v1/catalog/routes",
                        {{"name", "Dhaka - Chattogram - Cox's Bazar"},
                         {"stops",
                          {{{"station", "DHK"},
                            {"arrive_offset_min", 0},
                            {"depart_offset_min", 0},
                            {"boarding", true},
                            {"dropping", false}},
                           {{"station", "CTG"},
                            {"arrive_offset_min", 330},
                            {"depart_offset_min", 345},
                            {"boarding", true},
                            {"dropping", true}},
                           {{"station", "CXB"},
                            {"arrive_offset_min", 570},
                            {"depart_offset_min", 570},
                            {"boarding", false},
                            {"dropping", true}}}}},
                        manager_));
  }

  static json Fares() {
    return {{{"from", "DHK"}, {"to", "CXB"}, {"amount", 150000}, {"currency", "BDT"}},
            {{"from", "DHK"}, {"to", "CTG"}, {"amount", 90000}, {"currency", "BDT"}},
            {{"from", "CTG"}, {"to", "CXB"}, {"amount", 60000}, {"currency", "BDT"}}};
  }

  json Trip(const json& route, const json& bus, const std::string& departure,
            const std::string& status = "published") {
    return Created(Send("POST", "/v1/catalog/trips",
                        {{"route_id", route["id"]},
                         {"bus_id", bus["id"]},
                         {"departure", departure},
                         {"fares", Fares()},
                         {"status", status}},
                        manager_));
  }

  static inline std::map<Mode, SharedDeployment> shared_;

  std::shared_ptr<Deployment> deployment_;
  std::unique_ptr<HttpClient> client_;
  std::string owner_;
  std::string org_;
  std::string manager_;
  std::string viewer_;
};

TEST_P(FleetCatalogE2eTest, AManagerBuildsANetworkAndGeneratesTripsIdempotently) {
  const json two_plus_two = {{"template", "2+2"}, {"rows", 10}};
  // A viewer reads the fleet but cannot add to it.
  auto refused = Send("POST", "/v1/operator/buses",
                      {{"plate", "DHA-1"}, {"class", "seater"}, {"layout", two_plus_two}}, viewer_);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Body(refused)["code"], "forbidden");

  const json sleeper =
      Bus("DHAKA METRO-BA 11-0001", {{"template", "double-decker"}, {"rows", 9}}, "sleeper");
  EXPECT_EQ(sleeper["capacity"], 36);
  EXPECT_EQ(sleeper["layout"]["decks"].size(), 2u);
  const json seater = Bus("DHAKA METRO-BA 11-0002", two_plus_two, "seater");
  EXPECT_EQ(seater["capacity"], 40);
  EXPECT_EQ(Ok(Get("/v1/operator/buses", viewer_))["items"].size(), 2u);

  AddStations();
  const json route = Route();
  EXPECT_EQ(route["stops"].size(), 3u);
  const json schedule = Created(Send("POST", "/v1/catalog/schedules",
                                     {{"route_id", route["id"]},
                                      {"bus_id", sleeper["id"]},
                                      {"departure_time", "22:30"},
                                      {"days", "daily"},
                                      {"start_date", DhakaDate(1)},
                                      {"end_date", DhakaDate(60)},
                                      {"fares", Fares()}},
                                     manager_));
  const std::string generate =
      absl::StrCat("/v1/catalog/schedules/", schedule["id"].get<std::string>(), "/generate");
  const json first = Ok(Send("POST", generate, {{"until", DhakaDate(14)}}, manager_));
  EXPECT_EQ(first["created"], 14);
  EXPECT_EQ(first["existing"], 0);
  const json second = Ok(Send("POST", generate, {{"until", DhakaDate(14)}}, manager_));
  EXPECT_EQ(second["created"], 0);
  EXPECT_EQ(second["existing"], 14);

  const json trips = Ok(Get("/v1/catalog/trips?limit=200", viewer_));
  ASSERT_EQ(trips["items"].size(), 14u);
  for (size_t i = 0; i < 14; ++i) {
    const json& trip = trips["items"][i];
    const int day = static_cast<int>(i) + 1;
    EXPECT_EQ(trip["departure"], DhakaDate(day) + "T22:30:00+06:00");
    EXPECT_EQ(trip["stops"][1]["arrive_at"], DhakaDate(day + 1) + "T04:00:00+06:00");
    EXPECT_EQ(trip["arrival"], DhakaDate(day + 1) + "T08:00:00+06:00");
    EXPECT_EQ(trip["status"], "published");
    EXPECT_EQ(trip["bus"]["capacity"], 36);
  }
  const json window =
      Ok(Get(absl::StrCat("/v1/catalog/trips?from_date=", DhakaDate(3), "&to_date=", DhakaDate(4)),
             manager_));
  EXPECT_EQ(window["items"].size(), 2u);
}

// A schedule listed, changed and ended through the API: a change shapes the trips generated
// after it, a bad change writes nothing, ending with cancel_later_trips cancels the trips after
// the last day, and neither viewers nor other organizations can touch it.
TEST_P(FleetCatalogE2eTest, SchedulesAreListedChangedAndEnded) {
  const json bus = Bus("DHAKA METRO-BA 11-0031", {{"template", "2+2"}, {"rows", 10}}, "seater");
  AddStations();
  const json route = Route();
  const json schedule = Created(Send("POST", "/v1/catalog/schedules",
                                     {{"route_id", route["id"]},
                                      {"bus_id", bus["id"]},
                                      {"departure_time", "22:30"},
                                      {"days", "daily"},
                                      {"start_date", DhakaDate(1)},
                                      {"end_date", DhakaDate(60)},
                                      {"fares", Fares()}},
                                     manager_));
  const std::string id = schedule["id"];
  const std::string path = "/v1/catalog/schedules/" + id;
  Ok(Send("POST", path + "/generate", {{"until", DhakaDate(4)}}, manager_));

  const json listed =
      Ok(Get("/v1/catalog/schedules?route_id=" + route["id"].get<std::string>(), viewer_));
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["departure_time"], "22:30");
  EXPECT_EQ(Ok(Get(path, viewer_))["id"], id);

  // A viewer may not change it; a change that does not hold changes nothing.
  EXPECT_EQ(Send("PATCH", path, {{"departure_time", "21:00"}}, viewer_).status, 403);
  auto bad = Send("PATCH", path, {{"departure_time", "21:00"}, {"days", "someday"}}, manager_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Fields(bad), std::vector<std::string>{"days"});
  auto late =
      Send("PATCH", path, {{"departure_time", "21:00"}, {"end_date", "2020-01-01"}}, manager_);
  EXPECT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(Body(late)["code"], "invalid_date_range");
  auto unknown = Send("PATCH", path, {{"route_id", route["id"]}}, manager_);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(Ok(Get(path, manager_))["departure_time"], "22:30");

  // null is no value on a change: it neither publishes the schedule nor empties its dates.
  auto nulls = Send("PATCH", path, {{"publish", nullptr}, {"except_dates", nullptr}}, manager_);
  EXPECT_EQ(nulls.status, 400) << nulls.body;
  EXPECT_EQ(Fields(nulls), (std::vector<std::string>{"except_dates", "publish"}));
  const json changed = Ok(Send("PATCH", path, {{"departure_time", "21:00"}}, manager_));
  EXPECT_EQ(changed["departure_time"], "21:00");
  EXPECT_EQ(changed["end_date"], DhakaDate(60));
  Ok(Send("POST", path + "/generate", {{"until", DhakaDate(6)}}, manager_));
  const json trips = Ok(Get("/v1/catalog/trips?limit=200&schedule_id=" + id, viewer_));
  ASSERT_EQ(trips["items"].size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(trips["items"][i]["departure"],
              DhakaDate(static_cast<int>(i) + 1) + (i < 4 ? "T22:30:00+06:00" : "T21:00:00+06:00"));
  }

  // Shortening the dates under trips already made is refused: ending the schedule is the way.
  auto shorter = Send("PATCH", path, {{"end_date", DhakaDate(3)}}, manager_);
  EXPECT_EQ(shorter.status, 409) << shorter.body;
  EXPECT_EQ(Body(shorter)["code"], "trips_outside_schedule");
  EXPECT_EQ(Fields(shorter), std::vector<std::string>{"end_date"});
  EXPECT_EQ(Ok(Get(path, manager_))["end_date"], DhakaDate(60));
  // An ending before the first day is refused.
  auto before = Send("POST", path + "/end", {{"last_date", DhakaDate(0)}}, manager_);
  EXPECT_EQ(before.status, 422) << before.body;
  EXPECT_EQ(Body(before)["code"], "invalid_date_range");

  // Another organization sees and ends nothing.
  const std::string stranger = SignUp("stranger");
  Created(Send("POST", "/v1/orgs", {{"name", "Other Lines"}}, stranger));
  EXPECT_EQ(Get(path, stranger).status, 404);
  EXPECT_EQ(Send("POST", path + "/end", {{"last_date", DhakaDate(1)}}, stranger).status, 404);
  EXPECT_TRUE(Ok(Get("/v1/catalog/schedules", stranger))["items"].empty());

  // A dry run says what ending after day 3 would do, and does nothing.
  const json dry = Ok(Send(
      "POST", path + "/end",
      {{"last_date", DhakaDate(3)}, {"cancel_later_trips", true}, {"dry_run", true}}, manager_));
  EXPECT_EQ(dry["cancelled"], 3);
  EXPECT_EQ(dry["schedule"]["end_date"], DhakaDate(60));
  EXPECT_EQ(Ok(Get(path, manager_))["end_date"], DhakaDate(60));
  // Ended after day 3, the trips of days 4 to 6 cancelled.
  auto missing_date = Send("POST", path + "/end", {{"cancel_later_trips", true}}, manager_);
  EXPECT_EQ(missing_date.status, 400) << missing_date.body;
  EXPECT_EQ(
      Ok(Get("/v1/catalog/trips?status=cancelled&schedule_id=" + id, viewer_))["items"].size(), 0u);
  const json ended = Ok(Send(
      "POST", path + "/end",
      {{"last_date", DhakaDate(3)}, {"cancel_later_trips", true}, {"reason", "Route withdrawn"}},
      manager_));
  EXPECT_EQ(ended["cancelled"], 3);
  EXPECT_EQ(ended["kept"], 0);
  EXPECT_EQ(ended["schedule"]["end_date"], DhakaDate(3));
  EXPECT_EQ(
      Ok(Get("/v1/catalog/trips?status=cancelled&schedule_id=" + id, viewer_))["items"].size(), 3u);
  EXPECT_EQ(Ok(Send("POST", path + "/generate", {{"until", DhakaDate(10)}}, manager_))["created"],
            0);
}

// A schedule with many trips is generated and ended call by call: a call answers in time (a
// hundred cancellations at most) with how many remain, and a dry run counts them all first.
TEST_P(FleetCatalogE2eTest, EndingASchedulesManyTripsGoesOnCallByCall) {
  const json bus = Bus("DHAKA METRO-BA 11-0032", {{"template", "2+2"}, {"rows", 10}}, "seater");
  AddStations();
  const json route = Route();
  const json schedule = Created(Send("POST", "/v1/catalog/schedules",
                                     {{"route_id", route["id"]},
                                      {"bus_id", bus["id"]},
                                      {"departure_time", "06:00"},
                                      {"days", "daily"},
                                      {"start_date", DhakaDate(1)},
                                      {"end_date", DhakaDate(200)},
                                      {"fares", Fares()}},
                                     manager_));
  const std::string path = "/v1/catalog/schedules/" + schedule["id"].get<std::string>();
  // However long 131 trips take here, each call answers in time with what remains.
  int created = 0;
  for (int call = 0; call < 40; ++call) {
    const json made = Ok(Send("POST", path + "/generate", {{"until", DhakaDate(131)}}, manager_));
    ASSERT_TRUE(made["created"].is_number_integer()) << made.dump();
    created += made["created"].get<int>();
    EXPECT_EQ(
        made["existing"].get<int>() + made["created"].get<int>() + made["remaining"].get<int>(),
        131);
    if (made["remaining"] == 0) break;
  }
  EXPECT_EQ(created, 131);
  const json end = {{"last_date", DhakaDate(1)}, {"cancel_later_trips", true}};
  json dry = end;
  dry["dry_run"] = true;
  EXPECT_EQ(Ok(Send("POST", path + "/end", dry, manager_))["cancelled"], 130);
  // At most 100 a call (fewer when the call runs out of time): the calls go on until none
  // remains, and each trip is cancelled once.
  int cancelled_by_calls = 0;
  int remaining = 130;
  for (int call = 0; call < 40 && remaining > 0; ++call) {
    const json ended = Ok(Send("POST", path + "/end", end, manager_));
    ASSERT_TRUE(ended["cancelled"].is_number_integer()) << ended.dump();
    EXPECT_GE(ended["cancelled"].get<int>(), 1);
    EXPECT_LE(ended["cancelled"].get<int>(), 100);
    EXPECT_EQ(ended["cancelled"].get<int>() + ended["remaining"].get<int>(), remaining);
    cancelled_by_calls += ended["cancelled"].get<int>();
    remaining = ended["remaining"].get<int>();
  }
  EXPECT_EQ(remaining, 0);
  EXPECT_EQ(cancelled_by_calls, 130);
  const json cancelled =
      Ok(Get(absl::StrCat("/v1/catalog/trips?limit=200&status=cancelled&schedule_id=",
                          schedule["id"].get<std::string>()),
             viewer_));
  EXPECT_EQ(cancelled["items"].size(), 130u);
}

TEST_P(FleetCatalogE2eTest, TripsKeepTheirSeatsWhenTheBusChangesOrIsReplaced) {
  AddStations();
  const json route = Route();
  const json bus = Bus("DHA-10", {{"template", "2+2"}, {"rows", 10}}, "seater");
  const json trip = Trip(route, bus, DhakaDate(2) + "T07:00");
  const std::string trip_path = "/v1/catalog/trips/" + trip["id"].get<std::string>();
  EXPECT_EQ(trip["departure"], DhakaDate(2) + "T07:00:00+06:00");

  auto in_use =
      Send("DELETE", "/v1/operator/buses/" + bus["id"].get<std::string>(), nullptr, manager_);
  EXPECT_EQ(in_use.status, 409) << in_use.body;
  EXPECT_EQ(Body(in_use)["code"], "bus_in_use");

  Ok(Send("PATCH", "/v1/operator/buses/" + bus["id"].get<std::string>(),
          {{"layout", {{"template", "2+1"}, {"rows", 5}}}}, manager_));
  EXPECT_EQ(Ok(Get(trip_path, viewer_))["bus"]["capacity"], 40);

  const json smaller = Bus("DHA-11", {{"template", "2+2"}, {"rows", 9}}, "seater");
  const json moved =
      Ok(Send("POST", trip_path + "/move-bus", {{"bus_id", smaller["id"]}}, manager_));
  EXPECT_EQ(moved["missing_seats"], json({"J1", "J2", "J3", "J4"}));
  EXPECT_EQ(moved["trip"]["bus"]["capacity"], 36);

  // The old bus runs nothing now and can go.
  EXPECT_EQ(Send("DELETE", "/v1/operator/buses/" + bus["id"].get<std::string>(), nullptr, manager_)
                .status,
            204);
}

TEST_P(FleetCatalogE2eTest, CrewDutiesNeverOverlap) {
  AddStations();
  const json route = Route();
  const json night = Trip(route, Bus("DHA-20", {{"template", "2+2"}, {"rows", 10}}, "seater"),
                          DhakaDate(3) + "T22:30");
  const json next_morning = Trip(
      route, Bus("DHA-21", {{"template", "2+2"}, {"rows", 10}}, "seater"), DhakaDate(4) + "T08:30");
  const json later = Trip(route, Bus("DHA-22", {{"template", "2+2"}, {"rows", 10}}, "seater"),
                          DhakaDate(4) + "T10:00");
  const json driver = Created(Send("POST", "/v1/operator/staff",
                                   {{"name", "Abdul Karim"},
                                    {"role", "driver"},
                                    {"phone", "+880 1711-000000"},
                                    {"license_no", "DK-0012345"}},
                                   manager_));
  auto assign = [&](const json& trip, const std::string& duty) {
    return Send("POST", "/v1/operator/trips/" + trip["id"].get<std::string>() + "/assignments",
                {{"staff_id", driver["id"]}, {"duty", duty}}, manager_);
  };
  EXPECT_EQ(assign(night, "driver").status, 201);
  auto conflict = assign(next_morning, "driver");  // arrives 08:00, one hour of rest needed
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(Body(conflict)["code"], "staff_conflict");
  EXPECT_EQ(assign(later, "driver").status, 201);
  auto wrong_duty = assign(next_morning, "conductor");
  EXPECT_EQ(wrong_duty.status, 422) << wrong_duty.body;
  EXPECT_EQ(Body(wrong_duty)["code"], "duty_not_allowed");
  const json crew =
      Ok(Get("/v1/operator/trips/" + night["id"].get<std::string>() + "/assignments", viewer_));
  EXPECT_EQ(crew["items"].size(), 1u);
  EXPECT_EQ(crew["items"][0]["duty"], "driver");
  // A viewer may look but not assign.
  EXPECT_EQ(Send("POST", "/v1/operator/trips/" + later["id"].get<std::string>() + "/assignments",
                 {{"staff_id", driver["id"]}, {"duty", "helper"}}, viewer_)
                .status,
            403);
}

TEST_P(FleetCatalogE2eTest, TheLifecycleMovesOnlyForwardAndAnnouncesDelays) {
  AddStations();
  const json route = Route();
  const json trip = Trip(route, Bus("DHA-30", {{"template", "1+1"}, {"rows", 10}}, "sleeper"),
                         DhakaDate(5) + "T21:00:00+06:00", "draft");
  const std::string path = "/v1/catalog/trips/" + trip["id"].get<std::string>();
  EXPECT_EQ(trip["status"], "draft");
  EXPECT_EQ(Ok(Send("POST", path + "/publish", nullptr, manager_))["status"], "published");
  auto again = Send("POST", path + "/publish", nullptr, manager_);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Body(again)["code"], "invalid_transition");
  const json delayed = Ok(Send("PATCH", path, {{"delay_minutes", 45}}, manager_));
  EXPECT_EQ(delayed["status"], "delayed");
  EXPECT_EQ(delayed["departure"], DhakaDate(5) + "T21:45:00+06:00");
  EXPECT_EQ(delayed["scheduled_departure"], DhakaDate(5) + "T21:00:00+06:00");
  EXPECT_EQ(Ok(Send("POST", path + "/board", nullptr, manager_))["status"], "boarding");
  EXPECT_EQ(Ok(Send("POST", path + "/depart", nullptr, manager_))["status"], "departed");
  EXPECT_EQ(Send("POST", path + "/cancel", {{"reason", "too late"}}, manager_).status, 409);
  EXPECT_EQ(Ok(Send("POST", path + "/complete", nullptr, manager_))["status"], "completed");

  const json other = Trip(route, Bus("DHA-31", {{"template", "1+1"}, {"rows", 10}}, "sleeper"),
                          DhakaDate(6) + "T21:00");
  const json cancelled =
      Ok(Send("POST", "/v1/catalog/trips/" + other["id"].get<std::string>() + "/cancel",
              {{"reason", "Hartal declared"}}, manager_));
  EXPECT_EQ(cancelled["status"], "cancelled");
  EXPECT_EQ(cancelled["cancel_reason"], "Hartal declared");
  EXPECT_EQ(Ok(Get("/v1/catalog/trips?status=cancelled", viewer_))["items"].size(), 1u);
}

TEST_P(FleetCatalogE2eTest, BadInputGetsClearProblemsAndWritesNothing) {
  AddStations();
  auto layout = Send("POST", "/v1/operator/buses",
                     {{"plate", "DHA-40"},
                      {"class", "seater"},
                      {"layout",
                       {{"decks",
                         {{{"name", "main"},
                           {"rows", 1},
                           {"cols", 2},
                           {"cells",
                            {{{"row", 0}, {"col", 0}, {"type", "seat"}, {"label", "A1"}},
                             {{"row", 0}, {"col", 7}, {"type", "seat"}, {"label", "A1"}}}}}}}}}},
                     manager_);
  EXPECT_EQ(layout.status, 422) << layout.body;
  EXPECT_EQ(Body(layout)["code"], "invalid_layout");
  EXPECT_EQ(layout.headers["content-type"], "application/problem+json");
  EXPECT_FALSE(Fields(layout).empty());
  auto unknown_field = Send("POST", "/v1/operator/buses",
                            {{"plate", "DHA-41"},
                             {"class", "seater"},
                             {"colour", "green"},
                             {"layout", {{"template", "2+2"}, {"rows", 10}}}},
                            manager_);
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_EQ(Fields(unknown_field), std::vector<std::string>{"colour"});
  EXPECT_TRUE(Ok(Get("/v1/operator/buses", manager_))["items"].empty());

  auto one_stop =
      Send("POST", "/v1/catalog/routes",
           {{"name", "Nowhere"},
            {"stops", {{{"station", "DHK"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}}}}},
           manager_);
  EXPECT_EQ(one_stop.status, 422) << one_stop.body;
  EXPECT_EQ(Body(one_stop)["code"], "invalid_route");
  auto backwards =
      Send("POST", "/v1/catalog/routes",
           {{"name", "Backwards"},
            {"stops",
             {{{"station", "DHK"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}},
              {{"station", "CTG"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}}}}},
           manager_);
  EXPECT_EQ(backwards.status, 422);
  EXPECT_EQ(Fields(backwards), std::vector<std::string>{"stops[1].arrive_offset_min"});
  EXPECT_TRUE(Ok(Get("/v1/catalog/routes", manager_))["items"].empty());

  const json route = Route();
  const json bus = Bus("DHA-42", {{"template", "2+2"}, {"rows", 10}}, "seater");
  auto missing_fare =
      Send("POST", "/v1/catalog/trips",
           {{"route_id", route["id"]},
            {"bus_id", bus["id"]},
            {"departure", DhakaDate(2) + "T07:00"},
            {"fares", {{{"from", "DHK"}, {"to", "CTG"}, {"amount", 90000}, {"currency", "BDT"}}}}},
           manager_);
  EXPECT_EQ(missing_fare.status, 422) << missing_fare.body;
  EXPECT_EQ(Body(missing_fare)["code"], "missing_fare");
  auto bad_time = Send("POST", "/v1/catalog/trips",
                       {{"route_id", route["id"]},
                        {"bus_id", bus["id"]},
                        {"departure", "tomorrow evening"},
                        {"fares", Fares()}},
                       manager_);
  EXPECT_EQ(bad_time.status, 400);
  EXPECT_EQ(Fields(bad_time), std::vector<std::string>{"departure"});
  EXPECT_TRUE(Ok(Get("/v1/catalog/trips", manager_))["items"].empty());
  // Ids that are not ids name nothing, whatever the storage; bad queries are refused.
  for (const char* path : {"/v1/catalog/trips/%FF", "/v1/operator/buses/not-a-bus",
                           "/v1/catalog/schedules/%E2%82/generate"}) {
    auto result = Send(absl::StrContains(path, "generate") ? "POST" : "GET", path,
                       json{{"until", "2026-12-31"}}, manager_);
    EXPECT_EQ(result.status, 404) << path << " " << result.body;
  }
  // Paths that are not paths never reach a route.
  for (const char* path : {"/v1/catalog/routes/..%2F..", "/v1/operator/staff/%00"}) {
    auto result = Get(path, manager_);
    EXPECT_EQ(result.status, 400) << path << " " << result.body;
    EXPECT_EQ(Body(result)["code"], "malformed_request");
  }
  EXPECT_EQ(Get("/v1/stations?q=%FF", "").status, 400);
  EXPECT_EQ(Get("/v1/catalog/trips?route_id=%FF", manager_).status, 400);
  auto taken = Send("POST", "/v1/catalog/stations",
                    {{"code", "dhk"},
                     {"name", "Dhaka again"},
                     {"city", "Dhaka"},
                     {"lat", 23.7},
                     {"lon", 90.4},
                     {"timezone", "Asia/Dhaka"}},
                    manager_);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(Body(taken)["code"], "code_taken");
}

TEST_P(FleetCatalogE2eTest, AnotherOrganizationSeesNothing) {
  AddStations();
  const json route = Route();
  const json bus = Bus("DHA-50", {{"template", "2+2"}, {"rows", 10}}, "seater");
  const json trip = Trip(route, bus, DhakaDate(2) + "T07:00");
  const std::string rival = SignUp("rival");
  Created(Send("POST", "/v1/orgs", {{"name", "Rival Travels"}}, rival));
  for (const std::string& path :
       {"/v1/operator/buses/" + bus["id"].get<std::string>(),
        "/v1/catalog/trips/" + trip["id"].get<std::string>(),
        "/v1/catalog/routes/" + route["id"].get<std::string>(),
        "/v1/operator/trips/" + trip["id"].get<std::string>() + "/assignments"}) {
    auto result = Get(path, rival);
    EXPECT_EQ(result.status, 404) << path << " " << result.body;
  }
  EXPECT_TRUE(Ok(Get("/v1/catalog/trips", rival))["items"].empty());
  EXPECT_TRUE(Ok(Get("/v1/operator/buses", rival))["items"].empty());
  EXPECT_EQ(
      Send("POST", "/v1/catalog/trips/" + trip["id"].get<std::string>() + "/cancel", nullptr, rival)
          .status,
      404);
  // Naming the first organization in X-Org-Id does not help a non-member.
  EXPECT_EQ(Send("GET", "/v1/operator/buses", nullptr, rival, org_).status, 404);
  // Stations are public.
  const json stations = Ok(Get("/v1/stations?q=cox", ""));
  ASSERT_EQ(stations["items"].size(), 1u);
  EXPECT_EQ(stations["items"][0]["code"], "CXB");
}

TEST_P(FleetCatalogE2eTest, TheGtfsExportMatchesTheCatalog) {
  AddStations();
  const json route = Route();
  const json bus = Bus("DHA-60", {{"template", "2+2"}, {"rows", 10}}, "seater");
  const json published = Trip(route, bus, DhakaDate(2) + "T22:30");
  Trip(route, bus, DhakaDate(3) + "T22:30", "draft");
  auto response = Get("/v1/catalog/gtfs.zip", viewer_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers["content-type"], "application/zip");
  auto files = zip::UnzipFiles(response.body);
  ASSERT_OK(files);
  for (const char* name :
       {"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt",
        "calendar_dates.txt", "fare_attributes.txt", "fare_rules.txt"}) {
    EXPECT_TRUE(files->count(name)) << name;
  }
  const std::string id = published["id"];
  const std::string& trips = (*files)["trips.txt"];
  EXPECT_TRUE(absl::StrContains(trips, id));
  EXPECT_EQ(std::count(trips.begin(), trips.end(), '\n'), 2);  // header and the published trip
  const std::string& stop_times = (*files)["stop_times.txt"];
  // Boarding only at DHK, both at CTG, dropping only at CXB; the night bus arrives at 32:00.
  EXPECT_TRUE(absl::StrContains(stop_times, id + ",22:30:00,22:30:00,DHK,1,0,1\n")) << stop_times;
  EXPECT_TRUE(absl::StrContains(stop_times, id + ",28:00:00,28:15:00,CTG,2,0,0\n")) << stop_times;
  EXPECT_TRUE(absl::StrContains(stop_times, id + ",32:00:00,32:00:00,CXB,3,1,0\n")) << stop_times;
  std::string date = DhakaDate(2);
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  EXPECT_TRUE(absl::StrContains((*files)["calendar_dates.txt"], id + "," + date + ",1"));
  EXPECT_TRUE(absl::StrContains((*files)["fare_attributes.txt"], "1500.00,BDT"));
  EXPECT_TRUE(absl::StrContains((*files)["agency.txt"], "Green Line Paribahan"));
}

INSTANTIATE_TEST_SUITE_P(Deployments, FleetCatalogE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
