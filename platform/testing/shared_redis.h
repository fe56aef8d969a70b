#pragma once

// A key-value store on the test run's shared Redis server, or on its three-master Redis
// Cluster (SharedTestServers), for the suites that run a contract on both.

#include <memory>

#include "absl/status/statusor.h"
#include "platform/kv/key_value_store.h"
#include "platform/kv/redis_cluster_store.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/test_servers.h"

namespace travio::testing {

inline absl::StatusOr<std::unique_ptr<kv::KeyValueStore>> OpenSharedRedis(bool cluster) {
  const ServerEndpoints& servers = SharedTestServers();
  kv::RedisOptions node;
  node.host = servers.redis_host;
  node.port = servers.redis_port;
  if (!cluster) return kv::OpenRedis(node);
  kv::RedisClusterOptions options{.seeds = {}, .node = node, .max_redirects = 5};
  for (int port : servers.redis_cluster_ports) options.seeds.push_back({servers.redis_host, port});
  return kv::OpenRedisCluster(options);
}

}  // namespace travio::testing
