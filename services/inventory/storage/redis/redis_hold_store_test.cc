// The HoldStore contract on the test run's Redis server; the Redis Cluster run instantiates
// the same suite.
#include "services/inventory/storage/redis/redis_hold_store.h"

#include <gtest/gtest.h>

#include "platform/base/status_macros.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/test_servers.h"
#include "services/inventory/storage/hold_store_contract.h"

namespace travio::inventory {
namespace {

class RedisHarness final : public HoldStoreHarness {
 public:
  absl::StatusOr<std::unique_ptr<HoldStore>> Open() override {
    if (redis_ == nullptr) {
      const testing::ServerEndpoints& servers = testing::SharedTestServers();
      TRAVIO_ASSIGN_OR_RETURN(
          redis_, kv::OpenRedis({.host = servers.redis_host, .port = servers.redis_port}));
    }
    return MakeRedisHoldStore(*redis_);
  }
  ManualClock* clock() override { return nullptr; }
  bool survives_reopen() const override { return true; }

 private:
  std::unique_ptr<kv::KeyValueStore> redis_;
};

INSTANTIATE_TEST_SUITE_P(Redis, HoldStoreContract,
                         ::testing::Values(HoldStoreAdapter{
                             "Redis", [] { return std::make_unique<RedisHarness>(); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace travio::inventory
