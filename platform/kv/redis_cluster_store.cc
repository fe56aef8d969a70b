#include "platform/kv/redis_cluster_store.h"

#include <array>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"
#include "platform/kv/redis_pool.h"
#include "platform/kv/redis_reply.h"

namespace travio::kv {
namespace {

constexpr int kSlots = 16384;

uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

// A slot that moved (MOVED: for good, ASK: while it migrates), or a cluster that is changing
// its mind (a failover): worth re-reading the slot map and trying again.
// (A script's error carries the script's name before the server's words.)
bool IsRedirect(const absl::Status& status) {
  const absl::string_view message = status.message();
  return absl::StrContains(message, "Redis: MOVED ") || absl::StrContains(message, "Redis: ASK ") ||
         absl::StrContains(message, "Redis: TRYAGAIN") ||
         absl::StrContains(message, "Redis: CLUSTERDOWN");
}

template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}
inline const absl::Status& StatusOf(const absl::Status& status) { return status; }

class RedisClusterStore final : public KeyValueStore {
 public:
  explicit RedisClusterStore(RedisClusterOptions options) : options_(std::move(options)) {}

  // Reads the slot map from the first seed or known node that answers CLUSTER SLOTS.
  absl::Status Refresh() {
    std::vector<std::pair<std::string, int>> candidates = options_.seeds;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [address, node] : nodes_) candidates.push_back(node.address);
    }
    absl::Status last = absl::UnavailableError("no Redis Cluster seed given");
    for (const auto& [host, port] : candidates) {
      absl::Status status = RefreshFrom(host, port);
      if (status.ok()) return status;
      last = status;
    }
    return last;
  }

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    return Route(key, [&](KeyValueStore& node) { return node.Get(key); });
  }
  absl::Status Set(std::string_view key, std::string_view value, absl::Duration ttl) override {
    return Route(key, [&](KeyValueStore& node) { return node.Set(key, value, ttl); });
  }
  absl::StatusOr<bool> SetIfAbsent(std::string_view key, std::string_view value,
                                   absl::Duration ttl) override {
    return Route(key, [&](KeyValueStore& node) { return node.SetIfAbsent(key, value, ttl); });
  }
  absl::StatusOr<bool> CompareAndDelete(std::string_view key, std::string_view expected) override {
    return Route(key, [&](KeyValueStore& node) { return node.CompareAndDelete(key, expected); });
  }
  absl::StatusOr<bool> Delete(std::string_view key) override {
    return Route(key, [&](KeyValueStore& node) { return node.Delete(key); });
  }
  absl::StatusOr<int64_t> Increment(std::string_view key, int64_t delta,
                                    absl::Duration ttl) override {
    return Route(key, [&](KeyValueStore& node) { return node.Increment(key, delta, ttl); });
  }
  absl::StatusOr<std::optional<absl::Duration>> Ttl(std::string_view key) override {
    return Route(key, [&](KeyValueStore& node) { return node.Ttl(key); });
  }
  absl::StatusOr<ScriptReply> Run(const Script& script, std::span<const std::string> keys,
                                  std::span<const std::string> args) override {
    const std::string_view first = keys.empty() ? std::string_view() : keys.front();
    for (const std::string& key : keys) {
      if (ClusterSlot(key) != ClusterSlot(first)) {
        return absl::InvalidArgumentError(
            absl::StrCat("script '", script.name, "' names keys of different cluster slots (",
                         ToAbsl(first), ", ", key, "); give them one hash tag"));
      }
    }
    return Route(first, [&](KeyValueStore& node) { return node.Run(script, keys, args); });
  }

 private:
  struct Node {
    std::pair<std::string, int> address;
    std::shared_ptr<KeyValueStore> store;
  };

  template <typename Operation>
  auto Route(std::string_view key, Operation operation)
      -> decltype(operation(std::declval<KeyValueStore&>())) {
    const int slot = ClusterSlot(key);
    for (int attempt = 0;; ++attempt) {
      std::shared_ptr<KeyValueStore> node = NodeFor(slot);
      if (node == nullptr) {
        TRAVIO_RETURN_IF_ERROR(Refresh());
        node = NodeFor(slot);
        if (node == nullptr) {
          return absl::UnavailableError(absl::StrCat("no Redis Cluster node serves slot ", slot));
        }
      }
      auto result = operation(*node);
      if (result.ok() || !IsRedirect(StatusOf(result))) return result;
      if (attempt >= options_.max_redirects) {
        return absl::UnavailableError(absl::StrCat("Redis Cluster slot ", slot,
                                                   " kept moving: ", StatusOf(result).message()));
      }
      // A migrating slot answers ASK until it has moved; give it a moment.
      if (attempt > 0) absl::SleepFor(absl::Milliseconds(10 * attempt));
      TRAVIO_RETURN_IF_ERROR(Refresh());
    }
  }

  std::shared_ptr<KeyValueStore> NodeFor(int slot) {
    absl::MutexLock lock(&mu_);
    const std::string& address = slots_[static_cast<size_t>(slot)];
    auto it = nodes_.find(address);
    return it == nodes_.end() ? nullptr : it->second.store;
  }

  absl::Status RefreshFrom(const std::string& host, int port) {
    RedisOptions admin = options_.node;
    admin.host = host;
    admin.port = port;
    admin.pool_size = 1;
    TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<RedisPool> pool, RedisPool::Open(admin));
    const std::string_view command[] = {"CLUSTER", "SLOTS"};
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool->Execute(command, Retry::kIdempotent));
    if (reply->type == REDIS_REPLY_ERROR) return ErrorReplyStatus(*reply);
    if (reply->type != REDIS_REPLY_ARRAY) return UnexpectedReply("CLUSTER SLOTS", *reply);
    // [[start, end, [host, port, id, ...], replicas...], ...]
    std::array<std::string, kSlots> slots;
    std::map<std::string, std::pair<std::string, int>> masters;
    for (size_t i = 0; i < reply->elements; ++i) {
      const redisReply* range = reply->element[i];
      if (range->type != REDIS_REPLY_ARRAY || range->elements < 3 ||
          range->element[0]->type != REDIS_REPLY_INTEGER ||
          range->element[1]->type != REDIS_REPLY_INTEGER ||
          range->element[2]->type != REDIS_REPLY_ARRAY || range->element[2]->elements < 2) {
        return UnexpectedReply("CLUSTER SLOTS", *reply);
      }
      const redisReply* master = range->element[2];
      if (master->element[0]->type != REDIS_REPLY_STRING ||
          master->element[1]->type != REDIS_REPLY_INTEGER) {
        return UnexpectedReply("CLUSTER SLOTS", *reply);
      }
      std::string master_host(master->element[0]->str, master->element[0]->len);
      // A node that does not know its own address announces an empty one: it is the one asked.
      if (master_host.empty()) master_host = host;
      const int master_port = static_cast<int>(master->element[1]->integer);
      const std::string address = absl::StrCat(master_host, ":", master_port);
      masters[address] = {master_host, master_port};
      const long long start = range->element[0]->integer;
      const long long end = range->element[1]->integer;
      for (long long slot = std::max(0LL, start); slot <= end && slot < kSlots; ++slot) {
        slots[static_cast<size_t>(slot)] = address;
      }
    }
    // Connections to masters not known yet are opened outside the lock.
    std::map<std::string, Node> opened;
    for (const auto& [address, host_port] : masters) {
      {
        absl::MutexLock lock(&mu_);
        if (nodes_.count(address)) continue;
      }
      RedisOptions node = options_.node;
      node.host = host_port.first;
      node.port = host_port.second;
      TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<KeyValueStore> store, OpenRedis(node));
      opened[address] = Node{host_port, std::move(store)};
    }
    absl::MutexLock lock(&mu_);
    for (auto& [address, node] : opened) nodes_.emplace(address, std::move(node));
    slots_ = std::move(slots);
    return absl::OkStatus();
  }

  const RedisClusterOptions options_;
  absl::Mutex mu_;
  std::map<std::string, Node> nodes_ ABSL_GUARDED_BY(mu_);
  std::array<std::string, kSlots> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

int ClusterSlot(std::string_view key) {
  const size_t open = key.find('{');
  if (open != std::string_view::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) % kSlots;
}

absl::StatusOr<std::unique_ptr<KeyValueStore>> OpenRedisCluster(
    const RedisClusterOptions& options) {
  if (options.seeds.empty()) return absl::InvalidArgumentError("no Redis Cluster seed given");
  auto store = std::make_unique<RedisClusterStore>(options);
  TRAVIO_RETURN_IF_ERROR(store->Refresh());
  return std::unique_ptr<KeyValueStore>(std::move(store));
}

}  // namespace travio::kv
