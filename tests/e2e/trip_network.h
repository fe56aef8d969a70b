#pragma once

// The fixture end-to-end suites share: a deployment (monolith or microservices) with one
// operator and one published trip, and small helpers to call the public API.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "tests/e2e/api_basics.h"
#include "tests/e2e/deployments.h"
#include "tests/e2e/mailbox.h"
#include "tests/e2e/shared_deployment.h"

namespace travio::e2e {

// A network of one published trip Dhaka -> Chattogram -> Cox's Bazar on a 2+2 bus of ten rows
// (A1..J4, forty seats) departing in 72 hours, built through the API by an operator's owner, on
// either deployment. Suites add configuration through Environment().
class TripNetworkTest : public ::testing::TestWithParam<Mode> {
 protected:
  virtual std::map<std::string, std::string> Environment() const { return {}; }
  // The suites buy many seats with the sandbox's one approved card, from one address and one
  // email, like an agency's counter: fraud's signals are switched off for their operator (the
  // fraud step still runs on every payment). The fraud suite keeps the defaults.
  virtual bool KeepFraudDefaults() const { return false; }
  // Services the microservices deployment runs twice ("<service>-2" beside "<service>").
  virtual std::set<std::string> Doubled() const { return {}; }

  // Whether the cases of this suite run on one deployment (per mode, within one test process;
  // CTest runs such a suite as one test per mode: tests/e2e/CMakeLists.txt). Starting and
  // stopping sixteen sanitized processes is most of a short case's cost. Each case still has
  // an owner, an operator, a bus, a route and a trip of its own; the stations are the
  // deployment's, registered by its first case. A case that restarts a process with another
  // environment puts it back before it ends.
  virtual bool SharesDeployment() const { return false; }

  static void TearDownTestSuite() { shared_.clear(); }

  void SetUp() override {
    std::map<std::string, std::string> environment = Environment();
    environment["TRAVIO_CATALOG_STATION_REGISTRARS"] = "*";
    SharedDeployment unshared;
    SharedDeployment& shared = SharesDeployment() ? shared_[GetParam()] : unshared;
    if (shared.deployment == nullptr) {
      shared.deployment = StartDeployment(GetParam(), environment, Doubled());
    }
    deployment_ = shared.deployment;
    ASSERT_NE(deployment_, nullptr);
    client_ = std::make_unique<HttpClient>(deployment_->base_url());
    owner_email_ = NewAccount("owner");
    owner_ = LogIn(owner_email_);
    org_ = Created(Send("POST", "/v1/orgs", {{"name", "Shohagh Paribahan"}}, owner_))["id"];
    if (!KeepFraudDefaults()) {
      json rules = Ok(Get("/v1/fraud/settings", owner_))["rules"];
      for (auto& [signal, rule] : rules.items()) rule = {{"enabled", false}};
      Ok(Send("PUT", "/v1/fraud/settings", {{"rules", rules}}, owner_));
    }
    if (!shared.stations_registered) {
      shared.stations_registered = RegisterNetworkStations(*client_, owner_);
    }
    const json bus = Created(Send("POST", "/v1/operator/buses",
                                  {{"plate", "DHAKA METRO-BA 11-0001"},
                                   {"class", "seater"},
                                   {"ac", true},
                                   {"layout", {{"template", "2+2"}, {"rows", 10}}}},
                                  owner_));
    const json route = Created(
        Send("POST", "/v1/catalog/routes",
             {{"name", "Dhaka - Chattogram - Cox's Bazar"},
              {"stops",
               {{{"station", "DHK"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}},
                {{"station", "CTG"}, {"arrive_offset_min", 330}, {"depart_offset_min", 345}},
                {{"station", "CXB"}, {"arrive_offset_min", 570}, {"depart_offset_min", 570}}}}},
             owner_));
    const std::string departure = absl::FormatTime(
        "%Y-%m-%dT22:30:00+06:00", absl::Now() + absl::Hours(72), absl::FixedTimeZone(6 * 3600));
    trip_json_ = PublishTrip(route["id"], bus["id"], departure);
    trip_ = trip_json_["id"];
  }

  // A published trip of `route_id` on `bus_id` with the network's fares (DHK -> CXB 1,500 taka,
  // DHK -> CTG 900, CTG -> CXB 600), once inventory knows of it.
  json PublishTrip(const json& route_id, const json& bus_id, const std::string& departure) {
    json trip =
        Created(Send("POST", "/v1/catalog/trips",
                     {{"route_id", route_id},
                      {"bus_id", bus_id},
                      {"departure", departure},
                      {"fares",
                       {{{"from", "DHK"}, {"to", "CXB"}, {"amount", 150000}, {"currency", "BDT"}},
                        {{"from", "DHK"}, {"to", "CTG"}, {"amount", 90000}, {"currency", "BDT"}},
                        {{"from", "CTG"}, {"to", "CXB"}, {"amount", 60000}, {"currency", "BDT"}}}},
                      {"status", "published"}},
                     owner_));
    // Inventory learns of the trip from the catalog's event, relayed asynchronously (in
    // microservices through the broker).
    const std::string seats = "/v1/trips/" + trip.value("id", "") + "/seats";
    for (int i = 0; i < 400 && Get(seats).status != 200; ++i) {
      absl::SleepFor(absl::Milliseconds(25));
    }
    EXPECT_EQ(Get(seats).status, 200) << deployment_->Logs();
    return trip;
  }

