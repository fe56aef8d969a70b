// The behaviour every KeyValueStore adapter must share, run against the memory adapter (on a
// ManualClock) and against the real Redis server of the test run.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <source_location>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/clock.h"
#include "platform/kv/key_value_store.h"
#include "platform/kv/memory_store.h"
#include "platform/kv/redis_cluster_store.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"

namespace travio::kv {

// Readable failure messages; found by argument-dependent lookup, so it lives in ScriptReply's
// namespace.
static void PrintTo(const ScriptReply& reply, std::ostream* out) {
  if (reply.is_nil()) {
    *out << "nil";
  } else if (std::holds_alternative<int64_t>(reply.value)) {
    *out << reply.integer();
  } else if (std::holds_alternative<std::string>(reply.value)) {
    *out << '"' << absl::CHexEscape(reply.text()) << '"';
  } else {
    *out << '[';
    for (size_t i = 0; i < reply.array().size(); ++i) {
      if (i > 0) *out << ", ";
      PrintTo(reply.array()[i], out);
    }
    *out << ']';
  }
}

namespace {

using namespace std::string_literals;  // NOLINT(build/namespaces): binary literals with "\0"s

// The value of an OK result. Otherwise records a failure at the caller and returns a default,
// so one failed call does not abort the remaining checks.
template <typename T>
T Must(absl::StatusOr<T> result, std::source_location where = std::source_location::current()) {
  if (!result.ok()) {
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << result.status();
    return T{};
  }
  return *std::move(result);
}

void MustOk(const absl::Status& status,
            std::source_location where = std::source_location::current()) {
  if (!status.ok()) ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << status;
}

ScriptReply Nil() { return ScriptReply{}; }
ScriptReply Int(int64_t value) { return ScriptReply{value}; }
ScriptReply Text(std::string value) { return ScriptReply{std::move(value)}; }
ScriptReply List(std::vector<ScriptReply> elements) { return ScriptReply{std::move(elements)}; }

int64_t ToInt(std::string_view text) {
  int64_t value = 0;
  return absl::SimpleAtoi(ToAbsl(text), &value) ? value : 0;
}

// Reserves ARGV[1] units of a counter capped at ARGV[2]: [1, new total] when they fit,
// [0, current total] when they do not. The shape of a seat or quota hold.
Script ReserveUpToLimit() {
  return Script{
      .name = "reserve_up_to_limit",
      .lua = R"lua(
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local quantity = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if current + quantity > limit then
  return {0, current}
end
redis.call('SET', KEYS[1], tostring(current + quantity))
return {1, current + quantity}
)lua",
      .native =
          [](ScriptContext& context, std::span<const std::string> keys,
             std::span<const std::string> args) {
            const int64_t current = ToInt(context.Get(keys[0]).value_or("0"));
            const int64_t quantity = ToInt(args[0]);
            const int64_t limit = ToInt(args[1]);
            if (current + quantity > limit) return List({Int(0), Int(current)});
            context.Set(keys[0], absl::StrCat(current + quantity), absl::ZeroDuration());
            return List({Int(1), Int(current + quantity)});
          },
  };
}

// Returns the reply shape named by ARGV[1], following Redis' Lua conversions (true -> 1,
// false -> nil, also inside arrays).
Script ReplyShapes() {
  return Script{
      .name = "reply_shapes",
      .lua = R"lua(
local kind = ARGV[1]
if kind == 'integer' then return -42 end
if kind == 'string' then return ARGV[2] end
if kind == 'status' then return redis.status_reply('DONE') end
if kind == 'true' then return true end
if kind == 'false' then return false end
if kind == 'array' then return {1, 'two', {3, ARGV[2]}, false} end
if kind == 'empty_array' then return {} end
return nil
)lua",
      .native =
          [](ScriptContext&, std::span<const std::string>, std::span<const std::string> args) {
            const std::string& kind = args[0];
            if (kind == "integer") return Int(-42);
            if (kind == "string") return Text(args[1]);
            if (kind == "status") return Text("DONE");
            if (kind == "true") return Int(1);
            if (kind == "false") return Nil();
            if (kind == "array")
              return List({Int(1), Text("two"), List({Int(3), Text(args[1])}), Nil()});
            if (kind == "empty_array") return List({});
            return Nil();
          },
  };
}

