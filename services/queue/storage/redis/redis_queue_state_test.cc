// The QueueState contract on Redis and on a Redis Cluster (the shared test servers).

#include "services/queue/storage/redis/redis_queue_state.h"

#include "platform/kv/redis_cluster_store.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/test_servers.h"
#include "services/queue/storage/queue_state_contract.h"

namespace travio::queue {
namespace {

class RedisQueueHarness final : public QueueStateHarness {
 public:
  explicit RedisQueueHarness(bool cluster) : cluster_(cluster) {}

  absl::StatusOr<std::unique_ptr<QueueState>> Open(absl::Time) override {
    if (redis_ == nullptr) {
      const testing::ServerEndpoints& servers = testing::SharedTestServers();
      kv::RedisOptions options;
      options.host = servers.redis_host;
      options.port = servers.redis_port;
      absl::StatusOr<std::unique_ptr<kv::KeyValueStore>> store;
      if (cluster_) {
        kv::RedisClusterOptions cluster{.seeds = {}, .node = options, .max_redirects = 5};
        for (int port : servers.redis_cluster_ports) {
          cluster.seeds.push_back({servers.redis_host, port});
        }
        store = kv::OpenRedisCluster(cluster);
      } else {
        store = kv::OpenRedis(options);
      }
      if (!store.ok()) return store.status();
      redis_ = *std::move(store);
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
