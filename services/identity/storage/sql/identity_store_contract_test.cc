// The behaviour every IdentityStore adapter must share, run against the SQL adapter on SQLite (a
// file in a temporary directory) and on PostgreSQL (a scratch database on the test run's server).

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/event.h"
#include "platform/events/outbox.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "services/identity/app/ports.h"
#include "services/identity/storage/sql/migrations.h"
#include "services/identity/storage/sql/sql_identity_store.h"

namespace travio::identity {
namespace {

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

absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

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

enum class Engine { kSqlite, kPostgres };

class IdentityStoreContract : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::kSqlite) {
      auto database = db::OpenSqlite({(dir_ / "identity.db").string()});
      ASSERT_OK(database);
      database_ = *std::move(database);
    } else {
      scratch_ = std::make_unique<testing::ScratchPostgresDatabase>();
      auto database = db::OpenPostgres({scratch_->dsn()});
      ASSERT_OK(database);
      database_ = *std::move(database);
    }
    const std::vector<db::Migration> migrations = IdentityMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "identity", migrations));
    outbox_ = std::make_unique<events::Outbox>("identity", *database_);
    ASSERT_OK(outbox_->Migrate());
    store_ = MakeSqlIdentityStore(*database_, *outbox_);
  }

  // Runs `work` in a transaction of its own and returns what it returned (absl::Status or
  // absl::StatusOr<T>), or the transaction's error when the commit failed.
  template <typename Work>
  std::invoke_result_t<Work, IdentityUnit&> InTx(Work work) {
    using Result = std::invoke_result_t<Work, IdentityUnit&>;
    std::optional<Result> out;
    absl::Status status = store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
      out.emplace(work(unit));  // a retried attempt replaces the earlier result
      return StatusOf(*out);
    });
    if (!status.ok()) return Result(status);
    return *std::move(out);
  }

  UserRecord NewUser(const std::string& email, const std::string& name = "Rahim Uddin") {
    return UserRecord{
        .user = {.id = ids_.NewId(), .email = email, .name = name, .phone = "+8801711000000"},
        .password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        .created_at = clock_.Now()};
  }
  UserRecord AddUser(const std::string& email, const std::string& name = "Rahim Uddin") {
    UserRecord user = NewUser(email, name);
    MustOk(InTx([&](IdentityUnit& unit) { return unit.InsertUser(user); }));
    return user;
  }

  Organization NewOrg(const std::string& slug, const std::string& name = "Green Line") {
    return Organization{.id = ids_.NewId(), .name = name, .slug = slug, .created_at = clock_.Now()};
  }
  Organization AddOrg(const std::string& slug, const std::string& name = "Green Line") {
    Organization org = NewOrg(slug, name);
    MustOk(InTx([&](IdentityUnit& unit) { return unit.InsertOrganization(org); }));
    return org;
  }

  void AddMember(const Organization& org, const UserRecord& user, Role role, absl::Time at) {
    MustOk(InTx(
        [&](IdentityUnit& unit) { return unit.InsertMembership(org.id, user.user.id, role, at); }));
  }

  InviteRecord NewInvite(const Organization& org, const UserRecord& by, const std::string& email,
                         const std::string& token_hash) {
    return InviteRecord{.invite = {.id = ids_.NewId(),
                                   .org_id = org.id,
                                   .email = email,
                                   .role = Role::kAgent,
                                   .status = InviteStatus::kPending,
                                   .created_at = clock_.Now(),
                                   .expires_at = clock_.Now() + absl::Hours(72),
                                   .email_sent = false},
                        .token_hash = token_hash,
                        .invited_by = by.user.id,
                        .accepted_by = ""};
  }
  InviteRecord AddInvite(const Organization& org, const UserRecord& by, const std::string& email,
                         const std::string& token_hash) {
    InviteRecord invite = NewInvite(org, by, email, token_hash);
    MustOk(InTx([&](IdentityUnit& unit) { return unit.InsertInvite(invite); }));
    return invite;
  }
  std::optional<InviteRecord> FindInvite(const std::string& org_id, const std::string& id) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.FindInvite(org_id, id); }));
  }

  RefreshTokenRecord NewToken(const UserRecord& user, const std::string& family) {
    return RefreshTokenRecord{.id = ids_.NewId(),
                              .family_id = family,
                              .user_id = user.user.id,
                              .issued_at = clock_.Now(),
                              .expires_at = clock_.Now() + absl::Hours(24 * 30),
                              .spent_at = std::nullopt,
                              .revoked_at = std::nullopt};
  }
  RefreshTokenRecord AddToken(const UserRecord& user, const std::string& family) {
    RefreshTokenRecord token = NewToken(user, family);
    MustOk(InTx([&](IdentityUnit& unit) { return unit.InsertRefreshToken(token); }));
    return token;
  }
  std::optional<RefreshTokenRecord> FindToken(const std::string& id) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.FindRefreshToken(id); }));
  }
  bool Spend(const std::string& id, absl::Time at) {
    return Must(InTx([&](IdentityUnit& unit) { return unit.SpendRefreshToken(id, at); }));
  }

  events::Event NewEvent(const std::string& type, const std::string& aggregate_id) {
    return events::Event{.id = ids_.NewId(),
                         .type = type,
                         .aggregate_id = aggregate_id,
                         .org_id = "",
                         .occurred_at = clock_.Now(),
                         .trace_id = "trace-1",
                         .payload = absl::StrCat("{\"user_id\":\"", aggregate_id, "\"}")};
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ScratchPostgresDatabase> scratch_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<IdentityStore> store_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
};

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

// ---- Invites -----------------------------------------------------------------------------

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

// ---- Refresh tokens and signing keys -----------------------------------------------------

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

INSTANTIATE_TEST_SUITE_P(Engines, IdentityStoreContract,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) {
                           return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace travio::identity
