// The key-value login throttle on the memory store (a ManualClock: lockouts are checked exactly
// and ended by advancing the clock) and on the real Redis server of the test run (lockouts are
// checked within a tolerance and, where their end matters, awaited by polling).

#include "services/identity/storage/kv/kv_login_throttle.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <source_location>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/kv/key_value_store.h"
#include "platform/kv/memory_store.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"
#include "services/identity/domain/throttle_policy.h"

namespace travio::identity {
namespace {

enum class Backend { kMemory, kRedis };

// Short policies, so that waiting out a lock on Redis takes about a second.
constexpr ThrottlePolicy kPerAccount{.threshold = 3,
                                     .window = absl::Minutes(2),
                                     .base_delay = absl::Seconds(1),
                                     .max_delay = absl::Seconds(4)};
constexpr ThrottlePolicy kPerAddress{.threshold = 5,
                                     .window = absl::Minutes(2),
                                     .base_delay = absl::Seconds(1),
                                     .max_delay = absl::Seconds(4)};

// On Redis the retry-after is the lock's remaining time, read a moment after it was set.
constexpr absl::Duration kRedisSlack = absl::Milliseconds(750);

class KvLoginThrottleTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    // The Redis server is shared with other test binaries and with earlier runs: every account
    // and address of a test is new.
    random_prefix_ = absl::StrCat(std::random_device()(), "-", std::random_device()());
    if (GetParam() == Backend::kMemory) {
      store_ = kv::MakeMemoryStore(clock_);
    } else {
      const testing::ServerEndpoints& servers = testing::SharedTestServers();
      kv::RedisOptions options;
      options.host = servers.redis_host;
      options.port = servers.redis_port;
      auto store = kv::OpenRedis(options);
      ASSERT_OK(store);
      store_ = *std::move(store);
    }
    throttle_ = MakeKvLoginThrottle(*store_, kPerAccount, kPerAddress, std::string(32, 's'));
  }

  bool memory() const { return GetParam() == Backend::kMemory; }

  std::string Account(std::string_view name) {
    return absl::StrCat(ToAbsl(name), "-", random_prefix_, "@example.com");
  }
  std::string Address(std::string_view name) {
    return absl::StrCat("test-", ToAbsl(name), "-", random_prefix_);
  }

  bool Fail(const std::string& account, const std::string& address,
            std::source_location where = std::source_location::current()) {
    absl::StatusOr<bool> burst = throttle_->RecordFailure(account, address);
    if (!burst.ok()) {
      ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << burst.status();
      return false;
    }
    return *burst;
  }

  void ExpectOpen(const std::string& account, const std::string& address,
                  std::source_location where = std::source_location::current()) {
    const absl::Status status = throttle_->Check(account, address);
    if (!status.ok()) {
      ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
          << "expected " << account << " from " << address << " to be allowed: " << status;
    }
  }

  // Locked with `too_many_attempts` and a retry-after of `lockout` (exactly on the memory
  // store, slightly less on Redis). Returns the retry-after.
  absl::Duration ExpectLocked(const std::string& account, const std::string& address,
                              absl::Duration lockout,
                              std::source_location where = std::source_location::current()) {
    const absl::Status status = throttle_->Check(account, address);
    const std::string context =
        absl::StrCat(account, " from ", address, ": ", status.ToString(),
                     "; expected a lockout of ", absl::FormatDuration(lockout));
    const auto fail = [&](std::string_view what) {
      ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << what << ": " << context;
    };
    if (status.code() != absl::StatusCode::kResourceExhausted) fail("wrong code");
    if (ReasonOf(status) != "too_many_attempts") fail("wrong reason");
    const std::optional<absl::Duration> wait = RetryAfterOf(status);
    if (!wait.has_value()) {
      fail("no retry-after");
      return absl::ZeroDuration();
    }
    if (memory() ? *wait != lockout : (*wait > lockout || *wait <= lockout - kRedisSlack)) {
      fail(absl::StrCat("retry-after is ", absl::FormatDuration(*wait)));
    }
    return *wait;
  }

