// The HoldStore contract on the test run's Redis server and on its three-master Redis Cluster.
#include "services/inventory/storage/redis/redis_hold_store.h"

#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/testing/shared_redis.h"
#include "services/inventory/storage/hold_store_contract.h"

namespace travio::inventory {
namespace {

class RedisHarness final : public HoldStoreHarness {
 public:
  explicit RedisHarness(bool cluster) : cluster_(cluster) {}

  absl::StatusOr<std::unique_ptr<HoldStore>> Open() override {
    if (redis_ == nullptr) {
      TRAVIO_ASSIGN_OR_RETURN(redis_, testing::OpenSharedRedis(cluster_));
    }
    return MakeRedisHoldStore(*redis_);
  }
  ManualClock* clock() override { return nullptr; }
  bool survives_reopen() const override { return true; }

 private:
  bool cluster_;
  std::unique_ptr<kv::KeyValueStore> redis_;
};

INSTANTIATE_TEST_SUITE_P(
    Redis, HoldStoreContract,
    ::testing::Values(
        HoldStoreAdapter{"Redis", [] { return std::make_unique<RedisHarness>(false); }},
        HoldStoreAdapter{"RedisCluster", [] { return std::make_unique<RedisHarness>(true); }}),
    [](const auto& info) { return info.param.name; });

// The shared Redis, with a hook run after each script of a given name: another request's
// work landing between two steps of the store's.
class HookedRedis final : public kv::KeyValueStore {
 public:
  explicit HookedRedis(kv::KeyValueStore& inner) : inner_(inner) {}
  std::string after_script;
  std::function<void()> hook;

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    return inner_.Get(key);
  }
  absl::Status Set(std::string_view key, std::string_view value, absl::Duration ttl) override {
    return inner_.Set(key, value, ttl);
  }
  absl::StatusOr<bool> SetIfAbsent(std::string_view key, std::string_view value,
                                   absl::Duration ttl) override {
    return inner_.SetIfAbsent(key, value, ttl);
  }
  absl::StatusOr<bool> CompareAndDelete(std::string_view key, std::string_view expected) override {
    return inner_.CompareAndDelete(key, expected);
  }
  absl::StatusOr<bool> Delete(std::string_view key) override { return inner_.Delete(key); }
  absl::StatusOr<int64_t> Increment(std::string_view key, int64_t delta,
                                    absl::Duration ttl) override {
    return inner_.Increment(key, delta, ttl);
  }
  absl::StatusOr<std::optional<absl::Duration>> Ttl(std::string_view key) override {
    return inner_.Ttl(key);
  }
  absl::StatusOr<kv::ScriptReply> Run(const kv::Script& script, std::span<const std::string> keys,
                                      std::span<const std::string> args) override {
    absl::StatusOr<kv::ScriptReply> reply = inner_.Run(script, keys, args);
    if (script.name == after_script && hook) std::exchange(hook, nullptr)();
    return reply;
  }

 private:
  kv::KeyValueStore& inner_;
};

TEST(RedisHoldStoreTest, AHoldMadeWhileItsTripIsDroppedIsStillSwept) {
  auto redis = testing::OpenSharedRedis(/*cluster=*/false);
  ASSERT_TRUE(redis.ok()) << redis.status();
  HookedRedis hooked(**redis);
  std::unique_ptr<HoldStore> store = MakeRedisHoldStore(hooked);
  SystemClock clock;
  const std::string trip_id = IdGenerator(clock).NewId();
  TripSeats trip{.trip_id = trip_id, .stops = {"DHK", "CTG"}, .places = {{"A1", "standard", true}}};
  ASSERT_TRUE(store->LoadTrip(trip, {}).ok());
  // A request that met the trip dropped reloads it and holds, between the drop's steps.
  HoldRecord request{.trip_id = trip_id, .org_id = "org", .hold = {}, .prices = {}};
  request.hold = {.id = IdGenerator(clock).NewId(),
                  .holder = "holder-" + trip_id,
                  .seats = {"A1"},
                  .journey = {0, 1},
                  .expires_at = absl::InfinitePast(),
                  .version = 1};
  hooked.after_script = "inventory.drop";
  hooked.hook = [&] {
    ASSERT_TRUE(store->LoadTrip(trip, {}).ok());
    ASSERT_TRUE(
        store->Hold(request, absl::Milliseconds(200), {.max_seats = 1, .max_holds = 1}).ok());
  };
  ASSERT_TRUE(store->DropTrip(trip_id).ok());
  absl::SleepFor(absl::Milliseconds(300));
  bool swept = false;
  for (int round = 0; round < 100 && !swept; ++round) {  // a shared server has other trips due
    auto batch = store->SweepExpired(1000);
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const HoldRecord& record : *batch) swept = swept || record.hold.id == request.hold.id;
    if (batch->empty()) break;
  }
  EXPECT_TRUE(swept) << "the hold made while its trip was dropped is never swept";
}

}  // namespace
}  // namespace travio::inventory
