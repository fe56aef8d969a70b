// The QueueState contract on Redis and on a Redis Cluster (the shared test servers).

#include "services/queue/storage/redis/redis_queue_state.h"

#include "platform/base/status_macros.h"
#include "platform/testing/shared_redis.h"
#include "services/queue/storage/queue_state_contract.h"

namespace travio::queue {
namespace {

class RedisQueueHarness final : public QueueStateHarness {
 public:
  explicit RedisQueueHarness(bool cluster) : cluster_(cluster) {}

  absl::StatusOr<std::unique_ptr<QueueState>> Open(absl::Time) override {
    if (redis_ == nullptr) {
      TRAVIO_ASSIGN_OR_RETURN(redis_, testing::OpenSharedRedis(cluster_));
    }
    return MakeRedisQueueState(*redis_);
  }
  bool survives_reopen() const override { return true; }

 private:
  bool cluster_;
  std::unique_ptr<kv::KeyValueStore> redis_;
};

INSTANTIATE_TEST_SUITE_P(
    Redis, QueueStateContract,
    ::testing::Values(QueueStateAdapter{"Redis",
                                        [] { return std::make_unique<RedisQueueHarness>(false); }},
                      QueueStateAdapter{"RedisCluster",
                                        [] { return std::make_unique<RedisQueueHarness>(true); }}),
    PrintAdapterName);

}  // namespace
}  // namespace travio::queue