// nil for a missing key, else whether it expires.
Script ExpiryState() {
  return Script{
      .name = "expiry_state",
      .lua = R"lua(
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -2 then return nil end
if ttl == -1 then return 'persistent' end
return 'expiring'
)lua",
      .native =
          [](ScriptContext& context, std::span<const std::string> keys,
             std::span<const std::string>) {
            if (!context.Get(keys[0]).has_value()) return Nil();
            return Text(context.Ttl(keys[0]).has_value() ? "expiring" : "persistent");
          },
  };
}

// Extends a hold to ARGV[2] milliseconds, only for its owner ARGV[1].
Script ExtendHold() {
  return Script{
      .name = "extend_hold",
      .lua = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua",
      .native =
          [](ScriptContext& context, std::span<const std::string> keys,
             std::span<const std::string> args) {
            if (context.Get(keys[0]) != args[0]) return Int(0);
            context.Set(keys[0], args[0], absl::Milliseconds(ToInt(args[1])));
            return Int(1);
          },
  };
}

// Read, add one, write back: loses updates unless the whole script is atomic.
Script ReadModifyWrite() {
  return Script{
      .name = "read_modify_write",
      .lua = R"lua(
local next = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
redis.call('SET', KEYS[1], tostring(next))
return next
)lua",
      .native =
          [](ScriptContext& context, std::span<const std::string> keys,
             std::span<const std::string>) {
            const int64_t next = ToInt(context.Get(keys[0]).value_or("0")) + 1;
            context.Set(keys[0], absl::StrCat(next), absl::ZeroDuration());
            return Int(next);
          },
  };
}

enum class Backend { kMemory, kRedis, kRedisCluster };

class KeyValueContract : public ::testing::TestWithParam<Backend> {
 protected:
  // Certainly still there when checked right after being set, even on a slow sanitizer build.
  static constexpr absl::Duration kLongTtl = absl::Seconds(30);
  // Certainly gone after AdvanceTime(2 * kShortTtl); Redis really waits that long.
  static constexpr absl::Duration kShortTtl = absl::Milliseconds(100);

  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    // Other test binaries may share the Redis server: every key of this test lives under a
    // prefix no one else uses.
    prefix_ = absl::StrCat("kv-contract:", test->name(), ":", std::random_device()(), ":");
    if (GetParam() == Backend::kMemory) {
      store_ = MakeMemoryStore(clock_);
      return;
    }
    const travio::testing::ServerEndpoints& servers = travio::testing::SharedTestServers();
    RedisOptions options;
    options.host = servers.redis_host;
    options.port = servers.redis_port;
    absl::StatusOr<std::unique_ptr<KeyValueStore>> store;
    if (GetParam() == Backend::kRedisCluster) {
      RedisClusterOptions cluster{.seeds = {}, .node = options, .max_redirects = 5};
      for (int port : servers.redis_cluster_ports) {
        cluster.seeds.push_back({servers.redis_host, port});
      }
      store = OpenRedisCluster(cluster);
    } else {
      store = OpenRedis(options);
    }
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  void TearDown() override {
    if (GetParam() == Backend::kMemory || store_ == nullptr) return;
    for (const std::string& key : used_keys_) (void)store_->Delete(key);
  }

  KeyValueStore& store() { return *store_; }

  std::string Key(std::string_view name) {
    std::string key = absl::StrCat(prefix_, ToAbsl(name));
    used_keys_.insert(key);
    return key;
  }

  void AdvanceTime(absl::Duration by) {
    if (GetParam() == Backend::kMemory) {
      clock_.Advance(by);
    } else {
      absl::SleepFor(by);
    }
  }

  absl::StatusOr<ScriptReply> Run(const Script& script, std::vector<std::string> keys,
                                  std::vector<std::string> args) {
    return store_->Run(script, keys, args);
  }

 private:
  ManualClock clock_;
  std::unique_ptr<KeyValueStore> store_;
  std::string prefix_;
  std::set<std::string> used_keys_;
};

TEST_P(KeyValueContract, GetMissingIsNullopt) {
  EXPECT_EQ(Must(store().Get(Key("missing"))), std::nullopt);
}

