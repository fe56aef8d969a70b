// Organizations, memberships, invites and members across the identity gRPC layer: every field,
// time and role crosses unchanged.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/api/access.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/identity_grpc_fixture.h"

namespace travio::identity {
namespace {

// Times with a non-zero microsecond part, so truncation to milliseconds or seconds shows.
const absl::Time kCreated = absl::FromUnixMicros(1'712'345'678'901'234);
const absl::Time kExpires = absl::FromUnixMicros(1'712'950'478'000'001);

TEST_F(IdentityGrpcTest, OrganizationsKeepTheirCreationTimeToTheMicrosecond) {
  fake().organization = {"o-1", "Alsa", "alsa", kCreated};
  auto created = client().CreateOrganization("u-1", "Alsa", "alsa");
  ASSERT_OK(created);
  EXPECT_EQ(Tie(*created), Tie(fake().organization));
  EXPECT_EQ(created->created_at, kCreated);
  EXPECT_EQ(fake().method, "CreateOrganization");
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-1", "Alsa", "alsa"}));

  auto fetched = client().GetOrganization("o-1");
  ASSERT_OK(fetched);
  EXPECT_EQ(Tie(*fetched), Tie(fake().organization));
  EXPECT_EQ(fake().method, "GetOrganization");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"o-1"});
}

TEST_F(IdentityGrpcTest, ResolveMembershipPassesAnEmptyOrganization) {
  fake().membership = {"o-7", "Only Org", Role::kAgent};
  auto membership = client().ResolveMembership("u-1", "");
  ASSERT_OK(membership);
  EXPECT_EQ(Tie(*membership), Tie(fake().membership));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-1", ""}));

  ASSERT_OK(client().ResolveMembership("u-1", "o-7"));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-1", "o-7"}));
}

TEST_F(IdentityGrpcTest, CreateInvitePassesTheActorAndTheRoleNameAsIs) {
  fake().invite = {
      "i-1",    "o-1", "new@example.com", Role::kManager, InviteStatus::kPending, kCreated,
      kExpires, true};
  auto invite = client().CreateInvite(kActor, "new@example.com", "manager");
  ASSERT_OK(invite);
  EXPECT_EQ(Tie(*invite), Tie(fake().invite));
  EXPECT_EQ(fake().method, "CreateInvite");
  ASSERT_TRUE(fake().actor.has_value());
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"new@example.com", "manager"}));

  // An unknown role name is identity's to refuse (`invalid_role`), so it crosses unchanged.
  ASSERT_OK(client().CreateInvite(kActor, "new@example.com", "superuser"));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"new@example.com", "superuser"}));
}

TEST_F(IdentityGrpcTest, ListInvitesKeepsEveryStatusAndTime) {
  fake().invites = {
      {"i-1", "o-1", "a@example.com", Role::kOwner, InviteStatus::kPending, kCreated, kExpires,
       true},
      {"i-2", "o-1", "b@example.com", Role::kAdmin, InviteStatus::kAccepted, kCreated, kExpires,
       false},
      {"i-3", "o-1", "c@example.com", Role::kAgent, InviteStatus::kRevoked, kExpires, kCreated,
       true},
      {"i-4", "o-1", "d@example.com", Role::kViewer, InviteStatus::kExpired, absl::UnixEpoch(),
       kExpires, false},
  };
  fake().next_cursor = "cursor-2";
  auto invites = client().ListInvites(kActor, {.limit = 7, .cursor = "cursor-1"});
  ASSERT_OK(invites);
  EXPECT_EQ(Tie(invites->items), Tie(fake().invites));
  EXPECT_EQ(invites->next_cursor, "cursor-2");
  EXPECT_EQ(fake().page.limit, 7);
  EXPECT_EQ(fake().page.cursor, "cursor-1");
  EXPECT_EQ(fake().method, "ListInvites");
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));
}

TEST_F(IdentityGrpcTest, ListInvitesWhenThereAreNone) {
  auto invites = client().ListInvites(kActor, {});
  ASSERT_OK(invites);
  EXPECT_TRUE(invites->items.empty());
  EXPECT_TRUE(invites->next_cursor.empty());
}

