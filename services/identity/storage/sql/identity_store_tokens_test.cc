// Refresh tokens and signing keys in every IdentityStore adapter (instantiated in
// identity_store_contract_test.cc): a token is spent once, even by racing refreshes, and a
// revoked family keeps no live token, even when the revocation races a refresh.

#include <gtest/gtest.h>

#include <cstdint>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/storage/sql/identity_store_contract.h"

namespace travio::identity {
namespace {

TEST_P(IdentityStoreContract, RefreshTokenIsSpentOnce) {
  const UserRecord user = AddUser("rahim@example.com");
  const RefreshTokenRecord token = AddToken(user, "family-1");
  const absl::Time at = clock_.Now() + absl::Minutes(5);

  EXPECT_TRUE(Spend(token.id, at));
  EXPECT_FALSE(Spend(token.id, at + absl::Seconds(1)));
  auto found = FindToken(token.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->spent_at, std::optional<absl::Time>(at));
  EXPECT_EQ(found->revoked_at, std::nullopt);
  EXPECT_FALSE(Spend(ids_.NewId(), at));
}

TEST_P(IdentityStoreContract, RevokeRefreshFamilyRevokesTheLiveTokensOfThatFamilyOnly) {
  const UserRecord user = AddUser("rahim@example.com");
  const RefreshTokenRecord spent = AddToken(user, "family-1");
  const RefreshTokenRecord live = AddToken(user, "family-1");
  const RefreshTokenRecord also_live = AddToken(user, "family-1");
  const RefreshTokenRecord other = AddToken(user, "family-2");
  const absl::Time spent_at = clock_.Now() + absl::Minutes(1);
  const absl::Time revoked_at = clock_.Now() + absl::Minutes(2);
  ASSERT_TRUE(Spend(spent.id, spent_at));

  auto revoke = [&](const std::string& family, absl::Time at) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.RevokeRefreshFamily(family, at); }));
  };
  // A spent token is no longer live: two of the family's three were.
  EXPECT_EQ(revoke("family-1", revoked_at), 2);
  for (const RefreshTokenRecord& token : {spent, live, also_live}) {
    auto found = FindToken(token.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->revoked_at, std::optional<absl::Time>(revoked_at)) << token.id;
  }
  EXPECT_EQ(FindToken(spent.id)->spent_at, std::optional<absl::Time>(spent_at));
  EXPECT_EQ(FindToken(live.id)->spent_at, std::nullopt);
  EXPECT_FALSE(Spend(live.id, revoked_at));

  // Revoking again finds nothing live and keeps the first revocation time.
  EXPECT_EQ(revoke("family-1", revoked_at + absl::Minutes(1)), 0);
  EXPECT_EQ(FindToken(live.id)->revoked_at, std::optional<absl::Time>(revoked_at));

  auto untouched = FindToken(other.id);
  ASSERT_TRUE(untouched.has_value());
  EXPECT_EQ(untouched->revoked_at, std::nullopt);
  EXPECT_TRUE(Spend(other.id, revoked_at));
  EXPECT_EQ(revoke("no-such-family", revoked_at), 0);
}

TEST_P(IdentityStoreContract, RefreshTokenFieldsRoundTrip) {
  const UserRecord user = AddUser("rahim@example.com");
  RefreshTokenRecord token = NewToken(user, "family-1");
  token.issued_at = absl::FromUnixMicros(1'767'225'600'123'456);
  token.expires_at = token.issued_at + absl::Hours(720);
  token.spent_at = token.issued_at + absl::Microseconds(1);
  token.revoked_at = token.issued_at + absl::Seconds(90);
  MustOk(InTx([&](IdentityUnit& unit) { return unit.InsertRefreshToken(token); }));
  const RefreshTokenRecord fresh = AddToken(user, "family-2");

  auto found = FindToken(token.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, token.id);
  EXPECT_EQ(found->family_id, "family-1");
  EXPECT_EQ(found->user_id, user.user.id);
  EXPECT_EQ(found->issued_at, token.issued_at);
  EXPECT_EQ(found->expires_at, token.expires_at);
  EXPECT_EQ(found->spent_at, token.spent_at);
  EXPECT_EQ(found->revoked_at, token.revoked_at);
  EXPECT_FALSE(Spend(token.id, clock_.Now()));

  auto unspent = FindToken(fresh.id);
  ASSERT_TRUE(unspent.has_value());
  EXPECT_EQ(unspent->spent_at, std::nullopt);
  EXPECT_EQ(unspent->revoked_at, std::nullopt);
  EXPECT_FALSE(FindToken(ids_.NewId()));
}

TEST_P(IdentityStoreContract, RecordSigningKeyIsTrueOnlyTheFirstTime) {
  auto record = [&](const std::string& kid) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.RecordSigningKey(kid, clock_.Now()); }));
  };
  EXPECT_TRUE(record("key-2026-01"));
  EXPECT_FALSE(record("key-2026-01"));
  EXPECT_TRUE(record("key-2026-02"));
  EXPECT_FALSE(record("key-2026-01"));
}

