// The behaviour every IdentityStore adapter must share, run against the SQL adapter on SQLite (a
// file in a temporary directory) and on PostgreSQL (a scratch database on the test run's server).
// Users, organizations and the outbox here; invites and refresh tokens have files of their own,
// whose cases are instantiated here too.

#include "services/identity/storage/sql/identity_store_contract.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/events/event.h"
#include "platform/testing/status_matchers.h"

namespace travio::identity {
namespace {

// Members and memberships flattened for comparison.
std::vector<std::string> Describe(const std::vector<Membership>& memberships) {
  std::vector<std::string> out;
  for (const Membership& m : memberships) {
    out.push_back(absl::StrCat(m.org_id, "|", m.org_name, "|", ToAbsl(RoleName(m.role))));
  }
  return out;
}
std::vector<std::string> Describe(const std::vector<Member>& members) {
  std::vector<std::string> out;
  for (const Member& m : members) {
    out.push_back(
        absl::StrCat(m.user_id, "|", m.email, "|", m.name, "|", ToAbsl(RoleName(m.role))));
  }
  return out;
}

// ---- Users -------------------------------------------------------------------------------

TEST_P(IdentityStoreContract, InsertedUserIsFoundByIdAndByEmail) {
  const UserRecord user = AddUser("rahim@example.com");

  for (const auto& found :
       {Must(InTx([&](IdentityUnit& unit) { return unit.FindUser(user.user.id); })),
        Must(
            InTx([&](IdentityUnit& unit) { return unit.FindUserByEmail("rahim@example.com"); }))}) {
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->user.id, user.user.id);
    EXPECT_EQ(found->user.email, "rahim@example.com");
    EXPECT_EQ(found->user.name, "Rahim Uddin");
    EXPECT_EQ(found->user.phone, "+8801711000000");
    EXPECT_EQ(found->password_hash, user.password_hash);
    EXPECT_EQ(found->created_at, user.created_at);
  }
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.FindUser(ids_.NewId()); })));
  EXPECT_FALSE(
      Must(InTx([&](IdentityUnit& unit) { return unit.FindUserByEmail("nobody@example.com"); })));

  MustOk(InTx([&](IdentityUnit& unit) { return unit.SetPasswordHash(user.user.id, "new-hash"); }));
  auto updated = Must(InTx([&](IdentityUnit& unit) { return unit.FindUser(user.user.id); }));
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->password_hash, "new-hash");
}

TEST_P(IdentityStoreContract, DuplicateEmailIsEmailTaken) {
  const UserRecord first = AddUser("rahim@example.com", "First");
  const UserRecord second = NewUser("rahim@example.com", "Second");

  const absl::Status status = InTx([&](IdentityUnit& unit) { return unit.InsertUser(second); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(ReasonOf(status), "email_taken") << status;

  auto found =
      Must(InTx([&](IdentityUnit& unit) { return unit.FindUserByEmail("rahim@example.com"); }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user.id, first.user.id);
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.FindUser(second.user.id); })));
}

// ---- Organizations and memberships -------------------------------------------------------

TEST_P(IdentityStoreContract, OrganizationRoundTripsAndDuplicateSlugIsSlugTaken) {
  const Organization org = AddOrg("green-line", "Green Line Paribahan");
  auto found = Must(InTx([&](IdentityUnit& unit) { return unit.FindOrganization(org.id); }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, org.id);
  EXPECT_EQ(found->name, "Green Line Paribahan");
  EXPECT_EQ(found->slug, "green-line");
  EXPECT_EQ(found->created_at, org.created_at);
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.FindOrganization(ids_.NewId()); })));

  const Organization copy = NewOrg("green-line", "Another Name");
  const absl::Status status =
      InTx([&](IdentityUnit& unit) { return unit.InsertOrganization(copy); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(ReasonOf(status), "slug_taken") << status;
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.FindOrganization(copy.id); })));
}

