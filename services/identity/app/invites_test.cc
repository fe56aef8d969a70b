// Invites through the identity use cases: single use, only a hash stored, expiry and re-sending,
// revocation, who may invite whom, paging and the rate limit against spam.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/app/identity_service.h"
#include "services/identity/app/identity_service_fixture.h"

namespace travio::identity {
namespace {

TEST_F(IdentityServiceTest, InvitesAreSingleUseAndStoreOnlyAHash) {
  Team team = MakeTeam(Role::kAgent);
  const std::string token = mail_->TokenSentTo("member@example.com");
  ASSERT_FALSE(token.empty());
  auto again = service_->AcceptInvite({.token = token, .user_id = team.member.id});
  EXPECT_EQ(ReasonOf(again.status()), "invite_used");
  // Nothing in the database holds the token itself.
  auto rows = database_->Execute("SELECT token_hash FROM identity_invites");
  ASSERT_OK(rows);
  for (const auto& row : rows->rows) EXPECT_EQ(row.Text(0).find(token), std::string::npos);
  auto invites = service_->ListInvites(Owner(team), {});
  ASSERT_OK(invites);
  ASSERT_EQ(invites->items.size(), 1u);
  EXPECT_EQ(invites->items[0].status, InviteStatus::kAccepted);
}

TEST_F(IdentityServiceTest, InvitesExpireAndResendingIssuesANewToken) {
  const User owner = RegisterUser("owner@example.com");
  const Organization org = *service_->CreateOrganization(owner.id, "Hanif", "");
  const Actor actor{owner.id, org.id, Role::kOwner};
  auto invite = service_->CreateInvite(actor, "Driver@Example.com", "conductor");
  ASSERT_OK(invite);
  EXPECT_EQ(invite->email, "driver@example.com");
  EXPECT_TRUE(invite->email_sent);
  EXPECT_EQ(invite->expires_at, clock_.Now() + absl::Hours(24 * 7));
  const std::string old_token = mail_->TokenSentTo("driver@example.com");

  clock_.Advance(absl::Hours(24 * 7) + absl::Seconds(1));
  auto late = service_->AcceptInvite({.token = old_token, .name = "D", .password = kPassword});
  EXPECT_EQ(ReasonOf(late.status()), "invite_expired");
  EXPECT_EQ(service_->ListInvites(actor, {})->items[0].status, InviteStatus::kExpired);

  auto resent = service_->ResendInvite(actor, invite->id);
  ASSERT_OK(resent);
  const std::string new_token = mail_->TokenSentTo("driver@example.com");
  EXPECT_NE(new_token, old_token);
  EXPECT_EQ(
      ReasonOf(service_->AcceptInvite({.token = old_token, .name = "D", .password = kPassword})
                   .status()),
      "invite_not_found");
  auto accepted =
      service_->AcceptInvite({.token = new_token, .name = "Driver", .password = kPassword});
  ASSERT_OK(accepted);
  EXPECT_EQ(accepted->role, Role::kConductor);
  EXPECT_TRUE(accepted->tokens.has_value());
}

TEST_F(IdentityServiceTest, RevokedInvitesAndMismatchedEmailsAreRefused) {
  const User owner = RegisterUser("owner@example.com");
  const Organization org = *service_->CreateOrganization(owner.id, "Shohagh", "");
  const Actor actor{owner.id, org.id, Role::kOwner};
  auto invite = service_->CreateInvite(actor, "a@example.com", "viewer");
  ASSERT_OK(invite);
  EXPECT_EQ(ReasonOf(service_->CreateInvite(actor, "a@example.com", "viewer").status()),
            "invite_pending");
  const std::string token = mail_->TokenSentTo("a@example.com");

  const User stranger = RegisterUser("stranger@example.com");
  EXPECT_EQ(ReasonOf(service_->AcceptInvite({.token = token, .user_id = stranger.id}).status()),
            "email_mismatch");

  ASSERT_OK(service_->RevokeInvite(actor, invite->id));
  EXPECT_EQ(
      ReasonOf(
          service_->AcceptInvite({.token = token, .name = "A", .password = kPassword}).status()),
      "invite_revoked");
  EXPECT_EQ(ReasonOf(service_->CreateInvite(actor, "b@example.com", "emperor").status()),
            "invalid_role");
  EXPECT_EQ(ReasonOf(service_->CreateInvite(actor, "owner@example.com", "viewer").status()),
            "already_member");
  EXPECT_EQ(AuditCount(kInviteRevoked.type), 1u);
}

TEST_F(IdentityServiceTest, AFailedEmailLeavesAValidInviteToResend) {
  const User owner = RegisterUser("owner@example.com");
  const Organization org = *service_->CreateOrganization(owner.id, "Ena", "");
  const Actor actor{owner.id, org.id, Role::kOwner};
  mail_->set_fail(true);
  auto invite = service_->CreateInvite(actor, "late@example.com", "viewer");
  ASSERT_OK(invite);
  EXPECT_FALSE(invite->email_sent);
  EXPECT_FALSE(service_->ListInvites(actor, {})->items[0].email_sent);
  mail_->set_fail(false);
  auto resent = service_->ResendInvite(actor, invite->id);
  ASSERT_OK(resent);
  EXPECT_TRUE(resent->email_sent);
  EXPECT_TRUE(service_->ListInvites(actor, {})->items[0].email_sent);
  EXPECT_FALSE(mail_->TokenSentTo("late@example.com").empty());
}

TEST_F(IdentityServiceTest, InvitesOfARemovedAdminStopWorking) {
  Team team = MakeTeam(Role::kAdmin);
  const Actor admin = MemberActor(team, Role::kAdmin);
  ASSERT_OK(service_->CreateInvite(admin, "accomplice@example.com", "admin"));
  ASSERT_OK(service_->RemoveMember(Owner(team), team.member.id));
  auto accepted = service_->AcceptInvite({.token = mail_->TokenSentTo("accomplice@example.com"),
                                          .name = "Accomplice",
                                          .password = kPassword});
  EXPECT_EQ(ReasonOf(accepted.status()), "invite_revoked");
}

TEST_F(IdentityServiceTest, OnlyOwnersResendOwnerInvites) {
  Team team = MakeTeam(Role::kAdmin);
  auto invite = service_->CreateInvite(Owner(team), "co-owner@example.com", "owner");
  ASSERT_OK(invite);
  EXPECT_EQ(ReasonOf(service_->ResendInvite(MemberActor(team, Role::kAdmin), invite->id).status()),
            "owner_required");
  EXPECT_OK(service_->ResendInvite(Owner(team), invite->id));
}

TEST_F(IdentityServiceTest, AnExpiredInviteMakesWayForANewOne) {
  Team team = MakeTeam(Role::kAdmin);
  ASSERT_OK(service_->CreateInvite(Owner(team), "later@example.com", "viewer"));
  clock_.Advance(absl::Hours(24 * 8));
  auto again = service_->CreateInvite(Owner(team), "later@example.com", "agent");
  ASSERT_OK(again);
  auto accepted = service_->AcceptInvite(
      {.token = mail_->TokenSentTo("later@example.com"), .name = "Later", .password = kPassword});
  ASSERT_OK(accepted);
  EXPECT_EQ(accepted->role, Role::kAgent);
}

TEST_F(IdentityServiceTest, ListsComeInPagesWithOpaqueCursors) {
  const User owner = RegisterUser("owner@example.com");
  const Organization org = *service_->CreateOrganization(owner.id, "Paged", "");
  const Actor actor{owner.id, org.id, Role::kOwner};
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    // Two invites share each instant, so ties are ordered by id.
    if (i % 2 == 0) clock_.Advance(absl::Seconds(1));
    created.push_back(
        service_->CreateInvite(actor, "staff" + std::to_string(i) + "@example.com", "viewer")->id);
  }
  std::sort(created.begin(), created.end());  // UUIDv7: creation order
  std::vector<std::string> seen;
  PageRequest page{.limit = 3, .cursor = ""};
  int pages = 0;
  do {
    auto result = service_->ListInvites(actor, page);
    ASSERT_OK(result);
    EXPECT_LE(result->items.size(), 3u);
    for (const Invite& invite : result->items) seen.push_back(invite.id);
    page.cursor = result->next_cursor;
    ++pages;
  } while (!page.cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, created);

