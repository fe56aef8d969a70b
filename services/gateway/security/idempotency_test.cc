#include "services/gateway/security/idempotency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "platform/kv/memory_store.h"
#include "platform/testing/wait.h"

namespace travio::gateway {
namespace {

class IdempotencyTest : public ::testing::Test {
 protected:
  http::Request Post(const std::string& key, const std::string& body = R"({"hold_id":"h1"})") {
    http::Request request;
    request.method = "POST";
    request.path = "/v1/orders";
    request.route = "/v1/orders";
    request.body = body;
    if (!key.empty()) request.headers.emplace("Idempotency-Key", key);
    return request;
  }
  http::Response Run(const http::Request& request, const std::string& scope = "user-1",
                     int status = 201) {
    return idempotency_.Run(request, scope, [&] {
      ++runs_;
      return http::Response::Text(status, R"({"order":)" + std::to_string(runs_.load()) + "}",
                                  "application/json");
    });
  }
  static std::string Code(const http::Response& response) {
    const auto at = response.body.find("\"code\":\"");
    return at == std::string::npos
               ? ""
               : response.body.substr(at + 8, response.body.find('"', at + 8) - at - 8);
  }

  ManualClock clock_;
  std::unique_ptr<kv::KeyValueStore> store_ = kv::MakeMemoryStore(clock_);
  Idempotency idempotency_{*store_, clock_, IdempotencySettings{}};
  std::atomic<int> runs_{0};
};

TEST_F(IdempotencyTest, AMissingOrMalformedKeyIsRefusedBeforeAnythingRuns) {
  for (const std::string& key : {std::string(""), std::string("has space"), std::string(256, 'k'),
                                 std::string("\"\""), std::string("tab\tkey")}) {
    const http::Response response = Run(Post(key));
    EXPECT_EQ(response.status, 400) << key;
    EXPECT_EQ(Code(response), "idempotency_key_missing");
  }
  EXPECT_EQ(runs_, 0);
}

TEST_F(IdempotencyTest, ACompletedRequestIsReplayedIdentically) {
  const http::Response first = Run(Post("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""));
  EXPECT_EQ(first.status, 201);
  // The same key bare (older clients) is the same key.
  const http::Response again = Run(Post("8e03978e-40d5-43e8-bc93-6894a57f9324"));
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.find("Idempotent-Replayed")->second, "true");
  EXPECT_EQ(again.headers.find("Content-Type")->second, "application/json");
  EXPECT_EQ(first.headers.count("Idempotent-Replayed"), 0u);
  EXPECT_EQ(runs_, 1);
}

// Found by fuzz/headers_fuzz.cc: an answer that was not UTF-8 made keeping it throw (JSON
// strings are UTF-8), leaving the key claimed and the client with a 500.
TEST_F(IdempotencyTest, AnAnswerOfAnyBytesIsKeptAndReplayedExactly) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  auto handler = [&] {
    ++runs_;
    return http::Response::Text(201, bytes, "application/pdf");
  };
  const http::Response first = idempotency_.Run(Post("pdf-key"), "user-1", handler);
  const http::Response again = idempotency_.Run(Post("pdf-key"), "user-1", handler);
  EXPECT_EQ(first.body, bytes);
  EXPECT_EQ(again.body, bytes);
  EXPECT_EQ(again.headers.find("Content-Type")->second, "application/pdf");
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, TheKeyWithAnotherRequestIsRefused) {
  ASSERT_EQ(Run(Post("k1")).status, 201);
  const http::Response other = Run(Post("k1", R"({"hold_id":"h2"})"));
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(Code(other), "idempotency_key_reused");
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, KeysBelongToTheirCaller) {
  ASSERT_EQ(Run(Post("k1"), "user-1").status, 201);
  const http::Response theirs = Run(Post("k1"), "user-2");
  EXPECT_EQ(theirs.status, 201);
  EXPECT_EQ(theirs.headers.count("Idempotent-Replayed"), 0u);  // nothing leaked across callers
  EXPECT_EQ(runs_, 2);
}

TEST_F(IdempotencyTest, ServerErrorsAreNotKeptSoARetryRunsAgain) {
  EXPECT_EQ(Run(Post("k1"), "user-1", 503).status, 503);
  EXPECT_EQ(Run(Post("k1"), "user-1", 201).status, 201);
  EXPECT_EQ(runs_, 2);
  // Client errors are answers like any other.
  EXPECT_EQ(Run(Post("k2"), "user-1", 402).status, 402);
  EXPECT_EQ(Run(Post("k2"), "user-1", 201).status, 402);
  EXPECT_EQ(runs_, 3);
}

TEST_F(IdempotencyTest, ARequestKeepsItsIdentityAcrossRetriesAndNoOtherHasIt) {
  const std::string first = RetryIdentity(Post("k-1"), "user-1");
  EXPECT_EQ(first.size(), 64u);  // a digest: nothing the client sent is passed on as such
  // The key quoted (sf-string) or bare is the same request.
  EXPECT_EQ(RetryIdentity(Post("\"k-1\""), "user-1"), first);
  // Another key, another caller (staff taking cash for a colleague's counter sale with the
  // colleague's key), or another route is another request.
  EXPECT_NE(RetryIdentity(Post("k-2"), "user-1"), first);
  EXPECT_NE(RetryIdentity(Post("k-1"), "user-2"), first);
  http::Request payment = Post("k-1");
  payment.route = payment.path = "/v1/payments";
  EXPECT_NE(RetryIdentity(payment, "user-1"), first);
  // No valid key: no identity to recognize a retry by.
  EXPECT_EQ(RetryIdentity(Post(""), "user-1"), "");
  EXPECT_EQ(RetryIdentity(Post("has space"), "user-1"), "");
}

TEST_F(IdempotencyTest, NothingOfAPaymentsCardIsInItsIdentity) {
  // The identity is kept as long as the payment: not even a hash of the card may be.
  const std::string card =
      R"({"order_id":"o1","method":{"type":"card","number":"4242424242424242","cvc":"123"}})";
  const std::string other =
      R"({"order_id":"o1","method":{"type":"card","number":"4000000000000002","cvc":"999"}})";
  EXPECT_EQ(RetryIdentity(Post("k-1", card), "user-1"),
            RetryIdentity(Post("k-1", other), "user-1"));
}

TEST_F(IdempotencyTest, InvalidRequestsAreNotKeptSoACorrectedRetryMayReuseTheKey) {
  for (int status : {400, 422, 429}) {
    const std::string key = "k-" + std::to_string(status);
    EXPECT_EQ(Run(Post(key), "user-1", status).status, status);
    // Nothing was kept: the same key runs the (corrected) request.
    EXPECT_EQ(Run(Post(key, R"({"hold_id":"h2"})")).status, 201) << status;
  }
  EXPECT_EQ(runs_, 6);
  // A refusal that decided something (409, 404, 402) is kept and replayed.
  EXPECT_EQ(Run(Post("k-409"), "user-1", 409).status, 409);
  const http::Response replay = Run(Post("k-409"));
  EXPECT_EQ(replay.status, 409);
  EXPECT_EQ(replay.headers.count("Idempotent-Replayed"), 1u);
  EXPECT_EQ(runs_, 7);
}

TEST_F(IdempotencyTest, OneCallerMayClaimOnlySoManyNewKeysADay) {
  Idempotency capped(*store_, clock_, IdempotencySettings{.keys_per_caller_per_day = 3});
  auto run = [&](const std::string& scope, const std::string& key) {
    return capped.Run(Post(key), scope, [&] {
      ++runs_;
      return http::Response::Text(201, "{}", "application/json");
    });
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(run("bot", "key-" + std::to_string(i)).status, 201);
  const http::Response refused = run("bot", "key-3");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(Code(refused), "rate_limited");
  EXPECT_EQ(refused.headers.count("Retry-After"), 1u);
  // Replays of keys already kept are not new keys; other callers have their own budget.
  EXPECT_EQ(run("bot", "key-0").headers.count("Idempotent-Replayed"), 1u);
  EXPECT_EQ(run("someone-else", "key-3").status, 201);
  EXPECT_EQ(runs_, 4);
  // The refused key was not claimed: tomorrow it runs.
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(run("bot", "key-3").status, 201);
}

TEST_F(IdempotencyTest, AnswersAreKeptADayAndAbandonedRequestsFreeTheirKey) {
  ASSERT_EQ(Run(Post("k1")).status, 201);
  clock_.Advance(absl::Hours(24) - absl::Seconds(1));
  EXPECT_EQ(Run(Post("k1")).headers.count("Idempotent-Replayed"), 1u);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(Run(Post("k1")).headers.count("Idempotent-Replayed"), 0u);  // a new request now
  EXPECT_EQ(runs_, 2);

  // A request still "running" after the lock time (its gateway crashed) no longer blocks.
  std::latch entered(1);
  std::latch finish(1);
  std::thread stuck([&] {
    idempotency_.Run(Post("k2"), "user-1", [&] {
      entered.count_down();
      finish.wait();
      return http::Response::Text(201, "{}");
    });
  });
  entered.wait();
  const http::Response busy = Run(Post("k2"));
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(Code(busy), "request_in_progress");
  EXPECT_EQ(busy.headers.count("Retry-After"), 1u);
  clock_.Advance(absl::Seconds(91));
  EXPECT_EQ(Run(Post("k2")).status, 201);
  finish.count_down();
  stuck.join();
}

// A hundred identical requests at once: the handler runs once; every other answer is a 409
// (still running) or the identical replay.
TEST_F(IdempotencyTest, AHundredConcurrentIdenticalRequestsRunOnce) {
  std::latch start(100);
  std::atomic<int> created{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> replays{0};
  std::atomic<int> other{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      const http::Response response = idempotency_.Run(Post("same"), "user-1", [&] {
        ++runs_;
        // In flight until every other request was answered.
        EXPECT_TRUE(testing::WaitFor([&] { return answered.load() == 99; }));
        return http::Response::Text(201, R"({"order":1})", "application/json");
      });
      if (response.status == 409) {
        ++conflicts;
      } else if (response.status == 201 && response.body == R"({"order":1})") {
        (response.headers.count("Idempotent-Replayed") ? replays : created)++;
      } else {
        ++other;
      }
      ++answered;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(conflicts + replays, 99);
  EXPECT_EQ(other, 0);
}

}  // namespace
}  // namespace travio::gateway
