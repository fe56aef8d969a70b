// Orders and payments through the public API on both deployments: the "done when"
// (hold, order with a replayed key, a declined card, a good one, a partial cancellation with its
// refund), one order from 100 identical concurrent requests, refusals that write nothing, who
// may see an order, trips cancelled by their operator, operators' refund policies, and unpaid
// orders expiring.
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/payment/providers/webhook_signature.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

// The suite's cases share a deployment; each has an operator and a trip of its own.
class OrderE2eTest : public OrderApiTest {
 protected:
  bool SharesDeployment() const override { return true; }
};

// Reads every process's whole log and counts what a trip's cancellation made (emails, calls,
// reissues): a deployment of its own, where no other case cancels a trip.
class OrderTraceE2eTest : public OrderApiTest {};

// The "done when", through REST alone.
TEST_P(OrderE2eTest, HoldOrderPayDeclinedThenPaidThenCancelOneSeat) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"A1", "A2"}, "DHK", "CTG"));
  const json request = OrderRequest(hold["hold_id"], {"A1", "A2"});

  const HttpResult first = PostOrder(guest, request, "order-key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  const json order = Body(first);
  EXPECT_EQ(order["status"], "pending_payment");
  EXPECT_EQ(order["trip_id"], trip_);
  EXPECT_EQ(order["seats"], json({"A1", "A2"}));
  EXPECT_EQ(order["total"], json({{"amount", 180000}, {"currency", "BDT"}}));
  EXPECT_EQ(order["expires_at"], hold["expires_at"]);
  EXPECT_EQ(first.headers.count("idempotent-replayed"), 0u);

  // The same request again: the identical answer, marked as a replay.
  const HttpResult replay = PostOrder(guest, request, "order-key-1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(Header(replay, "idempotent-replayed"), "true");

  const std::string id = order["id"];
  const HttpResult declined = Pay(guest, id, kDeclinedCard, "pay-key-1");
  EXPECT_EQ(declined.status, 402) << declined.body;
  EXPECT_EQ(Body(declined)["code"], "payment_declined");
  json after_decline = Ok(Get("/v1/orders/" + id, guest));
  EXPECT_EQ(after_decline["status"], "pending_payment");
  ASSERT_EQ(after_decline["payments"].size(), 1u);
  EXPECT_EQ(after_decline["payments"][0]["status"], "failed");
  EXPECT_EQ(after_decline["payments"][0]["failure_code"], "payment_declined");
  EXPECT_EQ(Statuses("DHK", "CTG")["A1"], "held");

  const HttpResult paid = Pay(guest, id, kGoodCard, "pay-key-2");
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(Body(paid)["status"], "captured");
  EXPECT_EQ(Body(paid)["amount"], json({{"amount", 180000}, {"currency", "BDT"}}));
  EXPECT_EQ(Body(paid)["method"]["last4"], "4242");
  const json confirmed = Ok(Get("/v1/orders/" + id, guest));
  EXPECT_EQ(confirmed["status"], "confirmed");
  EXPECT_EQ(Statuses("DHK", "CTG")["A1"], "booked");
  EXPECT_EQ(Statuses("DHK", "CTG")["A2"], "booked");
  // Sold to Chattogram only: still on sale onward.
  EXPECT_EQ(Statuses("CTG", "CXB")["A1"], "available");
  // The card's number never comes back.
  EXPECT_EQ(paid.body.find("4242424242424242"), std::string::npos);

  // A second payment of a paid order is refused; nothing is charged twice.
  EXPECT_EQ(Pay(guest, id, kGoodCard, "pay-key-3").status, 409);

  // The trip leaves in 72 hours: the 48-hour tier refunds 90%.
  const json quote =
      Ok(Send("POST", "/v1/orders/" + id + "/cancel-quote", {{"seats", {"A2"}}}, guest));
  EXPECT_EQ(quote["refund"], json({{"amount", 81000}, {"currency", "BDT"}}));
  EXPECT_EQ(quote["fee"], json({{"amount", 9000}, {"currency", "BDT"}}));
  EXPECT_EQ(quote["tier"], "48h");
  const json cancelled =
      Ok(Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", quote["quote_id"]}}, guest));
  EXPECT_EQ(cancelled["status"], "partially_cancelled");
  EXPECT_EQ(cancelled["seats"], json({"A1"}));
  EXPECT_EQ(cancelled["refund"]["amount"], json({{"amount", 81000}, {"currency", "BDT"}}));
  EXPECT_EQ(cancelled["refund"]["status"], "succeeded");
  const json payment = CapturedPayment(cancelled);
  EXPECT_EQ(payment["status"], "partially_refunded");
  EXPECT_EQ(payment["refunded"]["amount"], 81000);
  EXPECT_EQ(Statuses("DHK", "CTG")["A2"], "available");
  EXPECT_EQ(Statuses("DHK", "CTG")["A1"], "booked");
  // The seat is sellable again.
  Created(Lock(Guest(), {"A2"}, "DHK", "CTG"));

  // Accepting the same quote again changes nothing.
  const json again =
      Ok(Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", quote["quote_id"]}}, guest));
  EXPECT_EQ(again["refunds"].size(), 1u);
  // Cancelling the last seat: the order is cancelled, refunds add up.
  const json last = Ok(Send("POST", "/v1/orders/" + id + "/cancel-quote", json::object(), guest));
  EXPECT_EQ(last["seats"], json({"A1"}));
  const json closed =
      Ok(Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", last["quote_id"]}}, guest));
  EXPECT_EQ(closed["status"], "cancelled");
  EXPECT_EQ(CapturedPayment(closed)["refunded"]["amount"], 81000 + 81000);
  EXPECT_EQ(Send("POST", "/v1/orders/" + id + "/cancel-quote", json::object(), guest).status, 409);
}

// 100 identical concurrent requests with one key make one order; the rest are replays of it or
// told the first is still in flight.
TEST_P(OrderE2eTest, OneHundredIdenticalConcurrentOrdersMakeOneOrder) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"B1", "B2"}, "DHK", "CXB"));
  const json request = OrderRequest(hold["hold_id"], {"B1", "B2"});
  constexpr int kClients = 100;
  std::mutex mutex;
  std::vector<HttpResult> results;
  std::latch start(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&] {
      HttpClient client(deployment_->base_url());
      start.arrive_and_wait();
      HttpResult result = PostOrder(guest, request, "same-key", &client);
      std::lock_guard lock(mutex);
      results.push_back(std::move(result));
    });
  }
  for (std::thread& thread : threads) thread.join();
  int originals = 0;
  int replays = 0;
  int in_progress = 0;
  std::set<std::string> ids;
  for (const HttpResult& result : results) {
    if (result.status == 201) {
      ids.insert(Body(result)["id"]);
      (Header(result, "idempotent-replayed") == "true" ? replays : originals)++;
    } else {
      ASSERT_EQ(result.status, 409) << result.body;
      EXPECT_EQ(Body(result)["code"], "request_in_progress");
      ++in_progress;
    }
  }
  EXPECT_EQ(originals, 1);
  EXPECT_EQ(replays + in_progress, kClients - 1);
  EXPECT_EQ(ids.size(), 1u);
  const json mine = Ok(Get("/v1/orders", guest));
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["id"], *ids.begin());

  // The key with another body is refused; a request without a key too.
  json other = request;
  other["contact"]["email"] = "someone.else@example.com";
  const HttpResult reused = PostOrder(guest, other, "same-key");
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(Body(reused)["code"], "idempotency_key_reused");
  const HttpResult keyless = PostOrder(guest, request, "");
  EXPECT_EQ(keyless.status, 400);
  EXPECT_EQ(Body(keyless)["code"], "idempotency_key_missing");
  // A new key for the same hold: the hold already has its order.
  EXPECT_EQ(PostOrder(guest, request, "another-key").status, 409);
  EXPECT_EQ(Ok(Get("/v1/orders", guest))["items"].size(), 1u);
}

