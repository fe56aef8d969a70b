// Invites in every IdentityStore adapter (instantiated in identity_store_contract_test.cc): found
// only within their organization, accepted once and only with their current token before they
// expire, revoked and re-issued only while pending, one pending per address.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/storage/sql/identity_store_contract.h"

namespace travio::identity {
namespace {

TEST_P(IdentityStoreContract, InviteIsFoundWithinItsOrganizationAndByTokenHash) {
  const Organization org = AddOrg("green-line");
  const Organization other = AddOrg("other");
  const UserRecord owner = AddUser("owner@example.com");
  const InviteRecord invite = AddInvite(org, owner, "new@example.com", "hash-1");
  clock_.Advance(absl::Seconds(1));
  const InviteRecord later = AddInvite(org, owner, "later@example.com", "hash-2");
  AddInvite(other, owner, "elsewhere@example.com", "hash-3");

  auto check = [&](const std::optional<InviteRecord>& found) {
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->invite.id, invite.invite.id);
    EXPECT_EQ(found->invite.org_id, org.id);
    EXPECT_EQ(found->invite.email, "new@example.com");
    EXPECT_EQ(found->invite.role, Role::kAgent);
    EXPECT_EQ(found->invite.status, InviteStatus::kPending);
    EXPECT_EQ(found->invite.created_at, invite.invite.created_at);
    EXPECT_EQ(found->invite.expires_at, invite.invite.expires_at);
    EXPECT_EQ(found->token_hash, "hash-1");
    EXPECT_EQ(found->invited_by, owner.user.id);
    EXPECT_EQ(found->accepted_by, "");
  };
  check(FindInvite(org.id, invite.invite.id));
  check(Must(InTx([&](IdentityUnit& unit) { return unit.FindInviteByTokenHash("hash-1"); })));

  // Another organization's id finds nothing, even for an existing invite id.
  EXPECT_FALSE(FindInvite(other.id, invite.invite.id));
  EXPECT_FALSE(FindInvite(org.id, ids_.NewId()));
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.FindInviteByTokenHash("nope"); })));

  auto listed =
      Must(InTx([&](IdentityUnit& unit) { return unit.InvitesOf(org.id, std::nullopt, 100); }));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].invite.id, invite.invite.id);
  EXPECT_EQ(listed[1].invite.id, later.invite.id);
}

TEST_P(IdentityStoreContract, InviteIsAcceptedOnceAndNeverAfterItExpires) {
  const Organization org = AddOrg("green-line");
  const UserRecord owner = AddUser("owner@example.com");
  const UserRecord joiner = AddUser("joiner@example.com");
  const InviteRecord invite = AddInvite(org, owner, "joiner@example.com", "hash-1");
  const InviteRecord expiring = AddInvite(org, owner, "late@example.com", "hash-2");
  auto accept = [&](const InviteRecord& record, absl::Time at) {
    return Must(InTx([&](IdentityUnit& unit) {
      return unit.MarkInviteAccepted(record.invite.id, record.token_hash, joiner.user.id, at);
    }));
  };

  const absl::Time now = clock_.Now() + absl::Hours(1);
  EXPECT_TRUE(accept(invite, now));
  EXPECT_FALSE(accept(invite, now));
  EXPECT_FALSE(Must(
      InTx([&](IdentityUnit& unit) { return unit.MarkInviteRevoked(invite.invite.id, now); })));
  auto accepted = FindInvite(org.id, invite.invite.id);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->invite.status, InviteStatus::kAccepted);
  EXPECT_EQ(accepted->accepted_by, joiner.user.id);

  // At its expiry instant and after it, a pending invite can no longer be accepted.
  EXPECT_FALSE(accept(expiring, expiring.invite.expires_at));
  EXPECT_FALSE(accept(expiring, expiring.invite.expires_at + absl::Seconds(1)));
  auto still = FindInvite(org.id, expiring.invite.id);
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->invite.status, InviteStatus::kPending);
  EXPECT_EQ(still->accepted_by, "");
  EXPECT_TRUE(accept(expiring, expiring.invite.expires_at - absl::Microseconds(1)));
}

TEST_P(IdentityStoreContract, InviteIsRevokedOnlyWhilePending) {
  const Organization org = AddOrg("green-line");
  const UserRecord owner = AddUser("owner@example.com");
  const InviteRecord invite = AddInvite(org, owner, "new@example.com", "hash-1");
  const absl::Time now = clock_.Now();
  auto revoke = [&]() {
    return Must(
        InTx([&](IdentityUnit& unit) { return unit.MarkInviteRevoked(invite.invite.id, now); }));
  };

  EXPECT_TRUE(revoke());
  EXPECT_FALSE(revoke());
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) {
    return unit.MarkInviteAccepted(invite.invite.id, invite.token_hash, owner.user.id, now);
  })));
  auto found = FindInvite(org.id, invite.invite.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->invite.status, InviteStatus::kRevoked);
  EXPECT_FALSE(
      Must(InTx([&](IdentityUnit& unit) { return unit.MarkInviteRevoked(ids_.NewId(), now); })));
}

