// Organizations through the identity use cases: slugs, members and their roles, and the rule
// that an organization keeps an owner.
#include <gtest/gtest.h>

#include <set>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/app/identity_service.h"
#include "services/identity/app/identity_service_fixture.h"

namespace travio::identity {
namespace {

TEST_F(IdentityServiceTest, OrganizationsGetUniqueSlugsAndAnOwner) {
  const User owner = RegisterUser("owner@example.com");
  auto first = service_->CreateOrganization(owner.id, "Green Line", "");
  ASSERT_OK(first);
  EXPECT_EQ(first->slug, "green-line");
  auto derived = service_->CreateOrganization(owner.id, "Green Line", "");
  ASSERT_OK(derived);
  EXPECT_NE(derived->slug, "green-line");
  EXPECT_EQ(derived->slug.rfind("green-line-", 0), 0u);
  EXPECT_EQ(ReasonOf(service_->CreateOrganization(owner.id, "Other", "green-line").status()),
            "slug_taken");
  auto me = service_->GetMe(owner.id);
  ASSERT_OK(me);
  ASSERT_EQ(me->memberships.size(), 2u);
  EXPECT_EQ(me->memberships[0].role, Role::kOwner);
  // Two orgs: a request must name one.
  EXPECT_EQ(ReasonOf(service_->ResolveMembership(owner.id, "").status()), "org_required");
  EXPECT_OK(service_->ResolveMembership(owner.id, first->id));
}

TEST_F(IdentityServiceTest, TheDoneWhenFlowWorksOnTheUseCases) {
  Team team = MakeTeam(Role::kManager);
  auto members = service_->ListMembers(MemberActor(team, Role::kManager), {});
  ASSERT_OK(members);
  EXPECT_EQ(members->items.size(), 2u);
  EXPECT_TRUE(members->next_cursor.empty());
  EXPECT_EQ(service_->ChangeRole(MemberActor(team, Role::kManager), team.owner.id, "viewer")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_OK(service_->RemoveMember(Owner(team), team.member.id));
  EXPECT_EQ(ReasonOf(service_->ResolveMembership(team.member.id, team.org.id).status()),
            "org_not_found");
  EXPECT_EQ(service_->ListMembers(MemberActor(team, Role::kManager), {}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(AuditCount(kInviteCreated.type), 1u);
  EXPECT_EQ(AuditCount(kInviteAccepted.type), 1u);
  EXPECT_EQ(AuditCount(kMemberRemoved.type), 1u);
}

// What other services write about an organization's account goes to its owners, as they are
// when it is written: an owner made or demoted changes who is told.
TEST_F(IdentityServiceTest, AnOrganizationsOwnersAreItsOwnersOnly) {
  Team team = MakeTeam(Role::kAdmin);
  const User other = RegisterUser("other@example.com", "Other");
  ASSERT_OK(service_->CreateOrganization(other.id, "Other Lines", "").status());
  auto owners = service_->ListOwners(team.org.id);
  ASSERT_OK(owners);
  ASSERT_EQ(owners->size(), 1u);
  EXPECT_EQ((*owners)[0].user_id, team.owner.id);
  EXPECT_EQ((*owners)[0].email, "owner@example.com");

  ASSERT_OK(service_->ChangeRole(Owner(team), team.member.id, "owner").status());
  owners = service_->ListOwners(team.org.id);
  ASSERT_OK(owners);
  std::set<std::string> emails;
  for (const Member& owner : *owners) emails.insert(owner.email);
  EXPECT_EQ(emails, (std::set<std::string>{"owner@example.com", "member@example.com"}));

  ASSERT_OK(
      service_->ChangeRole(MemberActor(team, Role::kOwner), team.owner.id, "viewer").status());
  owners = service_->ListOwners(team.org.id);
  ASSERT_OK(owners);
  ASSERT_EQ(owners->size(), 1u);
  EXPECT_EQ((*owners)[0].user_id, team.member.id);

  EXPECT_EQ(ReasonOf(service_->ListOwners("0190a3c4-0000-7000-8000-000000000000").status()),
            "org_not_found");
}

TEST_F(IdentityServiceTest, TheLastOwnerCannotLeaveOrBeDemoted) {
  Team team = MakeTeam(Role::kAdmin);
  EXPECT_EQ(ReasonOf(service_->ChangeRole(Owner(team), team.owner.id, "admin").status()),
            "last_owner");
  EXPECT_EQ(ReasonOf(service_->RemoveMember(Owner(team), team.owner.id)), "last_owner");
  // An admin may not touch owners or make new ones.
  const Actor admin = MemberActor(team, Role::kAdmin);
  EXPECT_EQ(ReasonOf(service_->ChangeRole(admin, team.owner.id, "viewer").status()),
            "owner_required");
  EXPECT_EQ(ReasonOf(service_->ChangeRole(admin, team.member.id, "owner").status()),
            "owner_required");
  EXPECT_EQ(ReasonOf(service_->CreateInvite(admin, "x@example.com", "owner").status()),
            "owner_required");
  // With a second owner, the first may step down.
  ASSERT_OK(service_->ChangeRole(Owner(team), team.member.id, "owner"));
  ASSERT_OK(service_->ChangeRole(Owner(team), team.owner.id, "viewer"));
  EXPECT_EQ(AuditCount(kMemberRoleChanged.type), 2u);
  EXPECT_EQ(service_->ResolveMembership(team.owner.id, team.org.id)->role, Role::kViewer);
}

TEST_F(IdentityServiceTest, ACallerWhoseRoleChangedIsJudgedByTheNewRole) {
  Team team = MakeTeam(Role::kAdmin);
  ASSERT_OK(service_->ChangeRole(Owner(team), team.member.id, "viewer"));
  // The actor still claims admin (a gateway decision made a moment earlier).
  EXPECT_EQ(service_->ListInvites(MemberActor(team, Role::kAdmin), {}).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace travio::identity
