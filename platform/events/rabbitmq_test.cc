// The RabbitMQ transport against the test run's broker: events published by a relay reach each
// consumer's durable queue, failures are redelivered, and a queue keeps what arrived while its
// consumer was away.
#include "platform/events/rabbitmq.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"

namespace travio::events {
namespace {

RabbitOptions Options() {
  RabbitOptions options;
  options.port = testing::SharedTestServers().rabbitmq_port;
  // Tests of one run share the broker: each uses an exchange of its own.
  options.exchange = absl::StrCat("test.", std::random_device()());
  return options;
}

Event Sample(const std::string& id, const std::string& type) {
  return Event{.id = id,
               .type = type,
               .aggregate_id = "trip-1",
               .org_id = "org-1",
               .occurred_at = absl::FromUnixMicros(1'800'000'000'123'456),
               .trace_id = "trace",
               .payload = R"({"seats":["A1"]})"};
}

// What a consumer received, waited for without assuming how fast the broker is.
class Received {
 public:
  absl::Status Take(const Event& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    return absl::OkStatus();
  }
  std::vector<Event> WaitFor(size_t count) {
    for (int i = 0; i < 300; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (events_.size() >= count) return events_;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::vector<Event> events_;
};

std::string Unique(const std::string& name) {
  return absl::StrCat(name, "-", std::random_device()());
}

TEST(RabbitMqTest, EachConsumerGetsTheTypesItBoundAndTheEnvelopeIntact) {
  const RabbitOptions options = Options();
  Received inventory;
  Received audit;
  RabbitConsumer inventory_consumer(
      options, Unique("inventory"), {"trip.published.v1"},
      [&](const Event& event) { return inventory.Take(event); },
      log::Logger::ToStderr(log::Level::kError));
  RabbitConsumer audit_consumer(
      options, Unique("audit"), {"*"}, [&](const Event& event) { return audit.Take(event); },
      log::Logger::ToStderr(log::Level::kError));
  ASSERT_OK(inventory_consumer.Start());
  ASSERT_OK(audit_consumer.Start());
  RabbitPublisher publisher(options);
  ASSERT_OK(publisher.Publish(Sample("e1", "trip.published.v1")));
  ASSERT_OK(publisher.Publish(Sample("e2", "order.confirmed.v1")));
  const std::vector<Event> all = audit.WaitFor(2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], Sample("e1", "trip.published.v1"));  // every field crossed the broker
  EXPECT_EQ(all[1].id, "e2");
  const std::vector<Event> trips = inventory.WaitFor(1);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].id, "e1");
  // order.confirmed.v1 never reached it: a later trip event arrives, after nothing else (the
  // consumer's queue keeps the order of publication).
  ASSERT_OK(publisher.Publish(Sample("e3", "trip.published.v1")));
  const std::vector<Event> later = inventory.WaitFor(2);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[1].id, "e3");
}

// Replicas of a read model each need every event (Delivery::kEveryInstance): each instance's
// own queue gets all of them, while instances on the shared queue split them.
TEST(RabbitMqTest, InstanceQueuesEachGetEveryEventWhileTheSharedQueueSplitsThem) {
  const RabbitOptions options = Options();
  const std::string consumer = Unique("search");
  const log::Logger quiet = log::Logger::ToStderr(log::Level::kError);
  Received first;
  Received second;
  Received shared_a;
  Received shared_b;
  RabbitConsumer first_own(
      options, consumer, {"*"}, [&](const Event& event) { return first.Take(event); }, quiet,
      "instance-1");
  RabbitConsumer second_own(
      options, consumer, {"*"}, [&](const Event& event) { return second.Take(event); }, quiet,
      "instance-2");
  RabbitConsumer shared_one(
      options, consumer, {"*"}, [&](const Event& event) { return shared_a.Take(event); }, quiet);
  RabbitConsumer shared_two(
      options, consumer, {"*"}, [&](const Event& event) { return shared_b.Take(event); }, quiet);
  EXPECT_EQ(first_own.queue(), options.exchange + "." + consumer + ".instance-1");
  EXPECT_EQ(shared_one.queue(), options.exchange + "." + consumer);
  for (RabbitConsumer* each : {&first_own, &second_own, &shared_one, &shared_two}) {
    ASSERT_OK(each->Start());
  }
  RabbitPublisher publisher(options);
  constexpr int kEvents = 40;
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_OK(publisher.Publish(Sample(absl::StrCat("e", i), "hold.placed.v1")));
  }
  EXPECT_EQ(first.WaitFor(kEvents).size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(second.WaitFor(kEvents).size(), static_cast<size_t>(kEvents));
  std::set<std::string> once;
  for (int i = 0; i < 300 && shared_a.WaitFor(0).size() + shared_b.WaitFor(0).size() < kEvents;
       ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  for (Received* shared : {&shared_a, &shared_b}) {
    for (const Event& event : shared->WaitFor(0)) EXPECT_TRUE(once.insert(event.id).second);
  }
  EXPECT_EQ(once.size(), static_cast<size_t>(kEvents));  // each event once across the two
}

TEST(RabbitMqTest, AFailedDeliveryComesBackUntilItSucceeds) {
  const RabbitOptions options = Options();
  std::atomic<int> attempts{0};
  Received received;
  RabbitConsumer consumer(
      options, Unique("flaky"), {"*"},
      [&](const Event& event) {
        if (++attempts < 3) return absl::UnavailableError("not yet");
        return received.Take(event);
      },
      log::Logger::ToStderr(log::Level::kError));
  ASSERT_OK(consumer.Start());
  RabbitPublisher publisher(options);
  ASSERT_OK(publisher.Publish(Sample("e1", "hold.placed.v1")));
  ASSERT_EQ(received.WaitFor(1).size(), 1u);
  EXPECT_EQ(attempts.load(), 3);
}

TEST(RabbitMqTest, AQueueKeepsWhatArrivesWhileItsConsumerIsAway) {
  const RabbitOptions options = Options();
  const std::string name = Unique("away");
  Received first;
  {
    RabbitConsumer consumer(
        options, name, {"*"}, [&](const Event& e) { return first.Take(e); },
        log::Logger::ToStderr(log::Level::kError));
    ASSERT_OK(consumer.Start());
  }  // stopped: the durable queue stays
  RabbitPublisher publisher(options);
  ASSERT_OK(publisher.Publish(Sample("kept", "hold.placed.v1")));
  Received second;
  RabbitConsumer back(
      options, name, {"*"}, [&](const Event& e) { return second.Take(e); },
      log::Logger::ToStderr(log::Level::kError));
  ASSERT_OK(back.Start());
  const std::vector<Event> got = second.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "kept");
}

TEST(RabbitMqTest, AnUnreachableBrokerIsUnavailable) {
  RabbitOptions options = Options();
  options.port = 1;  // nothing listens there
  options.timeout = absl::Milliseconds(500);
  RabbitPublisher publisher(options);
  EXPECT_EQ(publisher.Publish(Sample("e", "t")).code(), absl::StatusCode::kUnavailable);
  RabbitConsumer consumer(
      options, "nobody", {"*"}, [](const Event&) { return absl::OkStatus(); },
      log::Logger::ToStderr(log::Level::kError));
  EXPECT_EQ(consumer.Start().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace travio::events
