#pragma once

// What the REST benchmark programs share: calls with a bearer token, a guest, and an operator's
// network of published trips built through the public API.

#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/testing/http_client.h"

namespace travio::bench {

using nlohmann::json;
using testing::HttpClient;
using testing::HttpResult;

inline HttpResult Send(HttpClient& client, const std::string& method, const std::string& path,
                       const json& body, const std::string& token) {
  std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return client.Send(method, path, body.is_null() ? "" : body.dump(), headers);
}

inline json Must(const HttpResult& result, int status) {
  if (result.status != status) {
    std::fprintf(stderr, "setup failed: %ld %s\n", static_cast<long>(result.status),
                 result.body.c_str());
    std::exit(1);
  }
  return json::parse(result.body);
}

inline std::string Guest(HttpClient& client) {
  return Must(Send(client, "POST", "/v1/auth/guest", nullptr, ""), 200)["access_token"];
}

/// An operator's owner (an access token of the organization's owner, who may manage its
/// catalog and waiting rooms) and its published trips.
struct OperatorNetwork {
  std::string owner_token;
  std::vector<std::string> trips;
};

// An operator with a 40-seat bus and `count` published trips DHK -> CTG -> CXB.
inline OperatorNetwork OperatorWithTrips(HttpClient& client, int count) {
  const std::string email = absl::StrCat("bench", absl::ToUnixNanos(absl::Now()), "@example.com");
  Must(Send(client, "POST", "/v1/auth/register",
            {{"email", email}, {"password", "correct horse battery"}, {"name", "bench"}}, ""),
       201);
  const std::string owner =
      Must(Send(client, "POST", "/v1/auth/login",
                {{"email", email}, {"password", "correct horse battery"}}, ""),
           200)["access_token"];
  Must(Send(client, "POST", "/v1/orgs", {{"name", "Bench Paribahan"}}, owner), 201);
  // Sixteen guests buying every seat with the sandbox's one card from one address look like
  // card testing: the operator switches the signals off (fraud still assesses every order, so
  // its cost stays in the measurement).
  json rules = Must(Send(client, "GET", "/v1/fraud/settings", nullptr, owner), 200)["rules"];
  for (auto& [signal, rule] : rules.items()) rule = {{"enabled", false}};
  Must(Send(client, "PUT", "/v1/fraud/settings", {{"rules", rules}}, owner), 200);
  for (const char* code : {"BDA", "BDB", "BDC"}) {
    Send(client, "POST", "/v1/catalog/stations",
         {{"code", code},
          {"name", code},
          {"city", code},
          {"lat", 23.0},
          {"lon", 90.0},
          {"timezone", "Asia/Dhaka"}},
         owner);  // 409 when a previous run added it
  }
  const json bus = Must(Send(client, "POST", "/v1/operator/buses",
                             {{"plate", absl::StrCat("BENCH-", absl::ToUnixNanos(absl::Now()))},
                              {"class", "seater"},
                              {"layout", {{"template", "2+2"}, {"rows", 10}}}},
                             owner),
                        201);
  const json route =
      Must(Send(client, "POST", "/v1/catalog/routes",
                {{"name", "bench"},
                 {"stops",
                  {{{"station", "BDA"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}},
                   {{"station", "BDB"}, {"arrive_offset_min", 120}, {"depart_offset_min", 130}},
                   {{"station", "BDC"}, {"arrive_offset_min", 240}, {"depart_offset_min", 240}}}}},
                owner),
           201);
  std::vector<std::string> trips;
  for (int i = 0; i < count; ++i) {
    const std::string departure =
        absl::FormatTime("%Y-%m-%dT%H:%M:00+06:00", absl::Now() + absl::Hours(48 + i),
                         absl::FixedTimeZone(6 * 3600));
    trips.push_back(
        Must(Send(client, "POST", "/v1/catalog/trips",
                  {{"route_id", route["id"]},
                   {"bus_id", bus["id"]},
                   {"departure", departure},
                   {"fares",
                    {{{"from", "BDA"}, {"to", "BDC"}, {"amount", 100000}, {"currency", "BDT"}},
                     {{"from", "BDA"}, {"to", "BDB"}, {"amount", 60000}, {"currency", "BDT"}},
                     {{"from", "BDB"}, {"to", "BDC"}, {"amount", 50000}, {"currency", "BDT"}}}},
                   {"status", "published"}},
                  owner),
             201)["id"]);
  }
  for (const std::string& trip : trips) {  // inventory learns of trips from events
    for (int i = 0; i < 400; ++i) {
      if (Send(client, "GET", "/v1/trips/" + trip + "/seats", nullptr, "").status == 200) break;
      absl::SleepFor(absl::Milliseconds(25));
    }
  }
  return {.owner_token = owner, .trips = std::move(trips)};
}

inline std::vector<std::string> Network(HttpClient& client, int count) {
  return OperatorWithTrips(client, count).trips;
}

inline std::string RandomSeat(std::mt19937& random) {
  return absl::StrCat(std::string(1, static_cast<char>('A' + random() % 10)), 1 + random() % 4);
}

}  // namespace travio::bench
