#include "platform/events/outbox.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <thread>

#include "platform/base/ids.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "platform/trace/trace_context.h"

namespace travio::events {
namespace {

enum class Engine { kSqlite, kPostgres };

class OutboxTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::kSqlite) {
      auto database = db::OpenSqlite({(dir_ / "orders.db").string()});
      ASSERT_OK(database);
      database_ = std::move(*database);
    } else {
      scratch_ = std::make_unique<testing::ScratchPostgresDatabase>();
      auto database = db::OpenPostgres({scratch_->dsn()});
      ASSERT_OK(database);
      database_ = std::move(*database);
    }
    ASSERT_OK(database_->Execute("CREATE TABLE orders (id TEXT PRIMARY KEY)"));
    outbox_ = std::make_unique<Outbox>("order", *database_);
    ASSERT_OK(outbox_->Migrate());
    ASSERT_OK(outbox_->Migrate());  // idempotent
    inbox_ = std::make_unique<Inbox>("search", *database_);
    ASSERT_OK(inbox_->Migrate());
  }

  Event MakeEvent(const std::string& order_id) {
    return Event{ids_.NewId(),
                 "order.confirmed.v1",
                 order_id,
                 "org-1",
                 clock_.Now(),
                 "trace-1",
                 "{\"order_id\":\"" + order_id + "\"}"};
  }

  // Writes an order and its event in one transaction, failing after both when asked.
  absl::Status PlaceOrder(const std::string& id, bool fail_after_writes) {
    return database_->InTransaction([&](db::Transaction& tx) -> absl::Status {
      if (auto s = tx.Execute("INSERT INTO orders (id) VALUES ($1)", {id}).status(); !s.ok())
        return s;
      if (auto s = outbox_->Append(tx, MakeEvent(id)); !s.ok()) return s;
      return fail_after_writes ? absl::InternalError("crash before commit") : absl::OkStatus();
    });
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ScratchPostgresDatabase> scratch_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Inbox> inbox_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
  log::Logger logger_ = log::Logger::ToStderr(log::Level::kWarn);
};

TEST_P(OutboxTest, EventsExistExactlyWhenTheirTransactionCommits) {
  ASSERT_OK(PlaceOrder("o-1", false));
  ASSERT_FALSE(PlaceOrder("o-2", true).ok());
  auto pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().second.aggregate_id, "o-1");
  EXPECT_EQ(pending->front().second.occurred_at, clock_.Now());
  EXPECT_EQ(pending->front().second.payload, "{\"order_id\":\"o-1\"}");
}

TEST_P(OutboxTest, RelayDeliversInOrderAndRetriesFailures) {
  for (int i = 0; i < 5; ++i) ASSERT_OK(PlaceOrder("o-" + std::to_string(i), false));
  Bus bus;
  std::vector<std::string> seen;
  bool fail_third = true;
  bus.Subscribe("search", "order.confirmed.v1", [&](const Event& event) {
    if (event.aggregate_id == "o-2" && fail_third) {
      fail_third = false;
      return absl::UnavailableError("consumer down");
    }
    seen.push_back(event.aggregate_id);
    return absl::OkStatus();
  });
  Relay relay(*outbox_, bus, clock_, logger_);
  EXPECT_FALSE(relay.RelayPending().ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"o-0", "o-1"}));
  EXPECT_OK(relay.RelayPending());
  EXPECT_EQ(seen, (std::vector<std::string>{"o-0", "o-1", "o-2", "o-3", "o-4"}));
  EXPECT_TRUE(outbox_->Pending(10)->empty());
}

TEST_P(OutboxTest, AnEventCarriesTheTraceOfTheWorkThatCausedItToItsConsumers) {
  const trace::TraceContext request = trace::NewTrace();
  {
    trace::Scope scope(request);
    Event traced = MakeEvent("o-traced");
    traced.trace_id.clear();
    ASSERT_OK(outbox_->Append(*database_, traced));
    ASSERT_OK(outbox_->Append(*database_, MakeEvent("o-named")));  // names its own
  }
  Event untraced = MakeEvent("o-untraced");
  untraced.trace_id.clear();
  ASSERT_OK(outbox_->Append(*database_, untraced));

  Bus bus;
  std::map<std::string, std::string> trace_seen;  // by order, the consumer's current trace
  bus.Subscribe("search", "order.confirmed.v1", [&](const Event& event) {
    const trace::TraceContext* current = trace::Current();
    trace_seen[event.aggregate_id] = current == nullptr ? "none" : current->trace_id;
    return absl::OkStatus();
  });
  Relay relay(*outbox_, bus, clock_, logger_);
  ASSERT_OK(relay.RelayPending());
  EXPECT_EQ(trace_seen["o-traced"], request.trace_id);
  // "trace-1" is no trace id: the consumer runs in a trace of its own, as for no trace at all.
  EXPECT_TRUE(trace::IsTraceId(trace_seen["o-named"])) << trace_seen["o-named"];
  EXPECT_NE(trace_seen["o-named"], request.trace_id);
  EXPECT_TRUE(trace::IsTraceId(trace_seen["o-untraced"])) << trace_seen["o-untraced"];
  EXPECT_NE(trace_seen["o-untraced"], request.trace_id);
  EXPECT_EQ(trace::Current(), nullptr);  // the relay's scope ended with the delivery
}

