// The HoldStore contract on the test run's Redis server and on its three-master Redis Cluster.
#include "services/inventory/storage/redis/redis_hold_store.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace travio::inventory
