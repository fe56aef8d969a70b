// Lua scripts on every KeyValueStore adapter (Redis runs the Lua, the memory store its native
// twin): every reply shape, expiry seen and set from a script, and atomicity under concurrency
// (of a script, and of SetIfAbsent).
// Instantiated with the rest of the contract in key_value_contract_test.cc.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <latch>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/kv/key_value_contract.h"

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

}  // namespace
}  // namespace travio::kv
