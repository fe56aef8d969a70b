// Replicas (issue 22): two gateways, two inventory and two search processes serve one trip. A
// read model in each replica's memory (a gateway's seat stream, a search index) sees every event,
// whichever replica the change went through, and racing travellers on different gateways and
// inventory processes never hold one seat twice.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/wait.h"
#include "tests/e2e/stream_reader.h"
#include "tests/e2e/trip_network.h"

namespace travio::e2e {
namespace {

using testing::HttpClient;

class ReplicasE2eTest : public TripNetworkTest {
 protected:
  std::set<std::string> Doubled() const override { return {"gateway", "inventory", "search"}; }
  // The second gateway, which calls the second inventory and search processes.
  std::string SecondGateway() const {
    return static_cast<const Microservices&>(*deployment_).base_url("gateway-2");
  }

  // The trip's seats_available CTG -> CXB in the search behind `client`'s gateway.
  int SeatsFound(HttpClient& client) {
    const std::string date = trip_json_["stops"][1]["depart_at"].get<std::string>().substr(0, 10);
    const HttpResult result = client.Get("/v1/search?from=CTG&to=CXB&date=" + date);
    if (result.status != 200) return -1;
    const json body = Body(result);
    for (const json& item : body["items"]) {
      if (item["trip_id"] == trip_) return item["seats_available"].get<int>();
    }
    return -1;
  }
};

TEST_P(ReplicasE2eTest, EachGatewayStreamsAndEachSearchCountsHoldsMadeThroughTheOther) {
  HttpClient second(SecondGateway());
  const std::string stream = "/v1/trips/" + trip_ + "/seats/stream";
  StreamReader first_watcher(deployment_->base_url(), stream);
  StreamReader second_watcher(SecondGateway(), stream);
  ASSERT_NE(first_watcher.ReadUntil(": watching").find("HTTP/1.1 200"), std::string::npos);
  ASSERT_NE(second_watcher.ReadUntil(": watching").find("HTTP/1.1 200"), std::string::npos);

  // One hold through each gateway (and so each inventory process).
  Created(Lock(Guest(), {"C3"}, "CTG", "CXB"));
  Created(Lock(Guest(&second), {"C4"}, "CTG", "CXB", &second));
  for (StreamReader* watcher : {&first_watcher, &second_watcher}) {
    const std::string& seen = watcher->ReadUntil(R"("seats":["C4"])");
    EXPECT_NE(seen.find(R"("seats":["C3"])"), std::string::npos) << seen;
    EXPECT_NE(seen.find(R"("seats":["C4"])"), std::string::npos) << seen;
  }

  // Both search replicas count both holds (forty seats, two held on CTG -> CXB).
  testing::WaitFor([&] { return SeatsFound(*client_) == 38 && SeatsFound(second) == 38; },
                   absl::Seconds(20));
  EXPECT_EQ(SeatsFound(*client_), 38) << deployment_->Logs();
  EXPECT_EQ(SeatsFound(second), 38) << deployment_->Logs();
}

// The issue's proof: two gateways and two inventory processes on one trip, travellers racing
// for the same seats through different ones, and never a seat held twice.
TEST_P(ReplicasE2eTest, RacingTravellersOnDifferentGatewaysNeverHoldASeatTwice) {
  const std::vector<std::string> seats = {"D1", "D2", "D3", "D4", "E1", "E2", "E3", "E4"};
  std::atomic<int> held{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  for (const std::string& seat : seats) {
    std::latch start(2);
    std::vector<std::thread> racers;
    for (const std::string& base_url : {deployment_->base_url(), SecondGateway()}) {
      racers.emplace_back([&, base_url] {
        HttpClient client(base_url);
        const std::string guest = Guest(&client);
        start.arrive_and_wait();
        const HttpResult result = Lock(guest, {seat}, "DHK", "CXB", &client);
        if (result.status == 201) {
          ++held;
        } else if (result.status == 409 && Body(result).value("code", "") == "seats_unavailable") {
          ++refused;
        } else {
          ++other;
          ADD_FAILURE() << result.status << " " << result.body;
        }
      });
    }
    for (std::thread& racer : racers) racer.join();
  }
  EXPECT_EQ(held.load(), static_cast<int>(seats.size()));
  EXPECT_EQ(refused.load(), static_cast<int>(seats.size()));
  EXPECT_EQ(other.load(), 0);
  // Each gateway's seat map (through its own inventory process) shows every raced seat held.
  HttpClient second(SecondGateway());
  for (HttpClient* client : {client_.get(), &second}) {
    const json map = Body(client->Get(SeatsPath("DHK", "CXB")));
    int raced_held = 0;
    for (const json& deck : map["decks"]) {
      for (const json& cell : deck["cells"]) {
        if (cell.contains("status") && cell["status"] == "held" &&
            std::find(seats.begin(), seats.end(), cell["label"]) != seats.end()) {
          ++raced_held;
        }
      }
    }
    EXPECT_EQ(raced_held, static_cast<int>(seats.size()));
  }
}

INSTANTIATE_TEST_SUITE_P(Deployments, ReplicasE2eTest, ::testing::Values(Mode::kMicroservices),
                         ModeName);

}  // namespace
}  // namespace travio::e2e