TEST_P(KeyValueContract, SetGetRoundTripsBinaryKeysAndValues) {
  const std::string key = Key("bin\0\xff\r\n key"s);
  const std::string value = "a\0b\xff\xfe\0\r\n"s;
  MustOk(store().Set(key, value, absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Get(key)), value);

  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte.push_back(static_cast<char>(byte));
  MustOk(store().Set(Key("every byte"), every_byte, absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Get(Key("every byte"))), every_byte);
}

TEST_P(KeyValueContract, EmptyValueIsStoredAndDistinctFromMissing) {
  MustOk(store().Set(Key("empty"), "", absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Get(Key("empty"))), std::optional<std::string>(""));
}

TEST_P(KeyValueContract, SetOverwrites) {
  MustOk(store().Set(Key("k"), "first", absl::ZeroDuration()));
  MustOk(store().Set(Key("k"), "second", absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Get(Key("k"))), "second");
}

TEST_P(KeyValueContract, SetWithTtlExpires) {
  MustOk(store().Set(Key("short"), "v", kShortTtl));
  MustOk(store().Set(Key("long"), "v", kLongTtl));
  EXPECT_EQ(Must(store().Get(Key("long"))), "v");
  AdvanceTime(2 * kShortTtl);
  EXPECT_EQ(Must(store().Get(Key("short"))), std::nullopt);
  EXPECT_EQ(Must(store().Get(Key("long"))), "v");
}

TEST_P(KeyValueContract, SetWithoutTtlPersists) {
  MustOk(store().Set(Key("k"), "v", absl::ZeroDuration()));
  AdvanceTime(2 * kShortTtl);
  EXPECT_EQ(Must(store().Get(Key("k"))), "v");
  EXPECT_EQ(Must(store().Ttl(Key("k"))), std::nullopt);
}

TEST_P(KeyValueContract, SetWithoutTtlClearsAnEarlierExpiry) {
  MustOk(store().Set(Key("k"), "v", kShortTtl));
  MustOk(store().Set(Key("k"), "w", absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Ttl(Key("k"))), std::nullopt);
  AdvanceTime(2 * kShortTtl);
  EXPECT_EQ(Must(store().Get(Key("k"))), "w");
}

TEST_P(KeyValueContract, NegativeTtlIsInvalidArgument) {
  const absl::Duration negative = -absl::Seconds(1);
  EXPECT_EQ(store().Set(Key("k"), "v", negative).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store().SetIfAbsent(Key("k"), "v", negative).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store().Increment(Key("k"), 1, negative).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Must(store().Get(Key("k"))), std::nullopt);
}

TEST_P(KeyValueContract, SetIfAbsentOnlyOnce) {
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("lock"), "first", kLongTtl)));
  EXPECT_FALSE(Must(store().SetIfAbsent(Key("lock"), "second", kLongTtl)));
  EXPECT_EQ(Must(store().Get(Key("lock"))), "first");
  EXPECT_FALSE(Must(store().SetIfAbsent(Key("lock"), "third", absl::ZeroDuration())));
}

TEST_P(KeyValueContract, SetIfAbsentSucceedsAgainAfterExpiry) {
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("lock"), "first", kShortTtl)));
  AdvanceTime(2 * kShortTtl);
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("lock"), "second", kLongTtl)));
  EXPECT_EQ(Must(store().Get(Key("lock"))), "second");
}

TEST_P(KeyValueContract, SetIfAbsentSucceedsAgainAfterDelete) {
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("lock"), "first", absl::ZeroDuration())));
  EXPECT_TRUE(Must(store().Delete(Key("lock"))));
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("lock"), "second", absl::ZeroDuration())));
  EXPECT_EQ(Must(store().Get(Key("lock"))), "second");
}

TEST_P(KeyValueContract, SetIfAbsentAppliesItsTtl) {
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("expiring"), "v", kLongTtl)));
  EXPECT_TRUE(Must(store().SetIfAbsent(Key("persistent"), "v", absl::ZeroDuration())));
  EXPECT_NE(Must(store().Ttl(Key("expiring"))), std::nullopt);
  EXPECT_EQ(Must(store().Ttl(Key("persistent"))), std::nullopt);
}

