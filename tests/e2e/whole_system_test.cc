// The whole system as a deployment runs it: every target in its own process, the gateway and
// inventory twice, on PostgreSQL, a three-master Redis Cluster and RabbitMQ. An owner sets up
// an organization and invites a manager, who builds a bus, a route, a schedule and its trips and
// guards the trip on sale with a waiting room; travellers pass the room, race for seats through
// both gateways, order and pay; tickets and emails arrive and a conductor scans one. Meanwhile
// one instance of inventory, order and a gateway is killed and started again: bookings are
// delayed, never lost or doubled, every order ends confirmed, and the books reconcile.
#include <csignal>
#include <mutex>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platform/base/local_time.h"
#include "platform/testing/test_servers.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

// The date `days` from today in Dhaka, as the catalog writes dates.
std::string DayInDhaka(int days) {
  LocalDate date = DateInZone(absl::Now(), "Asia/Dhaka");
  for (int i = 0; i < days; ++i) date = NextDay(date);
  return FormatLocalDate(date);
}

// A call that failed for a reason that passes: the process behind it was down or restarting
// (no answer, 502/503/504), or the same request is still being handled.
bool Transient(const HttpResult& result) {
  if (result.status == 0 || result.status >= 500 || result.status == 429) return true;
  return result.status == 409 &&
         Body(result).value("code", "") == std::string("request_in_progress");
}

class WholeSystemTest : public OrderApiTest {
 protected:
  std::map<std::string, std::string> Environment() const override {
    auto environment = OrderApiTest::Environment();
    const auto& servers = testing::SharedTestServers();
    std::string seeds;
    for (int port : servers.redis_cluster_ports) {
      absl::StrAppend(&seeds, seeds.empty() ? "" : ",", servers.redis_host, ":", port);
    }
    environment["TRAVIO_REDIS_MODE"] = "cluster";
    environment["TRAVIO_REDIS_ADDR"] = seeds;
    environment["TRAVIO_QUEUE_TICK_INTERVAL"] = "100ms";
    environment["TRAVIO_PAYMENT_RECONCILE_INTERVAL"] = "1s";
    environment["TRAVIO_PAYMENT_RECONCILE_SETTLE"] = "2s";
    return environment;
  }
  std::set<std::string> Doubled() const override { return {"gateway", "inventory"}; }
  Microservices& Cluster() { return static_cast<Microservices&>(*deployment_); }

  // Sends until the answer is not a transient failure, for up to two minutes.
  HttpResult Persist(const std::function<HttpResult()>& send) {
    HttpResult result;
    for (int attempt = 0; attempt < 600; ++attempt) {
      result = send();
      if (!Transient(result)) return result;
      ++retries_;
      absl::SleepFor(absl::Milliseconds(200));
    }
    return result;
  }

  // The value of a counter in `service`'s /metrics (0 when not there yet).
  double Counter(const std::string& service, const std::string& series) {
    HttpClient client(deployment_->ServiceUrl(service));
    const HttpResult metrics = client.Get("/metrics");
    for (absl::string_view line : absl::StrSplit(metrics.body, '\n')) {
      double value = 0;
      if (absl::ConsumePrefix(&line, series + " ") && absl::SimpleAtod(line, &value)) return value;
    }
    return 0;
  }

  std::atomic<int> retries_{0};
};

struct Traveller {
  std::string gateway;  // "gateway" or "gateway-2"
  std::string email;
  std::vector<std::string> seats;  // wanted, in order of preference
  std::string token;
  std::string seat;  // the one bought
  std::string order_id;
  std::vector<std::string> refused;  // seats found taken
};