TEST_P(IdentityStoreContract, DuplicateMembershipIsAlreadyMember) {
  const Organization org = AddOrg("green-line");
  const UserRecord user = AddUser("rahim@example.com");
  AddMember(org, user, Role::kAgent, clock_.Now());

  const absl::Status status = InTx([&](IdentityUnit& unit) {
    return unit.InsertMembership(org.id, user.user.id, Role::kOwner, clock_.Now());
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(ReasonOf(status), "already_member") << status;
  EXPECT_EQ(Must(InTx([&](IdentityUnit& unit) { return unit.FindRole(org.id, user.user.id); })),
            std::optional<Role>(Role::kAgent));
}

TEST_P(IdentityStoreContract, MembershipsAndMembersAreListedInJoinOrder) {
  const Organization first = AddOrg("first", "First Travels");
  const Organization second = AddOrg("second", "Second Travels");
  const Organization empty = AddOrg("empty", "Empty Travels");
  const UserRecord rahim = AddUser("rahim@example.com", "Rahim");
  const UserRecord karim = AddUser("karim@example.com", "Karim");
  const UserRecord salma = AddUser("salma@example.com", "Salma");
  const absl::Time t0 = clock_.Now();

  // Rahim joins `second` before `first`: join order, not id order.
  AddMember(second, rahim, Role::kOwner, t0);
  AddMember(first, rahim, Role::kConductor, t0 + absl::Minutes(1));
  AddMember(first, salma, Role::kOwner, t0);
  AddMember(first, karim, Role::kViewer, t0 + absl::Minutes(2));

  EXPECT_EQ(
      Describe(Must(InTx([&](IdentityUnit& unit) { return unit.MembershipsOf(rahim.user.id); }))),
      (std::vector<std::string>{absl::StrCat(second.id, "|Second Travels|owner"),
                                absl::StrCat(first.id, "|First Travels|conductor")}));
  EXPECT_EQ(
      Describe(Must(
          InTx([&](IdentityUnit& unit) { return unit.MembersOf(first.id, std::nullopt, 100); }))),
      (std::vector<std::string>{absl::StrCat(salma.user.id, "|salma@example.com|Salma|owner"),
                                absl::StrCat(rahim.user.id, "|rahim@example.com|Rahim|conductor"),
                                absl::StrCat(karim.user.id, "|karim@example.com|Karim|viewer")}));
  EXPECT_TRUE(Must(InTx([&](IdentityUnit& unit) {
                return unit.MembersOf(empty.id, std::nullopt, 100);
              })).empty());
  EXPECT_TRUE(
      Must(InTx([&](IdentityUnit& unit) { return unit.MembershipsOf(ids_.NewId()); })).empty());
}

TEST_P(IdentityStoreContract, CountOwnersCountsOnlyOwnersOfThatOrganization) {
  const Organization org = AddOrg("green-line");
  const Organization other = AddOrg("other");
  const UserRecord a = AddUser("a@example.com");
  const UserRecord b = AddUser("b@example.com");
  const UserRecord c = AddUser("c@example.com");
  AddMember(org, a, Role::kOwner, clock_.Now());
  AddMember(org, b, Role::kAdmin, clock_.Now());
  AddMember(other, c, Role::kOwner, clock_.Now());
  auto owners = [&](const std::string& org_id) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.CountOwners(org_id); }));
  };
  EXPECT_EQ(owners(org.id), 1);
  AddMember(org, c, Role::kOwner, clock_.Now());
  EXPECT_EQ(owners(org.id), 2);
  EXPECT_EQ(owners(other.id), 1);
  EXPECT_EQ(owners(ids_.NewId()), 0);
}

TEST_P(IdentityStoreContract, UpdateRoleAndDeleteMembershipAreFalseForNonMembers) {
  const Organization org = AddOrg("green-line");
  const Organization other = AddOrg("other");
  const UserRecord member = AddUser("member@example.com");
  const UserRecord outsider = AddUser("outsider@example.com");
  AddMember(org, member, Role::kViewer, clock_.Now());
  AddMember(other, outsider, Role::kViewer, clock_.Now());

  auto update = [&](const std::string& org_id, const std::string& user_id, Role role) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.UpdateRole(org_id, user_id, role); }));
  };
  auto remove = [&](const std::string& org_id, const std::string& user_id) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.DeleteMembership(org_id, user_id); }));
  };
  auto role = [&](const std::string& org_id, const std::string& user_id) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.FindRole(org_id, user_id); }));
  };

  EXPECT_FALSE(update(org.id, outsider.user.id, Role::kAdmin));
  EXPECT_FALSE(remove(org.id, outsider.user.id));
  EXPECT_FALSE(update(ids_.NewId(), member.user.id, Role::kAdmin));
  EXPECT_EQ(role(org.id, outsider.user.id), std::nullopt);
  EXPECT_EQ(role(other.id, outsider.user.id), std::optional<Role>(Role::kViewer));

  EXPECT_TRUE(update(org.id, member.user.id, Role::kManager));
  EXPECT_EQ(role(org.id, member.user.id), std::optional<Role>(Role::kManager));
  EXPECT_TRUE(remove(org.id, member.user.id));
  EXPECT_EQ(role(org.id, member.user.id), std::nullopt);
  EXPECT_FALSE(remove(org.id, member.user.id));
  EXPECT_FALSE(update(org.id, member.user.id, Role::kOwner));
}