TEST_P(KeyValueContract, CompareAndDeleteOnlyWithTheRightValue) {
  const std::string owner = "owner\0\xff"s;
  EXPECT_FALSE(Must(store().CompareAndDelete(Key("lock"), owner)));

  MustOk(store().Set(Key("lock"), owner, kLongTtl));
  EXPECT_FALSE(Must(store().CompareAndDelete(Key("lock"), "someone else")));
  EXPECT_FALSE(Must(store().CompareAndDelete(Key("lock"), "owner")));  // a prefix is not enough
  EXPECT_FALSE(Must(store().CompareAndDelete(Key("lock"), owner + "x")));
  EXPECT_EQ(Must(store().Get(Key("lock"))), owner);

  EXPECT_TRUE(Must(store().CompareAndDelete(Key("lock"), owner)));
  EXPECT_EQ(Must(store().Get(Key("lock"))), std::nullopt);
  EXPECT_FALSE(Must(store().CompareAndDelete(Key("lock"), owner)));
}

TEST_P(KeyValueContract, CompareAndDeleteIgnoresAnExpiredValue) {
  MustOk(store().Set(Key("lock"), "owner", kShortTtl));
  AdvanceTime(2 * kShortTtl);
  EXPECT_FALSE(Must(store().CompareAndDelete(Key("lock"), "owner")));
}

TEST_P(KeyValueContract, DeleteReportsWhetherAKeyWasDeleted) {
  EXPECT_FALSE(Must(store().Delete(Key("k"))));
  MustOk(store().Set(Key("k"), "v", absl::ZeroDuration()));
  EXPECT_TRUE(Must(store().Delete(Key("k"))));
  EXPECT_EQ(Must(store().Get(Key("k"))), std::nullopt);
  EXPECT_FALSE(Must(store().Delete(Key("k"))));

  MustOk(store().Set(Key("expired"), "v", kShortTtl));
  AdvanceTime(2 * kShortTtl);
  EXPECT_FALSE(Must(store().Delete(Key("expired"))));
}

TEST_P(KeyValueContract, IncrementStartsFromZeroWhenAbsent) {
  EXPECT_EQ(Must(store().Increment(Key("n"), 5, absl::ZeroDuration())), 5);
  EXPECT_EQ(Must(store().Get(Key("n"))), "5");
  EXPECT_EQ(Must(store().Ttl(Key("n"))), std::nullopt);
}

TEST_P(KeyValueContract, IncrementAddsNegativeDeltas) {
  EXPECT_EQ(Must(store().Increment(Key("n"), 3, absl::ZeroDuration())), 3);
  EXPECT_EQ(Must(store().Increment(Key("n"), -10, absl::ZeroDuration())), -7);
  EXPECT_EQ(Must(store().Increment(Key("n"), 0, absl::ZeroDuration())), -7);
  EXPECT_EQ(Must(store().Get(Key("n"))), "-7");
  EXPECT_EQ(Must(store().Increment(Key("absent"), -2, absl::ZeroDuration())), -2);
}

TEST_P(KeyValueContract, IncrementIsExactBeyondDoublePrecision) {
  // 2^53 + 1 has no double; a Lua script that returned INCRBY's number would round it.
  EXPECT_EQ(Must(store().Increment(Key("n"), INT64_C(9007199254740993), absl::ZeroDuration())),
            INT64_C(9007199254740993));
  EXPECT_EQ(Must(store().Increment(Key("n"), 2, absl::ZeroDuration())), INT64_C(9007199254740995));
  EXPECT_EQ(Must(store().Get(Key("n"))), "9007199254740995");
}

TEST_P(KeyValueContract, IncrementWorksOnAnIntegerWrittenBySet) {
  MustOk(store().Set(Key("n"), "-9", absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Increment(Key("n"), 10, absl::ZeroDuration())), 1);
}

TEST_P(KeyValueContract, IncrementSetsTtlOnlyWhenItCreatesTheKey) {
  EXPECT_EQ(Must(store().Increment(Key("n"), 1, kLongTtl)), 1);
  const std::optional<absl::Duration> first = Must(store().Ttl(Key("n")));
  ASSERT_NE(first, std::nullopt);
  EXPECT_LE(*first, kLongTtl);

  EXPECT_EQ(Must(store().Increment(Key("n"), 1, 4 * kLongTtl)), 2);
  EXPECT_EQ(Must(store().Increment(Key("n"), 1, absl::ZeroDuration())), 3);
  const std::optional<absl::Duration> later = Must(store().Ttl(Key("n")));
  ASSERT_NE(later, std::nullopt) << "an existing key keeps its expiry";
  EXPECT_LE(*later, kLongTtl);

  MustOk(store().Set(Key("persistent"), "10", absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Increment(Key("persistent"), 1, kLongTtl)), 11);
  EXPECT_EQ(Must(store().Ttl(Key("persistent"))), std::nullopt);
}