TEST_P(OrderE2eTest, BadOrdersAndPaymentsGetClearProblemsAndWriteNothing) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"C1", "C2"}, "DHK", "CTG"));
  const std::string hold_id = hold["hold_id"];
  struct Case {
    json body;
    int status;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {json::object(), 400, {"hold_id", "passengers", "contact"}},
      {{{"hold_id", "not-a-hold"},
        {"passengers", json::array()},
        {"contact", {{"email", "a@b.co"}}}},
       400,
       {"hold_id", "passengers"}},
      {{{"hold_id", hold_id},
        {"passengers", {{{"seat", "C1"}, {"name", 7}, {"gender", "male"}, {"shoe", 42}}}},
        {"contact", {{"email", "a@b.co"}, {"fax", "1"}}}},
       400,
       {"passengers[0].name", "passengers[0].shoe", "contact.fax"}},
      // Well-formed, but not what the hold holds.
      {{{"hold_id", hold_id},
        {"passengers",
         {{{"seat", "C1"}, {"name", "Rahim"}, {"gender", "male"}, {"age", 150}},
          {{"seat", "Z9"}, {"name", "Karima"}, {"gender", "female"}}}},
        {"contact", {{"email", "not-an-email"}}}},
       422,
       {"passengers[0].age", "passengers[1].seat", "passengers", "contact.email"}},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.dump());
    const HttpResult result = PostOrder(guest, c.body, absl::StrCat("bad-", n++));
    EXPECT_EQ(result.status, c.status) << result.body;
    EXPECT_EQ(Header(result, "content-type"), "application/problem+json");
    std::set<std::string> fields;
    const json problem = Body(result);
    for (const json& error : problem["errors"]) fields.insert(error["field"]);
    for (const std::string& field : c.fields) EXPECT_TRUE(fields.count(field)) << field;
  }
  EXPECT_EQ(Ok(Get("/v1/orders", guest))["items"].size(), 0u);
  // A hold that does not exist (or expired) cannot be ordered.
  const HttpResult gone = PostOrder(
      guest, OrderRequest("01930000-0000-7000-8000-000000000000", {"C1", "C2"}), "bad-gone");
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(Body(gone)["code"], "hold_expired");

  const json order = Created(PostOrder(guest, OrderRequest(hold_id, {"C1", "C2"}), "good"));
  const std::string id = order["id"];
  const std::vector<std::pair<json, int>> payments = {
      {{{"order_id", id}}, 400},
      {{{"order_id", id}, {"method", {{"type", "cash"}}}}, 400},
      {{{"order_id", id},
        {"method",
         {{"type", "card"},
          {"number", "4242424242424241"},
          {"exp_month", 12},
          {"exp_year", 2030},
          {"cvc", "123"}}}},
       422},
      {{{"order_id", id},
        {"method",
         {{"type", "card"},
          {"number", "4242424242424242"},
          {"exp_month", 1},
          {"exp_year", 2020},
          {"cvc", "123"}}}},
       422},
  };
  for (const auto& [body, status] : payments) {
    SCOPED_TRACE(body.dump());
    const HttpResult result = Send("POST", "/v1/payments", body, guest, nullptr,
                                   {{"Idempotency-Key", absl::StrCat("pay-", n++)}});
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_FALSE(Body(result)["errors"].empty()) << result.body;
  }
  const json untouched = Ok(Get("/v1/orders/" + id, guest));
  EXPECT_EQ(untouched["status"], "pending_payment");
  EXPECT_TRUE(untouched["payments"].empty());
}