TEST_P(OutboxTest, RelayReportsHowLongTheOldestEventHasWaited) {
  metrics::Gauge lag;
  lag.Set(-1);
  Bus bus;
  bool consumer_down = true;
  bus.Subscribe("search", "order.confirmed.v1", [&](const Event&) {
    return consumer_down ? absl::UnavailableError("down") : absl::OkStatus();
  });
  Relay relay(*outbox_, bus, clock_, logger_, absl::Milliseconds(200), &lag);
  ASSERT_OK(relay.RelayPending());
  EXPECT_EQ(lag.value(), 0);  // nothing waits
  ASSERT_OK(PlaceOrder("o-1", false));
  clock_.Advance(absl::Seconds(40));
  ASSERT_OK(PlaceOrder("o-2", false));
  EXPECT_FALSE(relay.RelayPending().ok());
  EXPECT_EQ(lag.value(), 40);  // o-1's age, not o-2's
  clock_.Advance(absl::Seconds(20));
  EXPECT_FALSE(relay.RelayPending().ok());
  EXPECT_EQ(lag.value(), 60);  // still waiting, still growing
  consumer_down = false;
  ASSERT_OK(relay.RelayPending());
  EXPECT_EQ(lag.value(), 0);
}

// Replicas of a target share its outbox: only one relays it at a time, so an event is
// published once, not once per replica. (A SQLite file belongs to one process.)
TEST_P(OutboxTest, ReplicasSharingAnOutboxPublishEachEventOnce) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "one process per SQLite file";
  for (int i = 0; i < 30; ++i) ASSERT_OK(PlaceOrder("o-" + std::to_string(i), false));
  // A slow broker, so that both replicas' passes overlap.
  class CountingPublisher final : public Publisher {
   public:
    absl::Status Publish(const Event& event) override {
      absl::SleepFor(absl::Milliseconds(5));
      std::lock_guard lock(mutex_);
      ++published_[event.id];
      return absl::OkStatus();
    }
    std::map<std::string, int> published() {
      std::lock_guard lock(mutex_);
      return published_;
    }

   private:
    std::mutex mutex_;
    std::map<std::string, int> published_;
  } broker;
  // The second replica: a process of its own, with its own connections.
  auto other_database = db::OpenPostgres({scratch_->dsn()});
  ASSERT_OK(other_database);
  Outbox other_outbox("order", **other_database);
  Relay first(*outbox_, broker, clock_, logger_);
  Relay second(other_outbox, broker, clock_, logger_);
  std::latch start(2);
  std::thread one([&] {
    start.arrive_and_wait();
    EXPECT_OK(first.RelayPending());
  });
  std::thread two([&] {
    start.arrive_and_wait();
    EXPECT_OK(second.RelayPending());
  });
  one.join();
  two.join();
  // Whatever one skipped (it found the other relaying), a later pass takes.
  ASSERT_OK(first.RelayPending());
  const auto published = broker.published();
  EXPECT_EQ(published.size(), 30u);
  for (const auto& [id, times] : published) EXPECT_EQ(times, 1) << id;
  EXPECT_TRUE(outbox_->Pending(10)->empty());
}