TEST_P(KeyValueContract, IncrementedKeyExpiresAndStartsOver) {
  EXPECT_EQ(Must(store().Increment(Key("n"), 7, kShortTtl)), 7);
  AdvanceTime(2 * kShortTtl);
  EXPECT_EQ(Must(store().Get(Key("n"))), std::nullopt);
  EXPECT_EQ(Must(store().Increment(Key("n"), 1, kShortTtl)), 1);
}

TEST_P(KeyValueContract, IncrementOfANonIntegerIsFailedPrecondition) {
  // Exactly what Redis' INCRBY refuses.
  for (const std::string& value : {"abc"s, "1.5"s, " 1"s, "1 "s, "+1"s, "01"s, "-0"s, ""s, "1e3"s,
                                   "12\0"s, "9223372036854775808"s}) {
    SCOPED_TRACE(absl::CHexEscape(value));
    MustOk(store().Set(Key("n"), value, absl::ZeroDuration()));
    EXPECT_EQ(store().Increment(Key("n"), 1, absl::ZeroDuration()).status().code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(Must(store().Get(Key("n"))), value);
  }
}

TEST_P(KeyValueContract, IncrementOverflowIsFailedPrecondition) {
  MustOk(store().Set(Key("max"), "9223372036854775807", absl::ZeroDuration()));
  EXPECT_EQ(store().Increment(Key("max"), 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  MustOk(store().Set(Key("min"), "-9223372036854775808", absl::ZeroDuration()));
  EXPECT_EQ(store().Increment(Key("min"), -1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Must(store().Increment(Key("min"), 1, absl::ZeroDuration())),
            INT64_C(-9223372036854775807));
}

TEST_P(KeyValueContract, TtlOfMissingPersistentAndExpiringKeys) {
  EXPECT_EQ(Must(store().Ttl(Key("missing"))), std::nullopt);

  MustOk(store().Set(Key("persistent"), "v", absl::ZeroDuration()));
  EXPECT_EQ(Must(store().Ttl(Key("persistent"))), std::nullopt);

  MustOk(store().Set(Key("expiring"), "v", kLongTtl));
  const std::optional<absl::Duration> ttl = Must(store().Ttl(Key("expiring")));
  ASSERT_NE(ttl, std::nullopt);
  EXPECT_GT(*ttl, kLongTtl / 2);
  EXPECT_LE(*ttl, kLongTtl);

  MustOk(store().Set(Key("expired"), "v", kShortTtl));
  AdvanceTime(2 * kShortTtl);
  EXPECT_EQ(Must(store().Ttl(Key("expired"))), std::nullopt);
}

TEST_P(KeyValueContract, RunReserveScriptStopsAtTheLimit) {
  const Script reserve = ReserveUpToLimit();
  const std::string seats = Key("seats");
  EXPECT_EQ(Must(Run(reserve, {seats}, {"3", "5"})), List({Int(1), Int(3)}));
  EXPECT_EQ(Must(Run(reserve, {seats}, {"2", "5"})), List({Int(1), Int(5)}));
  EXPECT_EQ(Must(Run(reserve, {seats}, {"1", "5"})), List({Int(0), Int(5)}));
  EXPECT_EQ(Must(store().Get(seats)), "5");
}

TEST_P(KeyValueContract, RunReturnsEveryReplyShape) {
  const Script shapes = ReplyShapes();
  const std::string binary = "x\0\xff"s;
  EXPECT_EQ(Must(Run(shapes, {}, {"integer"})), Int(-42));
  EXPECT_EQ(Must(Run(shapes, {}, {"string", binary})), Text(binary));
  EXPECT_EQ(Must(Run(shapes, {}, {"string", ""})), Text(""));
  EXPECT_EQ(Must(Run(shapes, {}, {"status"})), Text("DONE"));
  EXPECT_EQ(Must(Run(shapes, {}, {"true"})), Int(1));
  EXPECT_EQ(Must(Run(shapes, {}, {"false"})), Nil());
  EXPECT_EQ(Must(Run(shapes, {}, {"nil"})), Nil());
  EXPECT_EQ(Must(Run(shapes, {}, {"array", binary})),
            List({Int(1), Text("two"), List({Int(3), Text(binary)}), Nil()}));
  EXPECT_EQ(Must(Run(shapes, {}, {"empty_array"})), List({}));
}

TEST_P(KeyValueContract, RunSeesAndSetsExpiry) {
  const Script state = ExpiryState();
  const Script extend = ExtendHold();
  const std::string hold = Key("hold");
  EXPECT_EQ(Must(Run(state, {hold}, {})), Nil());

  MustOk(store().Set(hold, "me", absl::ZeroDuration()));
  EXPECT_EQ(Must(Run(state, {hold}, {})), Text("persistent"));

  const std::string ttl_ms = absl::StrCat(absl::ToInt64Milliseconds(kLongTtl));
  EXPECT_EQ(Must(Run(extend, {hold}, {"someone else", ttl_ms})), Int(0));
  EXPECT_EQ(Must(Run(state, {hold}, {})), Text("persistent"));
  EXPECT_EQ(Must(Run(extend, {hold}, {"me", ttl_ms})), Int(1));
  EXPECT_EQ(Must(Run(state, {hold}, {})), Text("expiring"));
  const std::optional<absl::Duration> ttl = Must(store().Ttl(hold));
  ASSERT_NE(ttl, std::nullopt);
  EXPECT_LE(*ttl, kLongTtl);
  EXPECT_EQ(Must(store().Get(hold)), "me");

  const std::string short_ms = absl::StrCat(absl::ToInt64Milliseconds(kShortTtl));
  EXPECT_EQ(Must(Run(extend, {hold}, {"me", short_ms})), Int(1));
  AdvanceTime(2 * kShortTtl);
  EXPECT_EQ(Must(Run(state, {hold}, {})), Nil());
}

TEST_P(KeyValueContract, RunRejectsAScriptWithoutABody) {
  const Script empty{.name = "empty"};
  EXPECT_EQ(Run(empty, {Key("k")}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(KeyValueContract, ScriptsAreAtomicUnderConcurrency) {
  constexpr int kThreads = 16;
  constexpr int kRunsPerThread = 100;
  const Script script = ReadModifyWrite();
  const std::string counter = Key("counter");
  std::vector<std::vector<int64_t>> seen(kThreads);
  std::atomic<int> failures = 0;
  std::latch start(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        for (int i = 0; i < kRunsPerThread; ++i) {
          absl::StatusOr<ScriptReply> reply = Run(script, {counter}, {});
          if (reply.ok() && std::holds_alternative<int64_t>(reply->value)) {
            seen[t].push_back(reply->integer());
          } else {
            ++failures;
          }
        }
      });
    }
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Must(store().Get(counter)), absl::StrCat(kThreads * kRunsPerThread));
  // Every run saw a distinct value: no two read the same count.
  std::set<int64_t> distinct;
  for (const std::vector<int64_t>& values : seen) distinct.insert(values.begin(), values.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kRunsPerThread));
}

TEST_P(KeyValueContract, SetIfAbsentRaceHasExactlyOneWinner) {
  constexpr int kThreads = 32;
  const std::string lock = Key("lock");
  std::atomic<int> winners = 0;
  std::atomic<int> failures = 0;
  std::latch start(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        absl::StatusOr<bool> won = store().SetIfAbsent(lock, absl::StrCat("thread ", t), kLongTtl);
        if (!won.ok()) {
          ++failures;
        } else if (*won) {
          ++winners;
        }
      });
    }
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(winners.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Memory, KeyValueContract, ::testing::Values(Backend::kMemory));
INSTANTIATE_TEST_SUITE_P(Redis, KeyValueContract, ::testing::Values(Backend::kRedis));
INSTANTIATE_TEST_SUITE_P(RedisCluster, KeyValueContract, ::testing::Values(Backend::kRedisCluster));

}  // namespace
}  // namespace travio::kv