TEST_P(OrderE2eTest, OnlyTheBuyerAndTheOperatorsStaffSeeAnOrder) {
  const std::string buyer = Guest();
  const std::string stranger = Guest();
  const std::string account = SignUp("stranger");
  const std::string id = PaidOrder(buyer, {"D1", "D2"}, "DHK", "CXB")["id"];
  EXPECT_EQ(Get("/v1/orders/" + id, stranger).status, 404);
  EXPECT_EQ(Get("/v1/orders/" + id, account).status, 404);
  EXPECT_EQ(Get("/v1/orders/" + id).status, 401);
  EXPECT_EQ(Send("POST", "/v1/orders/" + id + "/cancel-quote", json::object(), stranger).status,
            404);
  EXPECT_EQ(Pay(stranger, id, kGoodCard, "stranger-pay").status, 404);
  EXPECT_TRUE(Ok(Get("/v1/orders", stranger))["items"].empty());
  // The operator's owner sees it, and its passengers on the manifest.
  EXPECT_EQ(Ok(Get("/v1/orders/" + id, owner_))["id"], id);
  const json manifest = Ok(Get("/v1/operator/trips/" + trip_ + "/manifest", owner_));
  ASSERT_EQ(manifest["passengers"].size(), 2u);
  EXPECT_EQ(manifest["passengers"][0]["seat"], "D1");
  EXPECT_EQ(manifest["passengers"][0]["passenger"]["name"], "Passenger D1");
  EXPECT_EQ(manifest["passengers"][0]["to"], "CXB");
  // Another operator sees neither.
  const std::string rival = SignUp("rival");
  Created(Send("POST", "/v1/orgs", {{"name", "Rival Travels"}}, rival));
  EXPECT_EQ(Get("/v1/orders/" + id, rival).status, 404);
  EXPECT_TRUE(Ok(Get("/v1/operator/trips/" + trip_ + "/manifest", rival))["passengers"].empty());
}

