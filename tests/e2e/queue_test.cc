// The waiting room through the public API, on both deployments: a guarded trip refuses holds
// without a queue token (428, naming the room); a traveller joins the pre-queue, waits for the
// opening and is admitted; holds with the token; another guest cannot use that token (403); a
// token past its expiry is refused; an order ends the session (and its token) and hands its
// place on.
#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "platform/base/rfc3339.h"
#include "platform/testing/wait.h"
#include "services/queue/api/queue_token.h"
#include "services/queue/storage/keys/file_token_keys.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

class QueueE2eTest : public OrderApiTest {
 protected:
  std::map<std::string, std::string> Environment() const override {
    auto environment = OrderApiTest::Environment();
    environment["TRAVIO_QUEUE_TICK_INTERVAL"] = "100ms";
    return environment;
  }

  // A scheduled room opening in `opens_in`, its pre-queue open already.
  HttpResult PutRoom(absl::Duration opens_in) {
    return Send("PUT", "/v1/queue/rooms/e2e-drop",
                {{"name", "E2E drop"},
                 {"mode", "scheduled"},
                 {"trip_ids", {trip_}},
                 {"opens_at", FormatRfc3339(absl::Now() + opens_in)},
                 {"pre_queue_minutes", 5},
                 {"admit_per_minute", 600},
                 {"max_active", 1},
                 {"session_minutes", 10}},
                owner_, nullptr, {{"X-Org-Id", org_}});
  }
  HttpResult LockWith(const std::string& token, const std::string& queue_token,
                      const std::vector<std::string>& seats) {
    std::map<std::string, std::string> headers;
    if (!queue_token.empty()) headers["Queue-Token"] = queue_token;
    return Send("POST", "/v1/inventory/lock", {{"trip_id", trip_}, {"seats", seats}}, token,
                nullptr, headers);
  }
  // Polls the ticket as a browser would, until admitted (or 60 s: a pre-queue caller learns of
  // its admission at its own moment in the 20 s after the opening).
  json AwaitAdmission(const std::string& token, const std::string& ticket) {
    json last;
    for (int i = 0; i < 600; ++i) {
      const HttpResult status =
          Send("GET", "/v1/queue/rooms/e2e-drop/status?ticket=" + ticket, nullptr, token);
      last = Body(status);
      if (status.status == 200) return last;
      EXPECT_EQ(status.status, 202) << status.body;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "never admitted: " << last.dump() << deployment_->Logs();
    return last;
  }
};

TEST_P(QueueE2eTest, AGuardedTripIsSoldOnlyToAdmittedCallersWithTheirOwnToken) {
  ASSERT_EQ(Get("/v1/trips/" + trip_ + "/queue").status, 404);
  const HttpResult room = PutRoom(absl::Seconds(3));
  ASSERT_EQ(room.status, 200) << room.body;
  EXPECT_EQ(Body(room)["status"], "pre_queue");
  EXPECT_EQ(Body(room)["shuffle"]["commitment"].get<std::string>().size(), 64u);
  EXPECT_FALSE(Body(room)["shuffle"].contains("seed"));
  const json guard = Ok(Get("/v1/trips/" + trip_ + "/queue"));
  EXPECT_EQ(guard["room_id"], "e2e-drop");

  const std::string alice = Guest();
  const std::string bob = Guest();
  const HttpResult refused = LockWith(alice, "", {"A1"});
  EXPECT_EQ(refused.status, 428) << refused.body;
  EXPECT_EQ(Body(refused)["code"], "queue_token_required");
  EXPECT_EQ(Body(refused)["room_id"], "e2e-drop");

  const HttpResult joined = Send("POST", "/v1/queue/rooms/e2e-drop/join", nullptr, alice);
  ASSERT_EQ(joined.status, 202) << joined.body;
  EXPECT_TRUE(Body(joined)["position"].is_null());  // the pre-queue is drawn at the opening
  EXPECT_FALSE(Header(joined, "retry-after").empty());
  const std::string ticket = Body(joined)["ticket"];
  const HttpResult again = Send("POST", "/v1/queue/rooms/e2e-drop/join", nullptr, alice);
  EXPECT_EQ(Body(again)["ticket"], ticket);
  // Bob cannot read Alice's place.
  EXPECT_EQ(Send("GET", "/v1/queue/rooms/e2e-drop/status?ticket=" + ticket, nullptr, bob).status,
            403);

  const json admitted = AwaitAdmission(alice, ticket);
  ASSERT_EQ(admitted["status"], "admitted");
  const std::string queue_token = admitted["queue_token"];
  const json held = Created(LockWith(alice, queue_token, {"A1"}));
  EXPECT_EQ(held["seats"], json({"A1"}));
  // Another guest with Alice's token: refused.
  const HttpResult stolen = LockWith(bob, queue_token, {"A2"});
  EXPECT_EQ(stolen.status, 403) << stolen.body;
  EXPECT_EQ(Body(stolen)["code"], "queue_token_invalid");
  EXPECT_EQ(LockWith(alice, "v4.public.forged", {"A2"}).status, 403);
  // A token past its expiry, signed with the queue's own key: refused.
  ASSERT_OK_AND_ASSIGN(auto keys, queue::LoadOrCreateTokenKeys(deployment_->queue_keys_dir()));
  ASSERT_OK_AND_ASSIGN(queue::QueueTokenClaims claims,
                       queue::VerifyQueueToken(queue_token, keys->public_keys(), absl::Now()));
  claims.expires_at = absl::Now() - absl::Seconds(1);
  ASSERT_OK_AND_ASSIGN(std::string expired,
                       queue::SignQueueToken(keys->secret_key(), keys->kid(), claims));
  const HttpResult late = LockWith(alice, expired, {"A2"});
  EXPECT_EQ(late.status, 403) << late.body;
  EXPECT_EQ(Body(late)["code"], "queue_token_invalid");

  // The room is full (one active at a time): Bob waits until Alice's order ends her session.
  const HttpResult bob_joined = Send("POST", "/v1/queue/rooms/e2e-drop/join", nullptr, bob);
  ASSERT_EQ(bob_joined.status, 202) << bob_joined.body;
  EXPECT_EQ(Body(bob_joined)["position"], 2);
  Created(PostOrder(alice, OrderRequest(held["hold_id"], {"A1"}), "queue-order-1"));
  const json bob_admitted = AwaitAdmission(bob, Body(bob_joined)["ticket"]);
  EXPECT_EQ(bob_admitted["status"], "admitted");
  // Alice's order ended her session, and her token with it, though it has not expired.
  const HttpResult after_order = LockWith(alice, queue_token, {"A3"});
  EXPECT_EQ(after_order.status, 403) << after_order.body;
  EXPECT_EQ(Body(after_order)["code"], "queue_token_invalid");
  Created(LockWith(bob, bob_admitted["queue_token"], {"B1"}));
  // The operator sees the draw's seed once the room has opened, and it matches the commitment.
  const json opened =
      Ok(Send("GET", "/v1/queue/rooms/e2e-drop", nullptr, owner_, nullptr, {{"X-Org-Id", org_}}));
  EXPECT_EQ(opened["status"], "open");
  EXPECT_EQ(opened["shuffle"]["seed"].get<std::string>().size(), 64u);
  EXPECT_EQ(opened["admitted_total"], 2);
  // Closing the room frees the trip.
  EXPECT_EQ(
      Send("DELETE", "/v1/queue/rooms/e2e-drop", nullptr, owner_, nullptr, {{"X-Org-Id", org_}})
          .status,
      204);
  EXPECT_EQ(Get("/v1/trips/" + trip_ + "/queue").status, 404);
  // The gateway knows within seconds (it keeps which room guards a trip for two).
  const std::string carol = Guest();
  EXPECT_TRUE(testing::WaitFor([&] { return LockWith(carol, "", {"C1"}).status == 201; },
                               absl::Seconds(10)));
}

TEST_P(QueueE2eTest, RoomsAreValidatedAndScopedToTheirOrganization) {
  const HttpResult bad = Send("PUT", "/v1/queue/rooms/Bad_Id",
                              {{"name", ""},
                               {"mode", "sometimes"},
                               {"trip_ids", {"not-a-trip"}},
                               {"admit_per_minute", 0},
                               {"max_active", 1},
                               {"session_minutes", 1}},
                              owner_, nullptr, {{"X-Org-Id", org_}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Get("/v1/queue/rooms/e2e-drop/status?ticket=x", Guest()).status, 404);
  ASSERT_EQ(PutRoom(absl::Minutes(30)).status, 200);
  // A traveller cannot manage rooms; another operator cannot see this one.
  EXPECT_EQ(Send("GET", "/v1/queue/rooms/e2e-drop", nullptr, Guest()).status, 403);
  const std::string rival = SignUp("rival");
  const std::string rival_org =
      Created(Send("POST", "/v1/orgs", {{"name", "Rival Lines"}}, rival))["id"];
  EXPECT_EQ(
      Send("GET", "/v1/queue/rooms/e2e-drop", nullptr, rival, nullptr, {{"X-Org-Id", rival_org}})
          .status,
      404);
  // The waiting-room page (the traveller app's, which reads the room from its path) is served
  // for the room, under the apps' Content-Security-Policy.
  const HttpResult page = Get("/queue/e2e-drop");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<div id=\"app\">"), std::string::npos) << page.body;
  EXPECT_NE(
      page.headers.at("content-security-policy").find("script-src 'self' 'wasm-unsafe-eval';"),
      std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Deployments, QueueE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