  // Waits until the lock of at most `lockout` ends: the clock is advanced on the memory store;
  // on Redis the check is repeated until it passes or a deadline expires.
  void ExpectLockEnds(const std::string& account, const std::string& address,
                      absl::Duration lockout,
                      std::source_location where = std::source_location::current()) {
    if (memory()) {
      clock_.Advance(lockout - absl::Milliseconds(1));
      ExpectLocked(account, address, absl::Milliseconds(1), where);
      clock_.Advance(absl::Milliseconds(1));
      ExpectOpen(account, address, where);
      return;
    }
    const absl::Time start = absl::Now();
    const absl::Time deadline = start + lockout + absl::Seconds(10);
    absl::Status status = throttle_->Check(account, address);
    while (!status.ok() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
      status = throttle_->Check(account, address);
    }
    const absl::Duration waited = absl::Now() - start;
    if (!status.ok()) {
      ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
          << "still locked after " << absl::FormatDuration(waited) << ": " << status;
    } else if (waited < lockout - kRedisSlack) {
      ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
          << "a lock of " << absl::FormatDuration(lockout) << " ended after only "
          << absl::FormatDuration(waited);
    }
  }

  ManualClock clock_;
  std::string random_prefix_;
  std::unique_ptr<kv::KeyValueStore> store_;
  std::unique_ptr<LoginThrottle> throttle_;
};

TEST_P(KvLoginThrottleTest, FailuresBelowTheThresholdDoNotLock) {
  const std::string account = Account("rahim");
  const std::string address = Address("a");
  ExpectOpen(account, address);
  EXPECT_FALSE(Fail(account, address));
  EXPECT_FALSE(Fail(account, address));
  ExpectOpen(account, address);
  ExpectOpen(account, Address("elsewhere"));
}

TEST_P(KvLoginThrottleTest, ThresholdLocksTheAccountAndFurtherFailuresDoubleUpToTheMaximum) {
  // Each failure from an address of its own: only the account's count matters here.
  const std::string account = Account("rahim");
  int next_address = 0;
  auto fail = [&] { return Fail(account, Address(absl::StrCat("a", next_address++))); };
  EXPECT_FALSE(fail());
  EXPECT_FALSE(fail());
  EXPECT_TRUE(fail());  // the threshold: a burst begins
  ExpectLocked(account, Address("a0"), absl::Seconds(1));
  ExpectLocked(account, Address("elsewhere"), absl::Seconds(1));  // from any address

  EXPECT_FALSE(fail());
  ExpectLocked(account, Address("elsewhere"), absl::Seconds(2));
  EXPECT_FALSE(fail());
  ExpectLocked(account, Address("elsewhere"), absl::Seconds(4));
  EXPECT_FALSE(fail());
  ExpectLocked(account, Address("elsewhere"), absl::Seconds(4));  // capped at max_delay
  EXPECT_FALSE(fail());
  ExpectLocked(account, Address("elsewhere"), absl::Seconds(4));
}

TEST_P(KvLoginThrottleTest, AddressLockIsIndependentOfTheAccount) {
  const std::string address = Address("shared");
  const std::string first = Account("first");
  const std::string second = Account("second");
  const std::string third = Account("third");

  for (int i = 0; i < 2; ++i) EXPECT_FALSE(Fail(first, address));
  EXPECT_TRUE(Fail(first, address));  // first's account threshold; the address has 3 of 5
  ExpectLocked(first, address, absl::Seconds(1));
  ExpectOpen(second, address);

  EXPECT_FALSE(Fail(second, address));  // the address has 4
  ExpectOpen(second, address);
  EXPECT_TRUE(Fail(second, address));  // 5: the address's burst, second has only 2
  ExpectLocked(second, address, absl::Seconds(1));
  ExpectLocked(third, address, absl::Seconds(1));
  // Elsewhere, second's account is fine and third's never failed.
  ExpectOpen(second, Address("elsewhere"));
  ExpectOpen(third, Address("elsewhere"));
}

TEST_P(KvLoginThrottleTest, SuccessForgetsTheAccountsFailuresButNotTheAddresss) {
  const std::string address = Address("shared");
  const std::string account = Account("rahim");
  EXPECT_FALSE(Fail(account, address));
  EXPECT_FALSE(Fail(account, address));
  ASSERT_OK(throttle_->RecordSuccess(account));
  ExpectOpen(account, address);

  EXPECT_FALSE(Fail(account, address));  // the account has 1 of 3, the address 3 of 5
  EXPECT_FALSE(Fail(account, address));  // 2 of 3; 4 of 5
  ExpectOpen(account, address);

  // Another account's first failure is the address's fifth: the address kept its count.
  const std::string other = Account("other");
  EXPECT_TRUE(Fail(other, address));
  ExpectLocked(other, address, absl::Seconds(1));
  ExpectLocked(Account("newcomer"), address, absl::Seconds(1));
  // Four failures of the account in all, but only two since the success: not locked elsewhere.
  ExpectOpen(account, Address("elsewhere"));
  EXPECT_TRUE(Fail(account, Address("elsewhere")));  // now 3 of 3
  ExpectLocked(account, Address("elsewhere"), absl::Seconds(1));
}