TEST_P(OrderE2eTest, AnOperatorCancellingTheTripRefundsEveryOrderInFull) {
  const std::string first = Guest();
  const std::string second = Guest();
  const std::string one = PaidOrder(first, {"E1"}, "DHK", "CTG")["id"];
  const std::string two = PaidOrder(second, {"E2", "E3"}, "CTG", "CXB")["id"];
  const std::string unpaid_buyer = Guest();
  const json unpaid = Created(
      PostOrder(unpaid_buyer,
                OrderRequest(Created(Lock(unpaid_buyer, {"F1"}, "DHK", "CXB"))["hold_id"], {"F1"}),
                "unpaid"));
  Ok(Send("POST", "/v1/catalog/trips/" + trip_ + "/cancel", {{"reason", "flooded road"}}, owner_));
  const json refunded_one = AwaitStatus(first, one, "cancelled");
  EXPECT_EQ(CapturedPayment(refunded_one)["status"], "refunded");
  EXPECT_EQ(refunded_one["refunds"][0]["amount"]["amount"], 90000);
  EXPECT_EQ(refunded_one["refunds"][0]["reason"], "trip_cancelled");
  const json refunded_two = AwaitStatus(second, two, "cancelled");
  EXPECT_EQ(CapturedPayment(refunded_two)["refunded"]["amount"], 2 * 60000);
  EXPECT_EQ(AwaitStatus(unpaid_buyer, unpaid["id"], "expired")["payments"].size(), 0u);
}

