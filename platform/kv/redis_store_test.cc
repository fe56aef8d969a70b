// What only the Redis adapter has: connecting, timeouts, broken connections, the script cache.

#include "platform/kv/redis_store.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <latch>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/kv/redis_connection.h"
#include "platform/kv/script_digest.h"
#include "platform/testing/free_port.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"

namespace travio::kv {
namespace {

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using RawConnection = std::unique_ptr<redisContext, ContextDeleter>;
using RawReply = std::unique_ptr<redisReply, ReplyDeleter>;

// A connection of the test's own, for inspecting and disturbing the server behind the store.
class RawRedis {
 public:
  RawRedis() {
    const travio::testing::ServerEndpoints& servers = travio::testing::SharedTestServers();
    connection_.reset(redisConnect(servers.redis_host.c_str(), servers.redis_port));
  }

  bool ok() const { return connection_ != nullptr && connection_->err == 0; }

  RawReply Command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const std::string& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    return RawReply(static_cast<redisReply*>(redisCommandArgv(
        connection_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
  }

  // Closes, from the server side, every connection that named itself `name`; returns how many.
  int KillClientsNamed(const std::string& name) {
    RawReply list = Command({"CLIENT", "LIST", "TYPE", "normal"});
    if (list == nullptr || list->type != REDIS_REPLY_STRING) return -1;
    int killed = 0;
    for (absl::string_view line : absl::StrSplit(absl::string_view(list->str, list->len), '\n')) {
      std::string id;
      bool named = false;
      for (absl::string_view field : absl::StrSplit(line, ' ')) {
        if (absl::ConsumePrefix(&field, "id=")) id = std::string(field);
        if (field == absl::StrCat("name=", name)) named = true;
      }
      if (!named) continue;
      RawReply reply = Command({"CLIENT", "KILL", "ID", id});
      if (reply != nullptr && reply->type == REDIS_REPLY_INTEGER) killed += reply->integer;
    }
    return killed;
  }

 private:
  RawConnection connection_;
};

RedisOptions SharedServerOptions() {
  const travio::testing::ServerEndpoints& servers = travio::testing::SharedTestServers();
  RedisOptions options;
  options.host = servers.redis_host;
  options.port = servers.redis_port;
  return options;
}

std::string UniqueName(const std::string& what) {
  return absl::StrCat("kv-test-", what, "-", std::random_device()());
}

// Runs `calls` on `threads` threads at once; returns how many failed.
int RunConcurrently(int threads, const std::function<absl::Status(int)>& call) {
  std::atomic<int> failures = 0;
  std::latch start(threads);
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      start.arrive_and_wait();
      if (!call(t).ok()) ++failures;
    });
  }
  workers.clear();
  return failures.load();
}

// Accepts TCP connections (the kernel completes the handshake into the listen backlog) and
// never answers.
class SilentServer {
 public:
  SilentServer() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(fd_, 16) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() {
    if (fd_ >= 0) close(fd_);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(RedisStore, UnreachableServerIsUnavailable) {
  RedisOptions options;
  options.port = travio::testing::FreePort();
  options.timeout = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<KeyValueStore>> store = OpenRedis(options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << store.status();
}

TEST(RedisStore, InvalidOptionsAreRejected) {
  RedisOptions no_pool = SharedServerOptions();
  no_pool.pool_size = 0;
  EXPECT_EQ(OpenRedis(no_pool).status().code(), absl::StatusCode::kInvalidArgument);
  RedisOptions no_timeout = SharedServerOptions();
  no_timeout.timeout = absl::ZeroDuration();
  EXPECT_EQ(OpenRedis(no_timeout).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RedisStore, SilentServerIsDeadlineExceeded) {
  SilentServer server;
  ASSERT_NE(server.port(), 0);
  RedisOptions options;
  options.port = server.port();
  options.timeout = absl::Milliseconds(200);
  absl::StatusOr<std::unique_ptr<KeyValueStore>> store = OpenRedis(options);
  ASSERT_OK(store);
  EXPECT_EQ((*store)->Get("k").status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ((*store)->Set("k", "v", absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST(RedisStore, RefusedPasswordIsUnauthenticated) {
  RedisOptions options = SharedServerOptions();
  // The test server has no password, so AUTH is refused whatever is sent.
  options.password = "not-the-password";
  EXPECT_EQ(OpenRedis(options).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(RedisStore, RecoversAfterItsConnectionsAreKilled) {
  RedisOptions options = SharedServerOptions();
  options.pool_size = 4;
  options.client_name = UniqueName("killed");
  absl::StatusOr<std::unique_ptr<KeyValueStore>> opened = OpenRedis(options);
  ASSERT_OK(opened);
  KeyValueStore& store = **opened;
  const std::string prefix = UniqueName("key") + ":";
  RawRedis raw;
  ASSERT_TRUE(raw.ok());

  // Fill the pool, so that every idle connection is dead after the kill.
  ASSERT_EQ(
      RunConcurrently(
          8, [&](int t) { return store.Set(absl::StrCat(prefix, t), "v", absl::Minutes(1)); }),
      0);
  EXPECT_GE(raw.KillClientsNamed(options.client_name), 1);

  // Not even the first call after the kill fails, whatever kind of command it is.
  EXPECT_TRUE(store.SetIfAbsent(prefix + "lock", "me", absl::Minutes(1)).value_or(false));
  EXPECT_EQ(store.Get(prefix + "0").value_or(std::nullopt), "v");
  EXPECT_EQ(
      RunConcurrently(8, [&](int t) { return store.Delete(absl::StrCat(prefix, t)).status(); }), 0);

  EXPECT_GE(raw.KillClientsNamed(options.client_name), 1);
  EXPECT_EQ(store.Increment(prefix + "n", 1, absl::Minutes(1)).value_or(0), 1);
  EXPECT_TRUE(store.CompareAndDelete(prefix + "lock", "me").value_or(false));
  EXPECT_TRUE(store.Delete(prefix + "n").value_or(false));
}

TEST(RedisConnection, NoticesBeingClosedAndClassifiesTheFailure) {
  RedisOptions options = SharedServerOptions();
  options.client_name = UniqueName("closed");
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Open(options);
  ASSERT_OK(connection);
  EXPECT_TRUE((*connection)->LooksAlive());

  RawRedis raw;
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw.KillClientsNamed(options.client_name), 1);
  EXPECT_FALSE((*connection)->LooksAlive());

  const std::string_view get[] = {"GET", "k"};
  const CommandOutcome outcome = (*connection)->Command(get);
  EXPECT_EQ(outcome.reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(outcome.connection_lost);
  EXPECT_FALSE((*connection)->usable());
}

TEST(RedisConnection, WritingToAClosedConnectionDoesNotRaiseSigpipe) {
  RedisOptions options = SharedServerOptions();
  options.client_name = UniqueName("sigpipe");
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection = RedisConnection::Open(options);
  ASSERT_OK(connection);
  RawRedis raw;
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw.KillClientsNamed(options.client_name), 1);

  // Far more than the socket buffers hold: the write is still going when the server's reset
  // arrives, so a later write(2) fails with EPIPE, which would raise SIGPIPE and end the test
  // binary.
  const std::string value(64 << 20, 'x');
  const std::string_view set[] = {"SET", "never-stored", value};
  const CommandOutcome outcome = (*connection)->Command(set);
  EXPECT_EQ(outcome.reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(outcome.maybe_sent);
  EXPECT_TRUE(outcome.connection_lost);
}

TEST(RedisStore, ScriptsAreCachedUnderTheirSha1) {
  EXPECT_EQ(ScriptSha1("return 1"), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");

  absl::StatusOr<std::unique_ptr<KeyValueStore>> store = OpenRedis(SharedServerOptions());
  ASSERT_OK(store);
  // Text no one has loaded yet, so the first run goes through NOSCRIPT and EVAL.
  const Script script{.name = "fresh",
                      .lua = absl::StrCat("-- ", UniqueName("script"), "\nreturn ARGV[1]")};
  const std::vector<std::string> args = {"hello"};
  EXPECT_EQ((*store)->Run(script, {}, args).value_or(ScriptReply{}), ScriptReply{"hello"});

  RawRedis raw;
  ASSERT_TRUE(raw.ok());
  RawReply exists = raw.Command({"SCRIPT", "EXISTS", ScriptSha1(script.lua)});
  ASSERT_NE(exists, nullptr);
  ASSERT_EQ(exists->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ(exists->elements, 1u);
  EXPECT_EQ(exists->element[0]->integer, 1);
  EXPECT_EQ((*store)->Run(script, {}, args).value_or(ScriptReply{}), ScriptReply{"hello"});
}

TEST(RedisStore, ScriptErrorsKeepRedisMessage) {
  absl::StatusOr<std::unique_ptr<KeyValueStore>> store = OpenRedis(SharedServerOptions());
  ASSERT_OK(store);

  const Script refuses{.name = "refuses", .lua = "return redis.error_reply('sold out')"};
  const absl::Status refused = (*store)->Run(refuses, {}, {}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(refused.message(), "sold out")) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "refuses")) << refused;

  const std::string key = UniqueName("text");
  ASSERT_OK((*store)->Set(key, "abc", absl::Minutes(1)));
  const Script increments{.name = "increments", .lua = "return redis.call('INCR', KEYS[1])"};
  const std::vector<std::string> keys = {key};
  EXPECT_EQ((*store)->Run(increments, keys, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*store)->Delete(key).value_or(false));
}

}  // namespace
}  // namespace travio::kv