TEST_P(IdentityStoreContract, ReissueInviteReplacesTheTokenHashOnlyWhilePending) {
  const Organization org = AddOrg("green-line");
  const UserRecord owner = AddUser("owner@example.com");
  const InviteRecord invite = AddInvite(org, owner, "new@example.com", "hash-old");
  const absl::Time new_expiry = invite.invite.expires_at + absl::Hours(24);
  auto by_hash = [&](const std::string& hash) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.FindInviteByTokenHash(hash); }));
  };

  EXPECT_TRUE(Must(InTx([&](IdentityUnit& unit) {
    return unit.ReissueInvite(invite.invite.id, "hash-new", new_expiry);
  })));
  EXPECT_FALSE(by_hash("hash-old"));
  auto found = by_hash("hash-new");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->invite.id, invite.invite.id);
  EXPECT_EQ(found->invite.status, InviteStatus::kPending);
  EXPECT_EQ(found->invite.expires_at, new_expiry);

  ASSERT_TRUE(Must(InTx(
      [&](IdentityUnit& unit) { return unit.MarkInviteRevoked(invite.invite.id, clock_.Now()); })));
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) {
    return unit.ReissueInvite(invite.invite.id, "hash-newer", new_expiry + absl::Hours(1));
  })));
  EXPECT_FALSE(by_hash("hash-newer"));
  auto unchanged = by_hash("hash-new");
  ASSERT_TRUE(unchanged.has_value());
  EXPECT_EQ(unchanged->invite.expires_at, new_expiry);
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) {
    return unit.ReissueInvite(ids_.NewId(), "hash-other", new_expiry);
  })));
}

TEST_P(IdentityStoreContract, AnInviteIsAcceptedOnlyWithItsCurrentToken) {
  const Organization org = AddOrg("green-line");
  const UserRecord owner = AddUser("owner@example.com");
  const InviteRecord invite = AddInvite(org, owner, "joiner@example.com", "hash-old");
  ASSERT_TRUE(Must(InTx([&](IdentityUnit& unit) {
    return unit.ReissueInvite(invite.invite.id, "hash-new", invite.invite.expires_at);
  })));
  // A re-send landed between reading the invite by its old token and accepting it.
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) {
    return unit.MarkInviteAccepted(invite.invite.id, "hash-old", owner.user.id, clock_.Now());
  })));
  EXPECT_TRUE(Must(InTx([&](IdentityUnit& unit) {
    return unit.MarkInviteAccepted(invite.invite.id, "hash-new", owner.user.id, clock_.Now());
  })));
}

TEST_P(IdentityStoreContract, OnlyOneInvitePerEmailIsPendingAndExpiredOnesCanBeResent) {
  const Organization org = AddOrg("green-line");
  const Organization other = AddOrg("other-line");
  const UserRecord owner = AddUser("owner@example.com");
  const InviteRecord first = AddInvite(org, owner, "staff@example.com", "hash-1");
  const absl::Status second = InTx([&](IdentityUnit& unit) {
    return unit.InsertInvite(NewInvite(org, owner, "staff@example.com", "hash-2"));
  });
  EXPECT_EQ(second.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReasonOf(second), "invite_pending");
  AddInvite(other, owner, "staff@example.com", "hash-3");  // another organization: fine

  ASSERT_TRUE(
      Must(InTx([&](IdentityUnit& unit) { return unit.MarkInviteExpired(first.invite.id); })));
  EXPECT_EQ(FindInvite(org.id, first.invite.id)->invite.status, InviteStatus::kExpired);
  const InviteRecord replacement = AddInvite(org, owner, "staff@example.com", "hash-4");
  // The expired one cannot come back to life while the replacement is pending.
  const auto revived = InTx([&](IdentityUnit& unit) {
    return unit.ReissueInvite(first.invite.id, "hash-5", clock_.Now() + absl::Hours(1));
  });
  EXPECT_EQ(ReasonOf(revived.status()), "invite_pending");
  ASSERT_TRUE(Must(InTx([&](IdentityUnit& unit) {
    return unit.MarkInviteRevoked(replacement.invite.id, clock_.Now());
  })));
  EXPECT_TRUE(Must(InTx([&](IdentityUnit& unit) {
    return unit.ReissueInvite(first.invite.id, "hash-5", clock_.Now() + absl::Hours(1));
  })));
  EXPECT_EQ(FindInvite(org.id, first.invite.id)->invite.status, InviteStatus::kPending);
}

}  // namespace
}  // namespace travio::identity