  for (int limit : {0, -1, 201}) {
    EXPECT_EQ(ReasonOf(service_->ListInvites(actor, {.limit = limit}).status()), "invalid_limit");
  }
  for (const char* cursor : {"garbage!", "MTIzfG5vdC1hLXV1aWQ",
                             "LTF8MDE5MmYwYzQtNmMxYi03YzNlLTlhMmItNWQ3ZThmOTAxMjM0"}) {
    EXPECT_EQ(ReasonOf(service_->ListMembers(actor, {.limit = 5, .cursor = cursor}).status()),
              "invalid_cursor")
        << cursor;
  }
}

TEST_F(IdentityServiceTest, InvitesAreRateLimitedAgainstSpam) {
  IdentitySettings strict;
  strict.invites_per_hour = 3;
  service_ = MakeService(strict);
  const User owner = RegisterUser("owner@example.com");
  const Organization org = *service_->CreateOrganization(owner.id, "Busy", "");
  const Actor actor{owner.id, org.id, Role::kOwner};
  auto first = service_->CreateInvite(actor, "a@example.com", "viewer");
  ASSERT_OK(first);
  // One re-send a minute per invite.
  ASSERT_OK(service_->ResendInvite(actor, first->id));
  auto again = service_->ResendInvite(actor, first->id);
  EXPECT_EQ(ReasonOf(again.status()), "resend_too_soon");
  ASSERT_TRUE(RetryAfterOf(again.status()).has_value());
  EXPECT_LE(*RetryAfterOf(again.status()), absl::Minutes(1));
  // Three invites an hour for this organization (the re-send counted too).
  ASSERT_OK(service_->CreateInvite(actor, "b@example.com", "viewer"));
  auto over = service_->CreateInvite(actor, "c@example.com", "viewer");
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(over.status()), "too_many_invites");
  const size_t sent = mail_->count();
  clock_.Advance(absl::Hours(1));
  EXPECT_OK(service_->CreateInvite(actor, "c@example.com", "viewer"));
  EXPECT_EQ(mail_->count(), sent + 1);
}

}  // namespace
}  // namespace travio::identity