TEST_P(WholeSystemTest, TheWholeStoryThroughKillsAndRestartsLosesAndDoublesNoBooking) {
  // The owner's organization exists (the fixture); a manager is invited and joins by email.
  const std::string manager = AddMember("manager");
  const std::string conductor = AddMember("conductor");

  // The manager builds a bus, a route, a daily schedule and its trips.
  const json bus = Created(Send("POST", "/v1/operator/buses",
                                {{"plate", "DHAKA METRO-BA 11-0777"},
                                 {"class", "seater"},
                                 {"ac", true},
                                 {"layout", {{"template", "2+2"}, {"rows", 10}}}},
                                manager));
  const json route = Created(
      Send("POST", "/v1/catalog/routes",
           {{"name", "Dhaka - Cox's Bazar express"},
            {"stops",
             {{{"station", "DHK"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}},
              {{"station", "CXB"}, {"arrive_offset_min", 540}, {"depart_offset_min", 540}}}}},
           manager));
  const json schedule = Created(
      Send("POST", "/v1/catalog/schedules",
           {{"route_id", route["id"]},
            {"bus_id", bus["id"]},
            {"departure_time", "21:00"},
            {"days", "daily"},
            {"start_date", DayInDhaka(3)},
            {"end_date", DayInDhaka(30)},
            {"fares", {{{"from", "DHK"}, {"to", "CXB"}, {"amount", 150000}, {"currency", "BDT"}}}}},
           manager));
  const json generated =
      Ok(Send("POST", "/v1/catalog/schedules/" + schedule["id"].get<std::string>() + "/generate",
              {{"until", DayInDhaka(4)}}, manager));
  ASSERT_EQ(generated["created"], 2);
  const json trips = Ok(Get("/v1/catalog/trips?route_id=" + route["id"].get<std::string>() +
                                "&from_date=" + DayInDhaka(3) + "&to_date=" + DayInDhaka(3),
                            manager));
  ASSERT_EQ(trips["items"].size(), 1u) << trips.dump();
  const std::string trip = trips["items"][0]["id"];
  // Each gateway's inventory learns of the trip from the catalog's event.
  for (const std::string gateway : {"gateway", "gateway-2"}) {
    HttpClient client(Cluster().base_url(gateway));
    int status = 0;
    for (int i = 0; i < 400 && status != 200; ++i) {
      status = static_cast<int>(client.Get("/v1/trips/" + trip + "/seats").status);
      if (status != 200) absl::SleepFor(absl::Milliseconds(25));
    }
    ASSERT_EQ(status, 200) << gateway << deployment_->Logs();
  }
  // The conductor is put on the trip's crew.
  const json staff = Created(Send("POST", "/v1/operator/staff",
                                  {{"name", "Shafiq Rahman"},
                                   {"role", "conductor"},
                                   {"phone", "+8801711000099"},
                                   {"user_id", Ok(Get("/v1/me", conductor))["id"]}},
                                  manager));
  Created(Send("POST", "/v1/operator/trips/" + trip + "/assignments",
               {{"staff_id", staff["id"]}, {"duty", "conductor"}}, manager));
  // The drop: a waiting room lets four travellers shop at a time, two more a second (so the
  // shopping outlasts the kills below).
  const HttpResult room = Send("PUT", "/v1/queue/rooms/eid-drop",
                               {{"name", "Eid drop"},
                                {"mode", "on_demand"},
                                {"trip_ids", {trip}},
                                {"admit_per_minute", 120},
                                {"max_active", 4},
                                {"session_minutes", 10}},
                               manager, nullptr, {{"X-Org-Id", org_}});
  ASSERT_EQ(room.status, 200) << room.body;

  // Twelve travellers, half on each gateway; two want each of six seats.
  const std::vector<std::string> contested = {"A1", "A2", "B1", "B2", "C1", "C2"};
  const std::vector<std::string> spare = {"D1", "D2", "E1", "E2", "F1", "F2",
                                          "G1", "G2", "H1", "H2", "J1", "J2"};
  std::vector<Traveller> travellers(12);
  for (size_t i = 0; i < travellers.size(); ++i) {
    Traveller& traveller = travellers[i];
    traveller.gateway = i % 2 == 0 ? "gateway" : "gateway-2";
    traveller.email = absl::StrCat("traveller", i, "@example.com");
    traveller.seats = {contested[i / 2]};
    for (size_t k = 0; k < spare.size(); ++k) {
      traveller.seats.push_back(spare[(i + k) % spare.size()]);
    }
  }
  std::atomic<int> holds{0};
  std::atomic<int> done{0};
  auto shop = [&](Traveller& traveller, size_t index) {
    HttpClient client(Cluster().base_url(traveller.gateway));
    traveller.token = Body(Persist([&] {
                        return Send("POST", "/v1/auth/guest", nullptr, "", &client);
                      })).value("access_token", "");
    // The waiting room: join, then poll until admitted.
    const HttpResult joined = Persist([&] {
      return Send("POST", "/v1/queue/rooms/eid-drop/join", nullptr, traveller.token, &client);
    });
    json admission = Body(joined);
    for (int i = 0; i < 600 && admission.value("status", "") != "admitted"; ++i) {
      absl::SleepFor(absl::Milliseconds(100));
      const std::string ticket = Body(joined).value("ticket", "");
      const HttpResult polled = Persist([&] {
        return Send("GET", "/v1/queue/rooms/eid-drop/status?ticket=" + ticket, nullptr,
                    traveller.token, &client);
      });
      admission = Body(polled);
    }
    ASSERT_EQ(admission.value("status", ""), "admitted") << admission.dump();
    const std::string queue_token = admission["queue_token"];
    // A seat: the wanted one, or the next when it is taken.
    json hold;
    for (const std::string& seat : traveller.seats) {
      const HttpResult locked = Persist([&] {
        return Send("POST", "/v1/inventory/lock",
                    {{"trip_id", trip}, {"seats", {seat}}, {"from", "DHK"}, {"to", "CXB"}},
                    traveller.token, &client, {{"Queue-Token", queue_token}});
      });
      if (locked.status == 201) {
        hold = Body(locked);
        traveller.seat = seat;
        ++holds;
        break;
      }
      ASSERT_EQ(locked.status, 409) << locked.body;  // taken: by another, or by a lost reply
      traveller.refused.push_back(seat);
    }
    ASSERT_FALSE(traveller.seat.empty());
    const std::string key = absl::StrCat("whole-system-", index);
    const HttpResult ordered = Persist([&] {
      return Send("POST", "/v1/orders",
                  {{"hold_id", hold["hold_id"]},
                   {"passengers",
                    {{{"seat", traveller.seat},
                      {"name", "Traveller " + std::to_string(index)},
                      {"gender", "female"},
                      {"age", 30}}}},
                   {"contact", {{"email", traveller.email}}}},
                  traveller.token, &client, {{"Idempotency-Key", key}});
    });
    ASSERT_EQ(ordered.status, 201) << ordered.body;
    traveller.order_id = Body(ordered)["id"];
    // Paid with one key however often the reply is lost; a payment the order process was
    // killed in the middle of is finished by its saga's recovery.
    for (int attempt = 0; attempt < 300; ++attempt) {
      const HttpResult paid = Persist([&] {
        return Send("POST", "/v1/payments",
                    {{"order_id", traveller.order_id},
                     {"method",
                      {{"type", "card"},
                       {"number", kGoodCard},
                       {"exp_month", 12},
                       {"exp_year", 2035},
                       {"cvc", "123"}}}},
                    traveller.token, &client, {{"Idempotency-Key", key}});
      });
      if (paid.status == 201) break;
      const HttpResult read = Persist([&] {
        return Send("GET", "/v1/orders/" + traveller.order_id, nullptr, traveller.token, &client);
      });
      if (Body(read).value("status", "") == "confirmed") break;
      absl::SleepFor(absl::Milliseconds(200));
    }
  };

  const absl::Time started = absl::Now();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < travellers.size(); ++i) {
    threads.emplace_back([&, i] {
      shop(travellers[i], i);
      ++done;
    });
  }
  // While they shop: one inventory, the order service and one gateway die and come back.
  for (int i = 0; i < 500 && holds.load() < 1; ++i) absl::SleepFor(absl::Milliseconds(20));
  for (const std::string victim : {"inventory-2", "order", "gateway-2"}) {
    absl::SleepFor(absl::Milliseconds(300));
    // Killed while travellers are still shopping, or the kill would prove nothing.
    EXPECT_LT(done.load(), static_cast<int>(travellers.size())) << victim << " killed too late";
    deployment_->Signal(victim, SIGKILL);
    absl::SleepFor(absl::Milliseconds(500));
    ASSERT_OK(deployment_->Restart(victim)) << victim << deployment_->Logs();
  }
  for (std::thread& thread : threads) thread.join();
  const absl::Duration shopping = absl::Now() - started;

  // Every traveller bought one seat; no seat was sold twice.
  std::map<std::string, std::string> buyer_of_seat;
  int64_t paid_total = 0;
  for (size_t i = 0; i < travellers.size(); ++i) {
    const Traveller& traveller = travellers[i];
    ASSERT_FALSE(traveller.order_id.empty()) << "traveller " << i << deployment_->Logs();
    const json order = AwaitStatus(traveller.token, traveller.order_id, "confirmed");
    ASSERT_EQ(order["status"], "confirmed") << order.dump();
    EXPECT_EQ(order["seats"], json({traveller.seat}));
    EXPECT_TRUE(buyer_of_seat.emplace(traveller.seat, traveller.order_id).second)
        << traveller.seat << " sold twice";
    // One order per traveller, whatever was retried.
    EXPECT_EQ(Ok(Get("/v1/orders", traveller.token))["items"].size(), 1u) << traveller.email;
    const json payment = CapturedPayment(order);
    ASSERT_FALSE(payment.is_null()) << order.dump();
    EXPECT_EQ(payment["amount"], order["total"]);
    paid_total += payment["amount"]["amount"].get<int64_t>();
  }
  EXPECT_EQ(buyer_of_seat.size(), travellers.size());
  EXPECT_EQ(paid_total, 150000 * static_cast<int64_t>(travellers.size()));
  // Each contested seat went to one of the two who wanted it.
  for (const std::string& seat : contested) EXPECT_TRUE(buyer_of_seat.count(seat)) << seat;
  // Both gateways' seat maps agree: each seat sold is booked.
  for (const std::string gateway : {"gateway", "gateway-2"}) {
    HttpClient client(Cluster().base_url(gateway));
    const json map = Body(client.Get("/v1/trips/" + trip + "/seats"));
    std::set<std::string> booked;
    for (const json& deck : map["decks"]) {
      for (const json& cell : deck["cells"]) {
        if (cell.value("status", "") == "booked") booked.insert(cell["label"]);
      }
    }
    std::set<std::string> sold;
    for (const auto& [seat, order] : buyer_of_seat) sold.insert(seat);
    EXPECT_EQ(booked, sold) << gateway;
  }

  // Tickets are issued and mailed to each traveller; the conductor boards one, once.
  std::string first_ticket;
  for (const Traveller& traveller : travellers) {
    json order;
    for (int i = 0; i < 300; ++i) {
      order = Ok(Get("/v1/orders/" + traveller.order_id, traveller.token));
      if (order.contains("fulfillment") && order["fulfillment"]["status"] == "issued") break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_EQ(order["tickets"].size(), 1u) << order.dump() << deployment_->Logs();
    if (first_ticket.empty()) first_ticket = order["tickets"][0]["id"];
    EXPECT_EQ(AwaitMail(traveller.email, "Your tickets:", 1).size(), 1u) << traveller.email;
  }
  const json ticket = Ok(Get("/v1/tickets/" + first_ticket, travellers[0].token));
  const HttpResult boarded =
      Send("POST", "/v1/boarding/scan", {{"qr", ticket["qr"]}, {"trip_id", trip}}, conductor);
  EXPECT_EQ(boarded.status, 200) << boarded.body;
  EXPECT_EQ(Send("POST", "/v1/boarding/scan", {{"qr", ticket["qr"]}, {"trip_id", trip}}, conductor)
                .status,
            409);

  // The books reconcile: two runs of the payment reconciler after the last payment find no
  // difference between Travio's records and the provider's.
  const std::string runs = "travio_payment_reconciliation_runs_total{outcome=\"clean\"}";
  const double runs_before = Counter("payment", runs);
  for (int i = 0; i < 300 && Counter("payment", runs) < runs_before + 2; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_GE(Counter("payment", runs), runs_before + 2);
  const json mismatches = Ok(Get("/v1/operator/payments/mismatches", owner_))["items"];
  EXPECT_TRUE(mismatches.empty()) << mismatches.dump();

  std::fprintf(stderr,
               "whole system: 12 travellers shopped through 3 kills and restarts in %.1f s, "
               "%d calls retried\n",
               absl::ToDoubleSeconds(shopping), retries_.load());
}

INSTANTIATE_TEST_SUITE_P(Deployments, WholeSystemTest, ::testing::Values(Mode::kMicroservices),
                         ModeName);

}  // namespace
}  // namespace travio::e2e