  // The value of `series` (a name with its labels) in the /metrics of the process running
  // `service`; 0 when it has no such series yet, -1 when the value is unreadable.
  double Metric(const std::string& service, const std::string& series) {
    HttpClient client(deployment_->ServiceUrl(service));
    const HttpResult metrics = client.Get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    for (absl::string_view line : absl::StrSplit(metrics.body, '\n')) {
      if (absl::ConsumePrefix(&line, series + " ")) {
        double value = 0;
        return absl::SimpleAtod(line, &value) ? value : -1.0;
      }
    }
    return 0.0;
  }

  std::string SeatsPath(const std::string& from = "", const std::string& to = "") const {
    std::string path = "/v1/trips/" + trip_ + "/seats";
    if (!from.empty()) path += "?from=" + from + "&to=" + to;
    return path;
  }

  HttpResult Send(const std::string& method, const std::string& path, const json& body,
                  const std::string& token, HttpClient* client = nullptr,
                  std::map<std::string, std::string> headers = {}) {
    headers["Content-Type"] = "application/json";
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return (client ? client : client_.get())
        ->Send(method, path, body.is_null() ? "" : body.dump(), headers);
  }
  HttpResult Get(const std::string& path, const std::string& token = "") {
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

  std::string SignUp(const std::string& who) { return LogIn(NewAccount(who)); }
  // A new account's email.
  std::string NewAccount(const std::string& who) {
    static std::atomic<int> counter{0};
    const std::string email = absl::StrCat(who, ++counter, "@example.com");
    Created(Send("POST", "/v1/auth/register",
                 {{"email", email}, {"password", kPassword}, {"name", who}}, ""));
    return email;
  }
  std::string LogIn(const std::string& email) {
    return Ok(Send("POST", "/v1/auth/login", {{"email", email}, {"password", kPassword}},
                   ""))["access_token"];
  }
  // A new member of the operator with `role`, signed in.
  std::string AddMember(const std::string& role) {
    static std::atomic<int> counter{0};
    const std::string email = absl::StrCat(role, ++counter, "@staff.example.com");
    Created(Send("POST", "/v1/orgs/invites", {{"email", email}, {"role", role}}, owner_));
    return Created(Send("POST", "/v1/invites/accept",
                        {{"token", InviteTokenFromMail(deployment_->mail_dir(), email)},
                         {"name", role},
                         {"password", kPassword}},
                        ""))["access_token"];
  }
  // Every message notification wrote to `email` so far (the .eml files) whose subject starts
  // with `subject`.
  std::vector<std::string> MailTo(const std::string& email, const std::string& subject) {
    return FilesWith(deployment_->mail_dir(), ".eml",
                     absl::StrCat("To: ", email, "\r\nSubject: ", subject));
  }
  // The same, once there are `count` of them (polled for twenty seconds).
  std::vector<std::string> AwaitMail(const std::string& email, const std::string& subject,
                                     size_t count) {
    std::vector<std::string> mail;
    for (int i = 0; i < 200 && mail.size() < count; ++i) {
      mail = MailTo(email, subject);
      if (mail.size() < count) absl::SleepFor(absl::Milliseconds(100));
    }
    return mail;
  }

  std::string Guest(HttpClient* client = nullptr) {
    const HttpResult result = Send("POST", "/v1/auth/guest", nullptr, "", client);
    EXPECT_EQ(result.status, 200) << result.body;
    return Body(result).value("access_token", "");
  }

  HttpResult Lock(const std::string& token, const std::vector<std::string>& seats,
                  const std::string& from, const std::string& to, HttpClient* client = nullptr) {
    return Send("POST", "/v1/inventory/lock",
                {{"trip_id", trip_}, {"seats", seats}, {"from", from}, {"to", to}}, token, client);
  }

  // label -> status on the journey's seat map.
  std::map<std::string, std::string> Statuses(const std::string& from, const std::string& to) {
    std::map<std::string, std::string> statuses;
    const json map = Ok(Get(SeatsPath(from, to)));
    for (const json& deck : map["decks"]) {
      for (const json& cell : deck["cells"]) {
        if (cell.contains("status")) statuses[cell["label"]] = cell["status"];
      }
    }
    return statuses;
  }

  static inline std::map<Mode, SharedDeployment> shared_;

  std::shared_ptr<Deployment> deployment_;
  std::unique_ptr<HttpClient> client_;
  std::string owner_;
  std::string owner_email_;
  std::string org_;
  std::string trip_;
  json trip_json_;
};

}  // namespace travio::e2e
