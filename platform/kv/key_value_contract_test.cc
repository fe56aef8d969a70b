// The behaviour every KeyValueStore adapter must share, run against the memory adapter (on a
// ManualClock) and against the real Redis server of the test run.

#include "platform/kv/key_value_contract.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/time/time.h"

namespace travio::kv {
namespace {

using namespace std::string_literals;  // NOLINT(build/namespaces): binary literals with "\0"s

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

// The cases of key_value_scripts_test.cc are instantiated here too.
INSTANTIATE_TEST_SUITE_P(Memory, KeyValueContract, ::testing::Values(Backend::kMemory));
INSTANTIATE_TEST_SUITE_P(Redis, KeyValueContract, ::testing::Values(Backend::kRedis));
INSTANTIATE_TEST_SUITE_P(RedisCluster, KeyValueContract, ::testing::Values(Backend::kRedisCluster));

}  // namespace
}  // namespace travio::kv
