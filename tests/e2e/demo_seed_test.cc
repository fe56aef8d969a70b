// `travio seed --demo`, which `make run` runs on an empty data directory: the demo network is
// loaded through the services' use cases and served at once, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/testing/command.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "platform/testing/travio_process.h"

namespace travio::e2e {
namespace {

using nlohmann::json;
using testing::HttpClient;

std::pair<int, std::string> Seed(const std::filesystem::path& data_dir, const std::string& env) {
  return testing::RunCommand(env + " " + testing::TravioBinary() + " seed --demo --data-dir " +
                             data_dir.string() + " 2>/dev/null");
}

// Signs in as the demo manager with the password the seed wrote, and checks what they see.
void ExpectDemoNetwork(const std::string& base_url, const std::filesystem::path& data_dir) {
  HttpClient client(base_url);
  const json stations = json::parse(client.Get("/v1/stations?limit=200").body);
  EXPECT_GE(stations["items"].size(), 40u);
  for (const char* code : {"DHK", "CTG", "CXB", "SYL", "RAJ", "KHL", "BSL", "RNG", "MYM"}) {
    bool found = false;
    for (const json& station : stations["items"]) found = found || station["code"] == code;
    EXPECT_TRUE(found) << code;
  }
  const std::string credentials = testing::ReadFile(data_dir / "demo-credentials.txt");
  const size_t at = credentials.find("password: ");
  ASSERT_NE(at, std::string::npos);
  const std::string password = credentials.substr(at + 10, credentials.find('\n', at) - at - 10);
  auto login = client.PostJson(
      "/v1/auth/login",
      json{{"email", "manager@demo-paribahan.travio.test"}, {"password", password}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = json::parse(login.body)["access_token"];
  auto trips = client.Get("/v1/catalog/trips?limit=200", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(trips.status, 200) << trips.body;
  const json items = json::parse(trips.body)["items"];
  ASSERT_EQ(items.size(), 200u);  // ten schedules for 30 days: more than one page
  // Stations are the platform's: an operator cannot add one by default.
  auto station = client.PostJson("/v1/catalog/stations",
                                 json{{"code", "XYZ"},
                                      {"name", "Nowhere"},
                                      {"city", "Nowhere"},
                                      {"lat", 23.0},
                                      {"lon", 90.0},
                                      {"timezone", "Asia/Dhaka"}}
                                     .dump(),
                                 {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(station.status, 403) << station.body;
  EXPECT_EQ(json::parse(station.body)["code"], "station_registry_closed");
  // The demo's waiting room, its pre-queue already running, is saved back unchanged as the
  // console sends it: its opening is on a whole second, as the API writes instants.
  const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer " + token},
                                                     {"Content-Type", "application/json"}};
  auto room = client.Get("/v1/queue/rooms/demo-ticket-drop", bearer);
  ASSERT_EQ(room.status, 200) << room.body;
  const json shown = json::parse(room.body);
  const std::string opens_at = shown.value("opens_at", "");
  absl::Time opening;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, opens_at, &opening, &error)) << opens_at;
  EXPECT_EQ(absl::ToUnixMicros(opening) % 1'000'000, 0) << opens_at;
  json again = {{"name", shown["name"]},
                {"trip_ids", shown["trip_ids"]},
                {"mode", shown["mode"]},
                {"opens_at", shown["opens_at"]},
                {"pre_queue_minutes", shown["pre_queue_minutes"]},
                {"admit_per_minute", shown["admit_per_minute"]},
                {"max_active", shown["max_active"]},
                {"session_minutes", shown["session_minutes"]}};
  auto saved = client.Send("PUT", "/v1/queue/rooms/demo-ticket-drop", again.dump(), bearer);
  EXPECT_EQ(saved.status, 200) << saved.body;
  bool intermediate = false;
  for (const json& trip : items) {
    EXPECT_EQ(trip["status"], "published");
    intermediate = intermediate || trip["stops"].size() > 2;
  }
  EXPECT_TRUE(intermediate);
}

TEST(DemoSeedTest, LoadsTheDemoNetworkOnceAndServesIt) {
  testing::TempDir dir;
  const auto data_dir = dir.path() / "data";
  auto [code, output] = Seed(data_dir, "");
  ASSERT_EQ(code, 0) << output;
  EXPECT_TRUE(absl::StrContains(output, "64 stations")) << output;
  EXPECT_FALSE(absl::StrContains(output, "password:")) << "the password stays in the file";
  EXPECT_EQ(std::filesystem::status(data_dir / "demo-credentials.txt").permissions() &
                std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto [again, second] = Seed(data_dir, "");
  EXPECT_EQ(again, 0) << second;
  EXPECT_TRUE(absl::StrContains(second, "already loaded")) << second;

  testing::TravioProcess travio({.data_dir = data_dir, .on_bad_exit = testing::FailTheTest});
  ASSERT_OK(travio.Start()) << travio.Log();
  ExpectDemoNetwork(travio.base_url(), data_dir);
}

TEST(DemoSeedTest, SeedsPostgresAndRedisToo) {
  testing::TempDir dir;
  testing::ScratchPostgresDatabase database;
  const auto& servers = testing::SharedTestServers();
  const std::map<std::string, std::string> environment = {
      {"TRAVIO_DEVELOPMENT", "true"},  // the sandbox provider, email to files
      {"TRAVIO_STORAGE", "postgres"},
      {"TRAVIO_POSTGRES_DSN", database.dsn()},
      {"TRAVIO_HOT_STATE", "redis"},
      {"TRAVIO_REDIS_ADDR", servers.redis_host + ":" + std::to_string(servers.redis_port)}};
  std::string env;
  for (const auto& [name, value] : environment) absl::StrAppend(&env, name, "='", value, "' ");
  auto [code, output] = Seed(dir.path() / "data", env);
  ASSERT_EQ(code, 0) << output;
  testing::TravioProcess travio({.environment = environment,
                                 .data_dir = dir.path() / "data",
                                 .on_bad_exit = testing::FailTheTest});
  ASSERT_OK(travio.Start()) << travio.Log();
  ExpectDemoNetwork(travio.base_url(), dir.path() / "data");
}

}  // namespace
}  // namespace travio::e2e
