#pragma once

// The IdentityStore contract suite's fixture, shared by identity_store_contract_test.cc (which
// instantiates it on SQLite and PostgreSQL), identity_store_invites_test.cc and
// identity_store_tokens_test.cc.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
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

inline void MustOk(const absl::Status& status,
                   std::source_location where = std::source_location::current()) {
  if (!status.ok()) ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << status;
}

inline absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
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

}  // namespace travio::identity
