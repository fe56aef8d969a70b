// What only the Redis Cluster router has: slots from hash tags, keys spread over the masters,
// scripts confined to one slot, and a slot that moves to another master being followed.
#include "platform/kv/redis_cluster_store.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"

namespace travio::kv {
namespace {

// Raw commands to one node, to look behind the router's back.
std::string Command(int port, const std::string& command) {
  redisContext* context = redisConnect("127.0.0.1", port);
  if (context == nullptr || context->err != 0) {
    if (context != nullptr) redisFree(context);
    return "<no connection>";
  }
  std::vector<std::string> words = absl::StrSplit(command, ' ');
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& word : words) {
    argv.push_back(word.c_str());
    lengths.push_back(word.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  std::string text = "<no reply>";
  if (reply != nullptr) {
    if (reply->type == REDIS_REPLY_INTEGER) text = std::to_string(reply->integer);
    if (reply->str != nullptr) text = std::string(reply->str, reply->len);
    if (reply->type == REDIS_REPLY_NIL) text = "<nil>";
    freeReplyObject(reply);
  }
  redisFree(context);
  return text;
}

std::unique_ptr<KeyValueStore> OpenCluster() {
  const testing::ServerEndpoints& servers = testing::SharedTestServers();
  RedisClusterOptions options;
  for (int port : servers.redis_cluster_ports) options.seeds.push_back({"127.0.0.1", port});
  auto store = OpenRedisCluster(options);
  EXPECT_OK(store);
  return store.ok() ? *std::move(store) : nullptr;
}

TEST(ClusterSlot, FollowsTheRedisClusterSpecification) {
  EXPECT_EQ(ClusterSlot("123456789"), 0x31C3);  // the spec's CRC16 check value
  EXPECT_EQ(ClusterSlot("{user1000}.following"), ClusterSlot("{user1000}.followers"));
  EXPECT_EQ(ClusterSlot("{user1000}.following"), ClusterSlot("user1000"));
  EXPECT_EQ(ClusterSlot("foo{}{bar}"), ClusterSlot("foo{}{bar}"));
  EXPECT_NE(ClusterSlot("foo{}{bar}"), ClusterSlot("bar"));  // an empty tag hashes the whole key
  EXPECT_EQ(ClusterSlot("foo{{bar}}zap"), ClusterSlot("{bar"));
  EXPECT_EQ(ClusterSlot("inv:{trip:42}:claims"), ClusterSlot("inv:{trip:42}:holds"));
}

TEST(RedisClusterStore, KeysSpreadOverEveryMasterAndReadBack) {
  auto store = OpenCluster();
  ASSERT_NE(store, nullptr);
  const std::string prefix = absl::StrCat("spread:", std::random_device()(), ":");
  for (int i = 0; i < 60; ++i) {
    ASSERT_OK(store->Set(absl::StrCat(prefix, i), std::to_string(i), absl::Minutes(1)));
  }
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ(*store->Get(absl::StrCat(prefix, i)), std::to_string(i));
  }
  // Every master holds some of them: the router did not send everything to one node.
  for (int port : testing::SharedTestServers().redis_cluster_ports) {
    int here = 0;
    for (int i = 0; i < 60; ++i) {
      here += Command(port, absl::StrCat("GET ", prefix, i)) == std::to_string(i) ? 1 : 0;
    }
    EXPECT_GT(here, 0) << "port " << port;
  }
}

TEST(RedisClusterStore, AScriptMustKeepItsKeysInOneSlot) {
  auto store = OpenCluster();
  ASSERT_NE(store, nullptr);
  const Script both{"test.both", "return #KEYS", {}};
  const std::vector<std::string> spread = {"cross:a", "cross:b"};
  auto refused = store->Run(both, spread, {});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> tagged = {"cross:{t}:a", "cross:{t}:b"};
  auto ran = store->Run(both, tagged, {});
  ASSERT_OK(ran);
  EXPECT_EQ(ran->integer(), 2);
}

// A slot handed to another master answers MOVED at its old owner; the router re-reads the
// slot map and carries on.
TEST(RedisClusterStore, ASlotThatMovesIsFollowed) {
  auto store = OpenCluster();
  ASSERT_NE(store, nullptr);
  const std::vector<int>& ports = testing::SharedTestServers().redis_cluster_ports;
  ASSERT_OK(
      store->Set(absl::StrCat("moving-warmup:", std::random_device()()), "x", absl::Minutes(1)));
  // A slot with no key: other suites share this cluster, and a node refuses to give away a
  // slot it still holds keys of (the move below would then silently not happen).
  std::string key;
  int slot = 0;
  int owner = 0;
  for (int attempt = 0; attempt < 100 && owner == 0; ++attempt) {
    key = absl::StrCat("moving:", std::random_device()());
    slot = ClusterSlot(key);
    for (int port : ports) {
      if (Command(port, "GET " + key).rfind("MOVED", 0) != 0) owner = port;
    }
    if (owner != 0 && Command(owner, absl::StrCat("CLUSTER COUNTKEYSINSLOT ", slot)) != "0") {
      owner = 0;
    }
  }
  ASSERT_NE(owner, 0);
  const int target = ports[0] == owner ? ports[1] : ports[0];
  const std::string target_id = Command(target, "CLUSTER MYID");
  // The slot is empty: assigning it is enough (target first, with a newer epoch).
  ASSERT_EQ(Command(target, absl::StrCat("CLUSTER SETSLOT ", slot, " NODE ", target_id)), "OK");
  Command(target, "CLUSTER BUMPEPOCH");
  for (int port : ports) {
    if (port != target) Command(port, absl::StrCat("CLUSTER SETSLOT ", slot, " NODE ", target_id));
  }
  ASSERT_EQ(Command(owner, "GET " + key).rfind("MOVED", 0), 0u);
  // The router still believes the old owner: MOVED, refresh, retry.
  ASSERT_OK(store->Set(key, "moved", absl::Minutes(1)));
  EXPECT_EQ(Command(target, "GET " + key), "moved");
  EXPECT_EQ(*store->Get(key), "moved");
  // Put the slot back for the rest of the run.
  ASSERT_OK(store->Delete(key));
  const std::string owner_id = Command(owner, "CLUSTER MYID");
  Command(owner, absl::StrCat("CLUSTER SETSLOT ", slot, " NODE ", owner_id));
  Command(owner, "CLUSTER BUMPEPOCH");
  for (int port : ports) {
    if (port != owner) Command(port, absl::StrCat("CLUSTER SETSLOT ", slot, " NODE ", owner_id));
  }
  ASSERT_OK(store->Set(key, "back", absl::Minutes(1)));
  EXPECT_EQ(Command(owner, "GET " + key), "back");
  ASSERT_OK(store->Delete(key));
}

}  // namespace
}  // namespace travio::kv