TEST_P(KvLoginThrottleTest, AccountLockEndsWhenItsTimePasses) {
  const std::string account = Account("rahim");
  const std::string address = Address("a");
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(Fail(account, address));
  EXPECT_TRUE(Fail(account, address));
  ExpectLocked(account, address, absl::Seconds(1));
  ExpectLockEnds(account, address, absl::Seconds(1));

  // The failures are still counted within the window: the next one locks for twice as long.
  EXPECT_FALSE(Fail(account, address));
  ExpectLocked(account, address, absl::Seconds(2));
  ExpectLockEnds(account, address, absl::Seconds(2));
}

TEST_P(KvLoginThrottleTest, AddressLockEndsWhenItsTimePasses) {
  const std::string address = Address("shared");
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(Fail(Account(absl::StrCat("user", i)), address));
  EXPECT_TRUE(Fail(Account("user4"), address));
  const std::string newcomer = Account("newcomer");
  ExpectLocked(newcomer, address, absl::Seconds(1));
  ExpectLockEnds(newcomer, address, absl::Seconds(1));
}

TEST_P(KvLoginThrottleTest, OneSignInPerAccountIsInFlight) {
  const std::string account = Account("busy");
  auto first = throttle_->Acquire(account);
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());
  auto second = throttle_->Acquire(account);
  ASSERT_OK(second);
  EXPECT_FALSE(second->has_value());
  auto other = throttle_->Acquire(Account("someone-else"));
  ASSERT_OK(other);
  EXPECT_TRUE(other->has_value());
  // Only the holder's ticket releases the slot.
  ASSERT_OK(throttle_->Release(account, "not-the-ticket"));
  EXPECT_FALSE(throttle_->Acquire(account)->has_value());
  ASSERT_OK(throttle_->Release(account, **first));
  EXPECT_TRUE(throttle_->Acquire(account)->has_value());
}

TEST_P(KvLoginThrottleTest, AccountsAreNotStoredInTheClear) {
  const std::string account = Account("private");
  ASSERT_OK(throttle_->Acquire(account));
  for (int i = 0; i < 3; ++i) Fail(account, Address("a"));
  // Whatever the keys are, none of them contains the email.
  for (const char* prefix :
       {"identity:login-failures:a:", "identity:login-lock:a:", "identity:login-in-flight:"}) {
    auto direct = store_->Get(prefix + account);
    ASSERT_OK(direct);
    EXPECT_FALSE(direct->has_value()) << prefix;
  }
}

TEST_P(KvLoginThrottleTest, AnIpv6SixtyFourCountsAsOneClient) {
  // Five accounts, each tried from another address of one /64: the /64 is locked.
  std::random_device random;
  const std::string prefix = absl::StrCat("2001:db8:", absl::Hex(random() & 0xffff), ":",
                                          absl::Hex(random() & 0xffff), "::");
  for (int i = 0; i < 5; ++i) {
    Fail(Account(absl::StrCat("v6-", i)), prefix + std::to_string(i + 1));
  }
  EXPECT_EQ(throttle_->Check(Account("v6-new"), prefix + "ffff").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_OK(throttle_->Check(Account("v6-new"), "2001:db9::1"));
}

TEST_P(KvLoginThrottleTest, IpvFourMappedAddressesAreTheirOwnIpv4Clients) {
  // Five failures from one IPv4 client seen as IPv4-mapped IPv6 lock that client only, not
  // every other IPv4 client (they once all shared the bucket ::/64).
  std::random_device random;
  const std::string octets =
      absl::StrCat(random() % 200 + 10, ".", random() % 250, ".", random() % 250, ".");
  for (int i = 0; i < 5; ++i) {
    Fail(Account(absl::StrCat("mapped-", i)), "::ffff:" + octets + "7");
  }
  EXPECT_EQ(throttle_->Check(Account("mapped-new"), octets + "7").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_OK(throttle_->Check(Account("mapped-new"), "::ffff:" + octets + "8"));
}

INSTANTIATE_TEST_SUITE_P(Backends, KvLoginThrottleTest,
                         ::testing::Values(Backend::kMemory, Backend::kRedis),
                         [](const auto& info) {
                           return info.param == Backend::kMemory ? "Memory" : "Redis";
                         });

}  // namespace
}  // namespace travio::identity