TEST_P(IdentityStoreContract, RevokedFamiliesCannotBeLocked) {
  const UserRecord user = AddUser("rahim@example.com");
  MustOk(InTx([&](IdentityUnit& unit) {
    return unit.InsertRefreshFamily("family-1", user.user.id, clock_.Now());
  }));
  EXPECT_EQ(Must(InTx([&](IdentityUnit& unit) { return unit.LockLiveRefreshFamily("family-1"); })),
            clock_.Now());
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.LockLiveRefreshFamily("nope"); })));
  AddToken(user, "family-1");
  EXPECT_EQ(Must(InTx([&](IdentityUnit& unit) {
              return unit.RevokeRefreshFamily("family-1", clock_.Now());
            })),
            1);
  EXPECT_FALSE(
      Must(InTx([&](IdentityUnit& unit) { return unit.LockLiveRefreshFamily("family-1"); })));
}

// ---- Concurrency -------------------------------------------------------------------------

TEST_P(IdentityStoreContract, ConcurrentSpendsOfOneTokenHaveExactlyOneWinner) {
  const UserRecord user = AddUser("rahim@example.com");
  const RefreshTokenRecord token = AddToken(user, "family-1");
  constexpr int kThreads = 16;

  std::latch start(kThreads);
  std::vector<absl::Status> statuses(kThreads);
  std::vector<int> spent(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      statuses[i] = store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
        absl::StatusOr<bool> result = unit.SpendRefreshToken(token.id, clock_.Now());
        if (!result.ok()) return result.status();
        spent[i] = *result ? 1 : 0;
        return absl::OkStatus();
      });
    });
  }
  for (std::thread& thread : threads) thread.join();

  int winners = 0;
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_OK(statuses[i]) << "thread " << i << ": " << statuses[i];
    if (statuses[i].ok()) winners += spent[i];
  }
  EXPECT_EQ(winners, 1);
  auto found = FindToken(token.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->spent_at.has_value());
}

// A refresh (lock the family, spend, add the next token) racing a revocation of the family:
// whichever order they take, no live token of the family survives the revocation.
TEST_P(IdentityStoreContract, ARevocationRacingARefreshLeavesNoLiveToken) {
  const UserRecord user = AddUser("rahim@example.com");
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const std::string family = "family-" + std::to_string(round);
    MustOk(InTx([&](IdentityUnit& unit) {
      return unit.InsertRefreshFamily(family, user.user.id, clock_.Now());
    }));
    const RefreshTokenRecord first = AddToken(user, family);
    std::latch start(2);
    absl::Status refreshed, revoked;
    std::thread refresh([&] {
      start.arrive_and_wait();
      refreshed = store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
        absl::StatusOr<std::optional<absl::Time>> live = unit.LockLiveRefreshFamily(family);
        if (!live.ok() || !*live) return live.status();
        absl::StatusOr<bool> spent = unit.SpendRefreshToken(first.id, clock_.Now());
        if (!spent.ok() || !*spent) return spent.status();
        return unit.InsertRefreshToken(NewToken(user, family));
      });
    });
    std::thread revoke([&] {
      start.arrive_and_wait();
      revoked = store_->InTransaction([&](IdentityUnit& unit) {
        return unit.RevokeRefreshFamily(family, clock_.Now()).status();
      });
    });
    refresh.join();
    revoke.join();
    EXPECT_OK(refreshed);
    EXPECT_OK(revoked);
    const auto live = Must(InTx([&](IdentityUnit& unit) -> absl::StatusOr<int64_t> {
      // Revoking again finds nothing left alive.
      return unit.RevokeRefreshFamily(family, clock_.Now());
    }));
    EXPECT_EQ(live, 0);
  }
}

}  // namespace
}  // namespace travio::identity
