// Seats and holds through the public API: the issue's "done when" race (200 clients for
// overlapping seats of one trip), journeys by leg, refusals, holders, operator blocks, and
// holds surviving a restart of the monolith.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/wait.h"
#include "tests/e2e/stream_reader.h"
#include "tests/e2e/trip_network.h"

namespace travio::e2e {
namespace {

class InventoryE2eTest : public TripNetworkTest {
 protected:
  bool SharesDeployment() const override { return true; }
};

struct Journey {
  std::string from;
  std::string to;
  int first_leg;
  int end_leg;
};
const Journey kJourneys[] = {{"DHK", "CTG", 0, 1}, {"CTG", "CXB", 1, 2}, {"DHK", "CXB", 0, 2}};

// The issue's "done when": 200 concurrent clients race for overlapping seats; every seat is
// held at most once per leg, and every loser is told which seats with 409 seats_unavailable.
TEST_P(InventoryE2eTest, TwoHundredRacingClientsNeverShareASeatLeg) {
  constexpr int kClients = 200;
  std::vector<std::string> tokens;
  for (int i = 0; i < kClients; ++i) tokens.push_back(Guest());
  struct Won {
    std::vector<std::string> seats;
    Journey journey;
  };
  std::mutex mutex;
  std::vector<Won> winners;
  std::vector<std::string> problems;
  std::latch start(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937 random(static_cast<unsigned>(c) * 104729u + 7u);
      HttpClient client(deployment_->base_url());
      std::set<std::string> picked;
      const int count = 1 + static_cast<int>(random() % 3);
      // Rows A..E only: forty clients' worth of seats for two hundred, so most collide.
      while (static_cast<int>(picked.size()) < count) {
        picked.insert(
            absl::StrCat(std::string(1, static_cast<char>('A' + random() % 5)), 1 + random() % 4));
      }
      const std::vector<std::string> seats(picked.begin(), picked.end());
      const Journey& journey = kJourneys[random() % 3];
      start.arrive_and_wait();
      const HttpResult result = Lock(tokens[c], seats, journey.from, journey.to, &client);
      const json body = Body(result);
      std::lock_guard lock(mutex);
      if (result.status == 201) {
        winners.push_back({seats, journey});
        return;
      }
      // A loser is told which of its seats were taken, and only those.
      bool named_mine = result.status == 409 && body.value("code", "") == "seats_unavailable" &&
                        body.contains("unavailable") && !body["unavailable"].empty();
      for (const json& seat : body.value("unavailable", json::array())) {
        named_mine = named_mine && picked.count(seat.get<std::string>()) == 1;
      }
      if (!named_mine) problems.push_back(absl::StrCat(result.status, " ", result.body));
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(problems.empty()) << problems.front();
  std::map<std::pair<std::string, int>, int> owners;
  for (const Won& won : winners) {
    for (const std::string& seat : won.seats) {
      for (int leg = won.journey.first_leg; leg < won.journey.end_leg; ++leg) {
        ++owners[{seat, leg}];
      }
    }
  }
  for (const auto& [seat_leg, count] : owners) {
    EXPECT_EQ(count, 1) << seat_leg.first << " on leg " << seat_leg.second;
  }
  EXPECT_GT(winners.size(), 5u);
  EXPECT_LT(winners.size(), static_cast<size_t>(kClients));  // the race was real
  // The seat maps agree with the winners, leg by leg.
  for (int leg = 0; leg < 2; ++leg) {
    const Journey& journey = kJourneys[leg];
    size_t held = 0;
    for (const auto& [label, status] : Statuses(journey.from, journey.to)) held += status == "held";
    size_t owned = 0;
    for (const auto& [seat_leg, count] : owners) owned += seat_leg.second == leg;
    EXPECT_EQ(held, owned) << journey.from << "-" << journey.to;
  }
}

TEST_P(InventoryE2eTest, ASeatHeldToChattogramIsStillOfferedOnwardToCoxsBazar) {
  const std::string alice = Guest();
  const json held = Created(Lock(alice, {"A1", "A2"}, "DHK", "CTG"));
  EXPECT_EQ(held["total"], json({{"amount", 180000}, {"currency", "BDT"}}));
  EXPECT_EQ(held["from"], "DHK");
  EXPECT_EQ(held["to"], "CTG");
  EXPECT_EQ(Statuses("DHK", "CTG")["A1"], "held");
  EXPECT_EQ(Statuses("CTG", "CXB")["A1"], "available");
  EXPECT_EQ(Statuses("DHK", "CXB")["A1"], "held");
  EXPECT_EQ(Ok(Get(SeatsPath("CTG", "CXB")))["available"], 40);
  EXPECT_EQ(Ok(Get(SeatsPath("DHK", "CXB")))["available"], 38);
  const json onward = Created(Lock(Guest(), {"A1"}, "CTG", "CXB"));
  EXPECT_EQ(onward["total"]["amount"], 60000);
  const HttpResult whole = Lock(Guest(), {"A3", "A1"}, "DHK", "CXB");
  EXPECT_EQ(whole.status, 409);
  EXPECT_EQ(Body(whole)["unavailable"], json({"A1"}));
}

TEST_P(InventoryE2eTest, OnlyTheHolderSeesOrReleasesAHold) {
  const std::string alice = Guest();
  const std::string bob = SignUp("bob");
  const json held = Created(Lock(alice, {"B1"}, "DHK", "CXB"));
  const std::string path = "/v1/inventory/lock/" + held["hold_id"].get<std::string>();
  EXPECT_EQ(Ok(Get(path, alice))["seats"], json({"B1"}));
  EXPECT_EQ(Get(path, bob).status, 404);
  EXPECT_EQ(Send("DELETE", path, nullptr, bob).status, 404);
  EXPECT_EQ(Get(path, "").status, 401);
  EXPECT_EQ(Statuses("DHK", "CXB")["B1"], "held");
  EXPECT_EQ(Send("DELETE", path, nullptr, alice).status, 204);
  EXPECT_EQ(Get(path, alice).status, 404);
  EXPECT_EQ(Statuses("DHK", "CXB")["B1"], "available");
}

TEST_P(InventoryE2eTest, BadRequestsGetClearProblemsAndHoldNothing) {
  const std::string guest = Guest();
  auto code = [](const HttpResult& result) { return Body(result).value("code", ""); };
  HttpResult unknown = Lock(guest, {"Z9"}, "DHK", "CXB");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(code(unknown), "invalid_seats");
  EXPECT_EQ(Body(unknown)["errors"][0]["field"], "seats[0]");
  EXPECT_EQ(code(Lock(guest, {"A1"}, "CXB", "DHK")), "invalid_journey");
  EXPECT_EQ(Lock(guest, {"A1"}, "CXB", "DHK").status, 422);
  EXPECT_EQ(Lock(guest, {"A1"}, "DHK", "").status, 400);
  EXPECT_EQ(Lock(guest, {"A1"}, "dhk<script>", "CXB").status, 400);
  EXPECT_EQ(Lock(guest, {"A1", "A2", "A3", "A4", "B1", "B2", "B3"}, "DHK", "CXB").status, 429);
  EXPECT_EQ(
      Send("POST", "/v1/inventory/lock", {{"trip_id", "not-a-trip"}, {"seats", {"A1"}}}, guest)
          .status,
      400);
  EXPECT_EQ(Send("POST", "/v1/inventory/lock",
                 {{"trip_id", trip_}, {"seats", {"A1"}}, {"extra", 1}}, guest)
                .status,
            400);
  EXPECT_EQ(Send("POST", "/v1/inventory/lock",
                 {{"trip_id", "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900010"}, {"seats", {"A1"}}}, guest)
                .status,
            404);
  EXPECT_EQ(Lock("", {"A1"}, "DHK", "CXB").status, 401);
  EXPECT_EQ(Get(SeatsPath("DHK", "SYL")).status, 422);
  EXPECT_EQ(Get("/v1/trips/not-a-trip/seats").status, 404);
  EXPECT_EQ(Ok(Get(SeatsPath()))["available"], 40);  // nothing was held
  // Three live holds per traveller, then 429 hold_limit.
  for (const char* seat : {"C1", "C2", "C3"}) Created(Lock(guest, {seat}, "DHK", "CXB"));
  const HttpResult limited = Lock(guest, {"C4"}, "DHK", "CXB");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(code(limited), "hold_limit");
}

TEST_P(InventoryE2eTest, OperatorsBlockSeatsOfTheirOwnTrips) {
  const std::string blocks = "/v1/operator/trips/" + trip_ + "/blocks";
  const std::string stranger = SignUp("stranger");
  Created(Send("POST", "/v1/orgs", {{"name", "Other Lines"}}, stranger));
  EXPECT_EQ(Send("POST", blocks, {{"seats", {"J1"}}}, stranger).status, 404);
  const json block = Created(Send("POST", blocks, {{"seats", {"J1", "J2"}}}, owner_));
  EXPECT_EQ(block["from"], "DHK");
  EXPECT_EQ(block["to"], "CXB");
  EXPECT_EQ(Statuses("CTG", "CXB")["J1"], "blocked");
  EXPECT_EQ(Lock(Guest(), {"J1"}, "CTG", "CXB").status, 409);
  const json leg =
      Created(Send("POST", blocks, {{"seats", {"J3"}}, {"from", "CTG"}, {"to", "CXB"}}, owner_));
  // The blocks are listed for the console, with their journeys; never to another organization.
  EXPECT_EQ(Send("GET", blocks, nullptr, stranger).status, 404);
  const json listed = Body(Send("GET", blocks, nullptr, owner_));
  ASSERT_EQ(listed["items"].size(), 2u) << listed.dump();
  EXPECT_EQ(listed["items"][0]["id"], block["id"]);
  EXPECT_EQ(listed["items"][0]["seats"], json({"J1", "J2"}));
  EXPECT_EQ(listed["items"][0]["from"], "DHK");
  EXPECT_EQ(listed["items"][1]["seats"], json({"J3"}));
  EXPECT_EQ(listed["items"][1]["from"], "CTG");
  EXPECT_EQ(listed["items"][1]["to"], "CXB");
  EXPECT_EQ(Send("DELETE", blocks + "/" + block["id"].get<std::string>(), nullptr, stranger).status,
            404);
  EXPECT_EQ(Send("DELETE", blocks + "/" + block["id"].get<std::string>(), nullptr, owner_).status,
            204);
  EXPECT_EQ(Statuses("CTG", "CXB")["J1"], "available");
  // Put back on sale, a block is no longer listed.
  const json left = Body(Send("GET", blocks, nullptr, owner_));
  ASSERT_EQ(left["items"].size(), 1u);
  EXPECT_EQ(left["items"][0]["id"], leg["id"]);
}

// The monolith keeps its holds in memory, journaled to SQLite; microservices keep them in
// Redis. Either way a restarted inventory still has them.
TEST_P(InventoryE2eTest, HoldsSurviveARestartOfTheInventory) {
  const std::string guest = Guest();
  const json held = Created(Lock(guest, {"D1", "D2"}, "DHK", "CTG"));
  auto restarted = deployment_->Restart("inventory");
  ASSERT_OK(restarted) << deployment_->Logs();
  client_ = std::make_unique<HttpClient>(deployment_->base_url());
  EXPECT_EQ(Statuses("DHK", "CTG")["D1"], "held");
  EXPECT_EQ(Statuses("CTG", "CXB")["D1"], "available");
  EXPECT_EQ(Ok(Get("/v1/inventory/lock/" + held["hold_id"].get<std::string>(), guest))["seats"],
            json({"D1", "D2"}));
  EXPECT_EQ(Lock(Guest(), {"D2"}, "DHK", "CXB").status, 409);
}

// The issue's "done when", search part: the trip is found from an intermediate stop, and its
// seats_available follows a hold within moments (the read model is fed by events).
TEST_P(InventoryE2eTest, SearchFindsTheTripFromAnIntermediateStopAndFollowsHolds) {
  const std::string date = trip_json_["stops"][1]["depart_at"].get<std::string>().substr(0, 10);
  const std::string path = "/v1/search?from=CTG&to=CXB&date=" + date;
  auto seats_found = [&]() -> int {
    const HttpResult result = Get(path);
    if (result.status != 200) return -1;
    const json body = Body(result);
    for (const json& item : body["items"]) {
      if (item["trip_id"] == trip_) return item["seats_available"].get<int>();
    }
    return -1;
  };
  auto wait_for = [&](int seats) {
    testing::WaitFor([&] { return seats_found() == seats; }, absl::Seconds(10));
    return seats_found();
  };
  ASSERT_EQ(wait_for(40), 40) << deployment_->Logs();
  json found;  // this case's trip among the others on that day
  const json day = Body(Get(path));
  for (const json& item : day["items"]) {
    if (item["trip_id"] == trip_) found = item;
  }
  EXPECT_EQ(found["from"], json({{"code", "CTG"}, {"name", "Chattogram"}}));
  EXPECT_EQ(found["to"]["name"], "Cox's Bazar");
  EXPECT_EQ(found["operator"]["name"], "Shohagh Paribahan");
  EXPECT_EQ(found["fare"], json({{"amount", 60000}, {"currency", "BDT"}}));
  EXPECT_EQ(found["duration_min"], 225);
  EXPECT_EQ(found["bus"]["class"], "seater");
  Created(Lock(Guest(), {"A1", "A2"}, "CTG", "CXB"));
  EXPECT_EQ(wait_for(38), 38);
  // A hold on the first leg only leaves this journey's seats alone. Search reads a trip's seat
  // events in order, so once it counts a later hold of two seats on this journey, it has read
  // B1's: 36 then, where a counted B1 would have made it 35 (never 36).
  Created(Lock(Guest(), {"B1"}, "DHK", "CTG"));
  Created(Lock(Guest(), {"C1", "C2"}, "CTG", "CXB"));
  EXPECT_EQ(wait_for(36), 36);
  // Stations despite typos and former names.
  const json stations = Ok(Get("/v1/search/stations?q=chatogram"));
  ASSERT_FALSE(stations["items"].empty());
  EXPECT_EQ(stations["items"][0]["code"], "CTG");
  EXPECT_EQ(Ok(Get("/v1/search/stations?q=chittagong"))["items"][0]["code"], "CTG");
  EXPECT_EQ(Ok(Get("/v1/search/stations?q=coxs%20bazar"))["items"][0]["code"], "CXB");
  // Bad searches are refused with the fields named.
  const HttpResult bad = Get("/v1/search?from=ctg&to=CXB&date=2026-13-40&sort=cheapest");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["errors"].size(), 3u);
  EXPECT_EQ(Get(path + "&cursor=garbage").status, 400);
  // A day spelled otherwise is no date (review finding: each spelling of a day was a search
  // of a day not in memory, read from the snapshot, and cached apart).
  for (const std::string spelling : {"%2B2026-12-1", "2026-1-5%20%20", "02026-12-1"}) {
    EXPECT_EQ(Get("/v1/search?from=CTG&to=CXB&date=" + spelling).status, 400) << spelling;
  }
}

// Browsers watching a trip get each seat change as a server-sent event.
TEST_P(InventoryE2eTest, SeatChangesArePushedToWatchers) {
  StreamReader watcher(deployment_->base_url(), "/v1/trips/" + trip_ + "/seats/stream");
  const std::string& opened = watcher.ReadUntil(": watching");
  ASSERT_NE(opened.find("HTTP/1.1 200"), std::string::npos) << opened;
  EXPECT_NE(opened.find("text/event-stream"), std::string::npos);
  const std::string guest = Guest();
  const json held = Created(Lock(guest, {"C3"}, "CTG", "CXB"));
  const std::string& placed = watcher.ReadUntil("hold.placed.v1");
  ASSERT_NE(placed.find("event: seats"), std::string::npos) << placed;
  EXPECT_NE(placed.find(R"("seats":["C3"])"), std::string::npos) << placed;
  EXPECT_NE(placed.find(R"("status":"held")"), std::string::npos);
  EXPECT_NE(placed.find(R"("from":"CTG")"), std::string::npos);
  ASSERT_EQ(
      Send("DELETE", "/v1/inventory/lock/" + held["hold_id"].get<std::string>(), nullptr, guest)
          .status,
      204);
  const std::string& released = watcher.ReadUntil("hold.released.v1");
  EXPECT_NE(released.find(R"("status":"available")"), std::string::npos) << released;
  // An unknown trip has no stream.
  EXPECT_EQ(Get("/v1/trips/0192f0c4-6c1b-7c3e-9a2b-5d7e8f900099/seats/stream").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Deployments, InventoryE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