TEST_F(IdentityGrpcTest, RevokeAndResendInvite) {
  ASSERT_OK(client().RevokeInvite(kActor, "i-1"));
  EXPECT_EQ(fake().method, "RevokeInvite");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"i-1"});
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));

  fake().invite = {
      "i-2",    "o-1", "x@example.com", Role::kConductor, InviteStatus::kPending, kCreated,
      kExpires, false};
  const Actor owner{"u-owner", "o-1", Role::kOwner};
  auto resent = client().ResendInvite(owner, "i-2");
  ASSERT_OK(resent);
  EXPECT_EQ(Tie(*resent), Tie(fake().invite));
  EXPECT_EQ(fake().method, "ResendInvite");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"i-2"});
  EXPECT_EQ(Tie(*fake().actor), Tie(owner));
}

TEST_F(IdentityGrpcTest, AcceptInviteBySignedInUserHasNoAccountOrTokens) {
  fake().accepted = {"o-1", Role::kAgent, std::nullopt, std::nullopt};
  const AcceptInviteRequest request{"invite-token", "u-9", "", ""};
  auto accepted = client().AcceptInvite(request);
  ASSERT_OK(accepted);
  EXPECT_EQ(Tie(*accepted), Tie(fake().accepted));
  EXPECT_FALSE(accepted->created_user.has_value());
  EXPECT_FALSE(accepted->tokens.has_value());
  EXPECT_EQ(Tie(fake().accept_request), Tie(request));
}

TEST_F(IdentityGrpcTest, AcceptInviteThatCreatesAnAccountReturnsItAndItsTokens) {
  fake().accepted = {"o-1", Role::kManager, User{"u-new", "new@example.com", "Nuevo", ""},
                     TokenPair{"access", "refresh", absl::Milliseconds(900'001)}};
  const AcceptInviteRequest request{"invite-token", "", "Nuevo", "long enough password"};
  auto accepted = client().AcceptInvite(request);
  ASSERT_OK(accepted);
  EXPECT_EQ(Tie(*accepted), Tie(fake().accepted));
  EXPECT_TRUE(accepted->created_user.has_value());
  EXPECT_TRUE(accepted->tokens.has_value());
  EXPECT_EQ(Tie(fake().accept_request), Tie(request));
}

TEST_F(IdentityGrpcTest, AcceptInviteWithOnlyOneOptionalPresent) {
  // Presence is per field: an empty user is still present, tokens stay absent.
  fake().accepted = {"o-1", Role::kViewer, User{}, std::nullopt};
  auto accepted = client().AcceptInvite({"t", "", "", ""});
  ASSERT_OK(accepted);
  EXPECT_EQ(Tie(*accepted), Tie(fake().accepted));
  EXPECT_TRUE(accepted->created_user.has_value());
  EXPECT_FALSE(accepted->tokens.has_value());
}

TEST_F(IdentityGrpcTest, MembersListChangeAndRemove) {
  fake().members = {{"u-1", "a@example.com", "A", Role::kOwner, kCreated},
                    {"u-2", "b@example.com", "", Role::kManager, kExpires}};
  auto members = client().ListMembers(kActor, {.limit = 2, .cursor = ""});
  ASSERT_OK(members);
  EXPECT_EQ(Tie(members->items), Tie(fake().members));
  EXPECT_EQ(fake().page.limit, 2);
  EXPECT_EQ(fake().method, "ListMembers");
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));

  auto owners = client().ListOwners("o-1");
  ASSERT_OK(owners);
  EXPECT_EQ(Tie(*owners), Tie(fake().members));
  EXPECT_EQ(fake().method, "ListOwners");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"o-1"});

  fake().member = {"u-2", "b@example.com", "", Role::kAgent};
  auto changed = client().ChangeRole(kActor, "u-2", "agent");
  ASSERT_OK(changed);
  EXPECT_EQ(Tie(*changed), Tie(fake().member));
  EXPECT_EQ(fake().method, "ChangeRole");
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-2", "agent"}));

  ASSERT_OK(client().RemoveMember(kActor, "u-2"));
  EXPECT_EQ(fake().method, "RemoveMember");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"u-2"});
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));
}

TEST_F(IdentityGrpcTest, EveryRoleCrossesBothWays) {
  for (Role role : AllRoles()) {
    SCOPED_TRACE(RoleName(role));
    fake().members = {{"u-1", "a@example.com", "A", role}};
    const Actor actor{"u-1", "o-1", role};
    auto members = client().ListMembers(actor, {});
    ASSERT_OK(members);
    EXPECT_EQ(Tie(members->items), Tie(fake().members));
    EXPECT_EQ(Tie(*fake().actor), Tie(actor));
  }
}

}  // namespace
}  // namespace travio::identity