// The replica that is not relaying still reports the lag truthfully, and takes the outbox over
// when the relaying one stops (at once) or dies (when its lease runs out).
TEST_P(OutboxTest, AnotherReplicaTakesTheOutboxOverWhenTheRelayingOneStopsOrDies) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "one process per SQLite file";
  Bus bus;
  std::vector<std::string> seen;
  bus.Subscribe("search", "order.confirmed.v1", [&](const Event& event) {
    seen.push_back(event.aggregate_id);
    return absl::OkStatus();
  });
  metrics::Gauge idle_lag;
  auto first = std::make_unique<Relay>(*outbox_, bus, clock_, logger_);
  Relay second(*outbox_, bus, clock_, logger_, absl::Milliseconds(200), &idle_lag);
  ASSERT_OK(PlaceOrder("o-0", false));
  ASSERT_OK(first->RelayPending());  // relays o-0, and holds the lease from now on
  seen.clear();
  ASSERT_OK(PlaceOrder("o-1", false));
  clock_.Advance(absl::Seconds(1));
  ASSERT_OK(second.RelayPending());
  EXPECT_TRUE(seen.empty());       // not its to relay
  EXPECT_EQ(idle_lag.value(), 1);  // but it says how long o-1 has waited
  first->Stop();                   // gives the lease up
  ASSERT_OK(second.RelayPending());
  EXPECT_EQ(seen, (std::vector<std::string>{"o-1"}));

  // Now the second holds it (for two seconds), and dies without a word: a third waits out the
  // lease.
  Relay third(*outbox_, bus, clock_, logger_);
  ASSERT_OK(PlaceOrder("o-2", false));
  ASSERT_OK(third.RelayPending());
  EXPECT_EQ(seen.size(), 1u);
  clock_.Advance(absl::Seconds(3));
  ASSERT_OK(third.RelayPending());
  EXPECT_EQ(seen, (std::vector<std::string>{"o-1", "o-2"}));
}

TEST_P(OutboxTest, RelayDeliversBatchesWholeAndMarksEachEventOnce) {
  // More than one batch of 100: every event delivered once, in order, and none left pending.
  for (int i = 0; i < 250; ++i) ASSERT_OK(PlaceOrder("o-" + std::to_string(i), false));
  Bus bus;
  std::vector<std::string> seen;
  bus.Subscribe("search", "order.confirmed.v1", [&](const Event& event) {
    seen.push_back(event.aggregate_id);
    return absl::OkStatus();
  });
  Relay relay(*outbox_, bus, clock_, logger_);
  ASSERT_OK(relay.RelayPending());
  ASSERT_EQ(seen.size(), 250u);
  for (int i = 0; i < 250; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], "o-" + std::to_string(i));
  EXPECT_TRUE(outbox_->Pending(10)->empty());
  ASSERT_OK(relay.RelayPending());
  EXPECT_EQ(seen.size(), 250u);
}

TEST_P(OutboxTest, RelayThreadDeliversAfterWake) {
  Bus bus;
  std::atomic<int> delivered{0};
  bus.Subscribe("search", "*", [&](const Event&) {
    ++delivered;
    return absl::OkStatus();
  });
  // Polling every hour: only Wake() can make the delivery happen within the test.
  Relay relay(*outbox_, bus, clock_, logger_, absl::Hours(1));
  relay.Start();
  ASSERT_OK(PlaceOrder("o-1", false));
  relay.Wake();
  for (int i = 0; i < 500 && delivered.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  relay.Stop();
  EXPECT_EQ(delivered.load(), 1);
}

TEST_P(OutboxTest, InboxRunsEachEventOncePerConsumer) {
  ASSERT_OK(database_->Execute("CREATE TABLE counts (name TEXT PRIMARY KEY, n BIGINT)"));
  ASSERT_OK(database_->Execute("INSERT INTO counts (name, n) VALUES ('seen', 0)"));
  const Event event = MakeEvent("o-1");
  auto count_it = [&](db::Transaction& tx) {
    return tx.Execute("UPDATE counts SET n = n + 1 WHERE name = 'seen'").status();
  };
  EXPECT_EQ(*inbox_->Process("search", event, count_it), true);
  EXPECT_EQ(*inbox_->Process("search", event, count_it), false);    // duplicate delivery
  EXPECT_EQ(*inbox_->Process("reporting", event, count_it), true);  // another consumer

  // A failing effect records nothing, so the redelivery runs it again.
  const Event second = MakeEvent("o-2");
  auto failing = [](db::Transaction&) { return absl::InternalError("disk full"); };
  EXPECT_FALSE(inbox_->Process("search", second, failing).ok());
  EXPECT_EQ(*inbox_->Process("search", second, count_it), true);

  auto result = database_->Execute("SELECT n FROM counts WHERE name = 'seen'");
  ASSERT_OK(result);
  EXPECT_EQ(result->rows[0].Int(0), 3);
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) {
                           return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace travio::events