// One trace through every process a request reaches: an operator's trip cancellation has one
// trace id in the gateway's access line, in catalog's line (reached over gRPC) and in order's
// line for the refunds (reached by catalog's event, through its outbox and, between processes,
// the broker); each call is counted per method by its caller and by its server.
TEST_P(OrderTraceE2eTest, ATripCancellationIsOneTraceInEveryProcessItReaches) {
  const std::string guest = Guest();
  const std::string id = PaidOrder(guest, {"G1"}, "DHK", "CTG")["id"];

  // Each JSON line of every process, with the process that wrote it.
  struct Line {
    std::string process;
    json fields;
  };
  auto log_lines = [this] {
    std::vector<Line> lines;
    std::string process = "travio";
    for (absl::string_view text : absl::StrSplit(deployment_->Logs(), '\n')) {
      if (absl::ConsumePrefix(&text, "--- ")) {
        process = std::string(text);
        continue;
      }
      json fields = json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (fields.is_object()) lines.push_back({process, std::move(fields)});
    }
    return lines;
  };
  auto find = [](const std::vector<Line>& lines, const std::string& message,
                 const std::string& field, const std::string& value) {
    std::vector<Line> found;
    for (const Line& line : lines) {
      if (line.fields.value("msg", "") == message && line.fields.value(field, "") == value) {
        found.push_back(line);
      }
    }
    return found;
  };
  // The sale's tickets first: a cancellation that came before them would be issued with them,
  // in one generation, and the reissue below would not be seen apart.
  for (int i = 0; i < 150 && find(log_lines(), "tickets issued", "order_id", id).empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(find(log_lines(), "tickets issued", "order_id", id).size(), 1u) << deployment_->Logs();
  const HttpResult cancelled =
      Send("POST", "/v1/catalog/trips/" + trip_ + "/cancel", {{"reason", "flooded road"}}, owner_,
           nullptr, {{"X-Request-Id", "trace-cancel-1"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  AwaitStatus(guest, id, "cancelled");

  // Order's line comes once its consumer is done with the event, just after the refund. The
  // reissue (fulfillment's worker) and the traveller's email (notification's) follow the same
  // event on their own, in either order: each is waited for.
  std::vector<Line> lines;
  for (int i = 0; i < 150; ++i) {
    lines = log_lines();
    if (!find(lines, "orders of a cancelled trip closed", "trip_id", trip_).empty() &&
        find(lines, "tickets issued", "order_id", id).size() >= 2 &&
        !find(lines, "email sent", "kind", "trip_cancelled").empty()) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  const bool apart = GetParam() == Mode::kMicroservices;

  const auto access = find(lines, "request", "request_id", "trace-cancel-1");
  ASSERT_EQ(access.size(), 1u) << deployment_->Logs();
  const std::string trace_id = access[0].fields.value("trace_id", "");
  ASSERT_EQ(trace_id.size(), 32u) << access[0].fields.dump();
  EXPECT_EQ(access[0].process, apart ? "gateway" : "travio");

  const auto changed = find(lines, "trip changed", "trip_id", trip_);
  ASSERT_FALSE(changed.empty()) << deployment_->Logs();
  EXPECT_EQ(changed.back().fields.value("trace_id", ""), trace_id) << changed.back().fields.dump();
  EXPECT_EQ(changed.back().process, apart ? "catalog" : "travio");

  const auto closed = find(lines, "orders of a cancelled trip closed", "trip_id", trip_);
  ASSERT_FALSE(closed.empty()) << deployment_->Logs();
  for (const Line& line : closed) {
    EXPECT_EQ(line.fields.value("trace_id", ""), trace_id) << line.fields.dump();
    EXPECT_EQ(line.process, apart ? "order" : "travio");
  }
  EXPECT_EQ(closed.front().fields.value("refunds_started", 0), 1);
  // Taken up later by workers, outside any request: fulfillment's reissue (a job kept in SQL)
  // and the email telling the traveller (a delivery kept in SQL) are in the trace too.
  const auto reissued = find(lines, "tickets issued", "order_id", id);
  ASSERT_EQ(reissued.size(), 2u) << deployment_->Logs();  // when paid, and when cancelled
  EXPECT_EQ(reissued[1].fields.value("reason", ""), "cancelled");
  EXPECT_EQ(reissued[1].fields.value("trace_id", ""), trace_id) << reissued[1].fields.dump();
  EXPECT_NE(reissued[0].fields.value("trace_id", ""), trace_id) << "the sale's own trace";
  EXPECT_EQ(reissued[1].process, apart ? "fulfillment" : "travio");
  const auto told = find(lines, "email sent", "kind", "trip_cancelled");
  ASSERT_EQ(told.size(), 1u) << deployment_->Logs();
  EXPECT_EQ(told[0].fields.value("trace_id", ""), trace_id) << told[0].fields.dump();
  EXPECT_EQ(told[0].process, apart ? "notification" : "travio");
  // Another request is another trace.
  const auto others = find(lines, "request", "route", "/v1/orders/{order_id}");
  ASSERT_FALSE(others.empty());
  EXPECT_NE(others.back().fields.value("trace_id", ""), trace_id);

  if (!apart) return;  // in one process, no call goes over gRPC
  EXPECT_EQ(Metric("gateway",
                   "travio_rpc_client_handled_total{upstream=\"catalog\","
                   "method=\"CatalogService/CancelTrip\",code=\"OK\"}"),
            1);
  EXPECT_EQ(Metric("catalog",
                   "travio_rpc_server_handled_total{"
                   "method=\"CatalogService/CancelTrip\",code=\"OK\"}"),
            1);
  EXPECT_EQ(Metric("catalog",
                   "travio_rpc_server_handling_seconds_count{"
                   "method=\"CatalogService/CancelTrip\"}"),
            1);
  // Order paid through payment: order counted its calls, payment its answers.
  EXPECT_GE(Metric("order",
                   "travio_rpc_client_handled_total{upstream=\"payment\","
                   "method=\"PaymentService/Refund\",code=\"OK\"}"),
            1);
  EXPECT_GE(Metric("payment",
                   "travio_rpc_server_handled_total{"
                   "method=\"PaymentService/Refund\",code=\"OK\"}"),
            1);
}

// As Bangladesh's gateways work: the traveller pays on the provider's page, and the provider's
// signed webhook confirms it. Webhooks are only notifications (the provider's own record is
// read back), so forged ones are refused and early, replayed or stale ones change nothing.
TEST_P(OrderE2eTest, ARedirectPaymentIsConfirmedByTheSignedWebhookAndReplaysChangeNothing) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"H1", "H2"}, "DHK", "CTG"));
  const std::string id =
      Created(PostOrder(guest, OrderRequest(hold["hold_id"], {"H1", "H2"}), "redirect"))["id"];
  const HttpResult accepted = PayByRedirect(guest, id, "redirect-pay");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const json pending = Body(accepted);
  EXPECT_EQ(pending["status"], "pending");
  const std::string payment_id = pending["id"];
  const std::string page = pending["redirect_url"];
  // The page is the payer's: it opens only with the token its redirect_url carries.
  const std::string path = "/v1/payments/sandbox/checkout/" + payment_id;
  ASSERT_EQ(page.rfind(path + "?token=", 0), 0u) << page;
  const auto form =
      std::map<std::string, std::string>{{"Content-Type", "application/x-www-form-urlencoded"}};
  for (const std::string& stranger :
       {path, path + "?token=", path + "?token=1.00",
        page.substr(0, page.size() - 1) + (page.back() == '0' ? "1" : "0")}) {
    EXPECT_EQ(client_->Send("GET", stranger, "", {}).status, 404) << stranger;
    EXPECT_EQ(client_->Send("POST", stranger, "decision=approve", form).status, 404) << stranger;
  }
  EXPECT_EQ(Ok(Get("/v1/orders/" + id, guest))["status"], "pending_payment");
  // The page's link is given to the payer in the answer to the payment, and nowhere else: the
  // order shows the pending payment without it, to the buyer and to the operator's staff.
  for (const std::string& reader : {guest, owner_}) {
    const json seen = Ok(Get("/v1/orders/" + id, reader));
    ASSERT_EQ(seen["payments"].size(), 1u) << seen.dump();
    EXPECT_FALSE(seen["payments"][0].contains("redirect_url")) << seen.dump();
  }

  // The provider's webhook format, signed with its secret (the tests know it).
  auto webhook = [&](const std::string& status, const std::string& secret) {
    const std::string body =
        json{{"type", "charge.updated"}, {"key", payment_id}, {"status", status}}.dump();
    return client_->Send("POST", "/v1/payments/webhooks/sandbox", body,
                         {{"Content-Type", "application/json"},
                          {"Webhook-Signature", payment::SignWebhook(secret, absl::Now(), body)}});
  };
  const HttpResult forged = webhook("authorized", "not-the-secret");
  EXPECT_EQ(forged.status, 400) << forged.body;
  EXPECT_EQ(Body(forged)["code"], "bad_signature");
  const HttpResult unsigned_hook = client_->Send("POST", "/v1/payments/webhooks/sandbox", "{}",
                                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(unsigned_hook.status, 400);
  EXPECT_EQ(webhook("authorized", kWebhookSecret).status, 200);
  // Early: the traveller has not paid yet, whatever the webhook says. A webhook is settled
  // before it is answered (the provider's record is read there and then), so the payment shows
  // now whether it changed; only a change would be announced to the order.
  json order = Ok(Get("/v1/orders/" + id, guest));
  EXPECT_EQ(order["status"], "pending_payment");
  EXPECT_EQ(order["payments"][0]["status"], "pending");

  const HttpResult shown = client_->Send("GET", page, "", {});
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("1800.00 BDT"), std::string::npos) << shown.body;
  const HttpResult approved = client_->Send(
      "POST", page, "decision=approve", {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_NE(approved.body.find("approved"), std::string::npos);

  order = AwaitStatus(guest, id, "confirmed");
  ASSERT_EQ(order["payments"].size(), 1u);
  EXPECT_EQ(order["payments"][0]["status"], "captured");
  EXPECT_EQ(Statuses("DHK", "CTG")["H1"], "booked");
  // Replayed, and a stale "declined" arriving late: nothing changes, nothing twice.
  for (const char* status : {"authorized", "authorized", "declined"}) {
    EXPECT_EQ(webhook(status, kWebhookSecret).status, 200);
  }
  // Settled before answered, as above: the captured payment stayed captured, so nothing was
  // announced that could move the order.
  order = Ok(Get("/v1/orders/" + id, guest));
  EXPECT_EQ(order["status"], "confirmed");
  ASSERT_EQ(order["payments"].size(), 1u);
  EXPECT_EQ(order["payments"][0]["status"], "captured");
  // The page is closed now: deciding again does nothing.
  EXPECT_EQ(client_
                ->Send("POST", page, "decision=decline",
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            200);
  EXPECT_EQ(CapturedPayment(Ok(Get("/v1/orders/" + id, guest)))["status"], "captured");
}

// Issue 6's per-operator refund policy: the default until the operator sets its own, bad ones
// refused whole with every problem named, only the operator's managers may change it. Orders
// sold from then on are quoted under it; orders sold before keep the policy they were sold
// under (and quotes already given their amounts). Other operators keep theirs.
TEST_P(OrderE2eTest, AnOperatorsRefundPolicyIsItsOwnAndNewQuotesUseIt) {
  const std::string path = "/v1/operator/refund-policy";
  auto tiers = [](std::vector<std::pair<int, int>> steps) {
    json out = json::array();
    for (const auto& [hours, percent] : steps) {
      out.push_back({{"notice_hours", hours}, {"percent", percent}});
    }
    return out;
  };
  const json default_policy = {{"tiers", tiers({{48, 90}, {24, 75}, {6, 50}})}, {"default", true}};
  EXPECT_EQ(Ok(Get(path, owner_)), default_policy);

  // The trip leaves in 48 to 96 hours: quoted under the default, 90%.
  const std::string buyer = Guest();
  const std::string id = PaidOrder(buyer, {"I1", "I2"}, "DHK", "CTG")["id"];
  const std::string quotes = "/v1/orders/" + id + "/cancel-quote";
  const json first = Ok(Send("POST", quotes, {{"seats", {"I1"}}}, buyer));
  ASSERT_TRUE(first.contains("quote_id")) << first;
  EXPECT_EQ(first["percent"], 90);
  EXPECT_EQ(first["tier"], "48h");
  EXPECT_EQ(first["refund"]["amount"], 81000);

  // Malformed (400 validation_failed) or not a policy (422 invalid_refund_policy): every
  // problem named, nothing changed.
  json eleven = json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back({{"notice_hours", 110 - 10 * i}, {"percent", 50}});
  struct Bad {
    json body;
    int status;
    std::set<std::string> fields;
  };
  const std::vector<Bad> bad = {
      {{{"tiers", tiers({{24, 120}})}}, 422, {"tiers[0]"}},
      {{{"tiers", tiers({{48, 50}, {24, 75}})}}, 422, {"tiers[1]"}},
      {{{"tiers", tiers({{6, 50}, {24, 40}})}}, 422, {"tiers[1]"}},
      {{{"tiers", tiers({{24, -1}})}}, 422, {"tiers[0]"}},
      {{{"tiers", json::array()}}, 422, {"tiers"}},
      {{{"tiers", eleven}}, 422, {"tiers"}},
      {{{"tiers", {{{"notice_hours", 24.5}, {"percent", "60"}}}}},
       400,
       {"tiers[0].notice_hours", "tiers[0].percent"}},
      {{{"tiers", {{{"notice_hours", 0}, {"percent", 60}, {"fee", 1}}}}},
       400,
       {"tiers[0].notice_hours", "tiers[0].fee"}},
      {{{"tiers", {{{"notice_hours", 721}}, {{"percent", 10}}}}},
       400,
       {"tiers[0].notice_hours", "tiers[0].percent", "tiers[1].notice_hours"}},
      {{{"tiers", {{{"notice_hours", 18446744073709551615u}, {"percent", 10}}}}},
       400,
       {"tiers[0].notice_hours"}},
      {{{"tiers", {5, {{"notice_hours", 24}, {"percent", 60}}}}}, 400, {"tiers[0]"}},
      {{{"tiers", "all of it"}}, 400, {"tiers"}},
      {json::object(), 400, {"tiers"}},
      {{{"tiers", tiers({{24, 60}})}, {"default", false}}, 400, {"default"}},
  };
  for (const Bad& attempt : bad) {
    SCOPED_TRACE(attempt.body.dump());
    const HttpResult refused = Send("PUT", path, attempt.body, owner_);
    EXPECT_EQ(refused.status, attempt.status) << refused.body;
    const json problem = Body(refused);
    EXPECT_EQ(problem["code"],
              attempt.status == 422 ? "invalid_refund_policy" : "validation_failed");
    std::set<std::string> fields;
    for (const json& error : problem["errors"]) fields.insert(error["field"].get<std::string>());
    EXPECT_EQ(fields, attempt.fields);
  }
  EXPECT_EQ(Ok(Get(path, owner_)), default_policy);

  // Only members whose role manages the catalog, and only for their own organization.
  const json sixty = {{"tiers", tiers({{24, 60}})}};
  EXPECT_EQ(Send("PUT", path, sixty, "").status, 401);
  EXPECT_EQ(Send("PUT", path, sixty, buyer).status, 403);
  EXPECT_EQ(Get(path, buyer).status, 403);
  EXPECT_EQ(Send("PUT", path, sixty, SignUp("traveller")).status, 404);
  const std::string rival = SignUp("rival");
  Created(Send("POST", "/v1/orgs", {{"name", "Rival Travels"}}, rival));
  EXPECT_EQ(Send("PUT", path, sixty, rival, nullptr, {{"X-Org-Id", org_}}).status, 404);
  EXPECT_EQ(Ok(Get(path, owner_)), default_policy);

  // The owner sets 60% from 24 hours on; setting it again is the same.
  const json own = {{"tiers", tiers({{24, 60}})}, {"default", false}};
  EXPECT_EQ(Ok(Send("PUT", path, sixty, owner_)), own);
  EXPECT_EQ(Ok(Send("PUT", path, sixty, owner_, nullptr, {{"X-Org-Id", org_}})), own);
  EXPECT_EQ(Ok(Get(path, owner_)), own);

  // The quote given before keeps its 90%, and so does a new quote of the order sold before:
  // the policy it was sold under is the order's.
  const json kept =
      Ok(Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", first["quote_id"]}}, buyer));
  EXPECT_EQ(kept["refund"]["amount"], json({{"amount", 81000}, {"currency", "BDT"}}));
  const json second = Ok(Send("POST", quotes, json::object(), buyer));
  ASSERT_TRUE(second.contains("quote_id")) << second;
  EXPECT_EQ(second["seats"], json({"I2"}));
  EXPECT_EQ(second["percent"], 90);
  EXPECT_EQ(second["tier"], "48h");
  const json closed =
      Ok(Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", second["quote_id"]}}, buyer));
  EXPECT_EQ(closed["status"], "cancelled");
  EXPECT_EQ(CapturedPayment(closed)["refunded"]["amount"], 81000 + 81000);
  // An order sold now is quoted under the new policy.
  const std::string later = PaidOrder(buyer, {"J1"}, "DHK", "CTG")["id"];
  const json third =
      Ok(Send("POST", "/v1/orders/" + later + "/cancel-quote", json::object(), buyer));
  EXPECT_EQ(third["percent"], 60);
  EXPECT_EQ(third["tier"], "24h");
  EXPECT_EQ(third["refund"], json({{"amount", 54000}, {"currency", "BDT"}}));
  EXPECT_EQ(third["fee"], json({{"amount", 36000}, {"currency", "BDT"}}));

  // Another operator's policy is its own: the default, then what it sets, leaving ours alone.
  EXPECT_EQ(Ok(Get(path, rival)), default_policy);
  const json rivals = {{"tiers", tiers({{72, 100}, {12, 30}})}};
  EXPECT_EQ(Ok(Send("PUT", path, rivals, rival))["tiers"], rivals["tiers"]);
  EXPECT_EQ(Ok(Get(path, rival))["tiers"], rivals["tiers"]);
  EXPECT_EQ(Ok(Get(path, owner_)), own);

  // Documented.
  const json document = Body(client_->Send("GET", "/openapi.json", "", {}));
  EXPECT_EQ(document["paths"][path]["get"]["x-travio-permission"], "catalog.read");
  EXPECT_EQ(document["paths"][path]["put"]["x-travio-permission"], "catalog.manage");
  EXPECT_TRUE(document["paths"][path]["put"]["responses"].contains("422"));
  EXPECT_TRUE(document["components"]["schemas"].contains("RefundPolicy"));
}

INSTANTIATE_TEST_SUITE_P(Deployments, OrderE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);
INSTANTIATE_TEST_SUITE_P(Deployments, OrderTraceE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

// Holds of two seconds: unpaid orders expire with them.
class OrderExpiryE2eTest : public OrderApiTest {
 protected:
  std::map<std::string, std::string> Environment() const override {
    auto environment = OrderApiTest::Environment();
    environment["TRAVIO_INVENTORY_HOLD_TTL"] = "2s";
    return environment;
  }
};

TEST_P(OrderExpiryE2eTest, AnUnpaidOrderExpiresWithItsHoldAndFreesItsSeats) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"G1", "G2"}, "DHK", "CTG"));
  const json order =
      Created(PostOrder(guest, OrderRequest(hold["hold_id"], {"G1", "G2"}), "expiring"));
  const json expired = AwaitStatus(guest, order["id"], "expired");
  EXPECT_TRUE(expired["payments"].empty());
  EXPECT_EQ(Statuses("DHK", "CTG")["G1"], "available");
  const HttpResult late = Pay(guest, order["id"], kGoodCard, "late");
  EXPECT_EQ(late.status, 410) << late.body;
  EXPECT_EQ(Body(late)["code"], "order_expired");
  EXPECT_TRUE(Ok(Get("/v1/orders/" + order["id"].get<std::string>(), guest))["payments"].empty());
}

// The hold runs out while the traveller is still on the provider's page: the payment is voided,
// the order expires, the seats go back on sale, and approving afterwards takes no money.
TEST_P(OrderExpiryE2eTest, AHoldExpiringWhileTheTravellerPaysVoidsThePayment) {
  const std::string guest = Guest();
  const json hold = Created(Lock(guest, {"J1"}, "DHK", "CTG"));
  const std::string id =
      Created(PostOrder(guest, OrderRequest(hold["hold_id"], {"J1"}), "slow"))["id"];
  const HttpResult accepted = PayByRedirect(guest, id, "slow-pay");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string page = Body(accepted)["redirect_url"];
  const json expired = AwaitStatus(guest, id, "expired");
  ASSERT_EQ(expired["payments"].size(), 1u);
  EXPECT_EQ(expired["payments"][0]["status"], "voided");
  EXPECT_EQ(Statuses("DHK", "CTG")["J1"], "available");
  const HttpResult late = client_->Send("POST", page, "decision=approve",
                                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(late.status, 200);
  EXPECT_NE(late.body.find("closed"), std::string::npos) << late.body;
  EXPECT_EQ(Ok(Get("/v1/orders/" + id, guest))["payments"][0]["status"], "voided");
}

INSTANTIATE_TEST_SUITE_P(Deployments, OrderExpiryE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