TEST_P(IdentityStoreContract, LockOrganizationIsNotFoundForAMissingOrganization) {
  const Organization org = AddOrg("green-line");
  EXPECT_OK(InTx([&](IdentityUnit& unit) { return unit.LockOrganization(org.id); }));
  const absl::Status missing =
      InTx([&](IdentityUnit& unit) { return unit.LockOrganization(ids_.NewId()); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(IdentityStoreContract, MembersArePagedByJoiningTimeThenId) {
  const Organization org = AddOrg("green-line");
  std::vector<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    const UserRecord user = AddUser("m" + std::to_string(i) + "@example.com");
    // Pairs join at the same instant: the id breaks the tie.
    AddMember(org, user, Role::kViewer, clock_.Now() + absl::Seconds(i / 2));
    expected.push_back(user.user.id);
  }
  // Within each instant the ids ascend; across instants time decides.
  std::sort(expected.begin(), expected.begin() + 2);
  std::sort(expected.begin() + 2, expected.begin() + 4);
  std::vector<std::string> seen;
  std::optional<ListPosition> after;
  for (int page = 0; page < 5; ++page) {
    auto members = Must(InTx([&](IdentityUnit& unit) { return unit.MembersOf(org.id, after, 2); }));
    if (members.empty()) break;
    for (const Member& member : members) seen.push_back(member.user_id);
    after = ListPosition{members.back().joined_at, members.back().user_id};
  }
  EXPECT_EQ(seen, expected);
}

TEST_P(IdentityStoreContract, OwnersDemotingEachOtherConcurrentlyLeaveAnOwner) {
  const Organization org = AddOrg("green-line");
  const UserRecord a = AddUser("a@example.com");
  const UserRecord b = AddUser("b@example.com");
  AddMember(org, a, Role::kOwner, clock_.Now());
  AddMember(org, b, Role::kOwner, clock_.Now());

  // What a role change does: lock the organization, then demote only if another owner stays.
  auto demote = [&](const std::string& user_id, bool& demoted) {
    return store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
      demoted = false;
      if (absl::Status s = unit.LockOrganization(org.id); !s.ok()) return s;
      absl::StatusOr<int64_t> owners = unit.CountOwners(org.id);
      if (!owners.ok()) return owners.status();
      if (*owners <= 1) return absl::OkStatus();
      absl::StatusOr<bool> updated = unit.UpdateRole(org.id, user_id, Role::kAdmin);
      if (!updated.ok()) return updated.status();
      demoted = *updated;
      return absl::OkStatus();
    });
  };

  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    MustOk(InTx([&](IdentityUnit& unit) -> absl::Status {
      for (const UserRecord* user : {&a, &b}) {
        absl::StatusOr<bool> updated = unit.UpdateRole(org.id, user->user.id, Role::kOwner);
        if (!updated.ok()) return updated.status();
      }
      return absl::OkStatus();
    }));

    std::latch start(2);
    absl::Status status_a, status_b;
    bool demoted_a = false, demoted_b = false;
    std::thread by_a([&] {
      start.arrive_and_wait();
      status_a = demote(b.user.id, demoted_b);  // a demotes b
    });
    std::thread by_b([&] {
      start.arrive_and_wait();
      status_b = demote(a.user.id, demoted_a);  // b demotes a
    });
    by_a.join();
    by_b.join();

    EXPECT_OK(status_a);
    EXPECT_OK(status_b);
    EXPECT_EQ(int{demoted_a} + int{demoted_b}, 1);
    EXPECT_EQ(Must(InTx([&](IdentityUnit& unit) { return unit.CountOwners(org.id); })), 1);
  }
}

// ---- Outbox ------------------------------------------------------------------------------

TEST_P(IdentityStoreContract, EventsAndWritesExistOnlyWhenTheTransactionCommits) {
  const UserRecord kept = NewUser("kept@example.com");
  const events::Event kept_event = NewEvent("identity.user_registered.v1", kept.user.id);
  MustOk(store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
    if (absl::Status s = unit.InsertUser(kept); !s.ok()) return s;
    return unit.AppendEvent(kept_event);
  }));

  const UserRecord lost = NewUser("lost@example.com");
  const events::Event lost_event = NewEvent("identity.user_registered.v1", lost.user.id);
  const absl::Status failed = store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
    if (absl::Status s = unit.InsertUser(lost); !s.ok()) return s;
    if (absl::Status s = unit.AppendEvent(lost_event); !s.ok()) return s;
    return absl::FailedPreconditionError("the use case changed its mind");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition) << failed;
  EXPECT_EQ(failed.message(), "the use case changed its mind");

  auto pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().second, kept_event);

  EXPECT_TRUE(Must(InTx([&](IdentityUnit& unit) { return unit.FindUser(kept.user.id); })));
  EXPECT_FALSE(Must(InTx([&](IdentityUnit& unit) { return unit.FindUser(lost.user.id); })));
  EXPECT_FALSE(
      Must(InTx([&](IdentityUnit& unit) { return unit.FindUserByEmail("lost@example.com"); })));
}

INSTANTIATE_TEST_SUITE_P(Engines, IdentityStoreContract,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) {
                           return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace travio::identity
