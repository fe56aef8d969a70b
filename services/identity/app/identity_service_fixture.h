#pragma once

// The identity service's fixture, shared by its suites: the real SQLite adapter and the memory
// hot-state store, an injected clock, and a recording fake of the mail port.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/kv/memory_store.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/identity/api/session_revocations.h"
#include "services/identity/app/identity_service.h"
#include "services/identity/storage/keys/file_key_ring.h"
#include "services/identity/storage/kv/kv_login_throttle.h"
#include "services/identity/storage/sql/migrations.h"
#include "services/identity/storage/sql/sql_identity_store.h"

namespace travio::identity {

class RecordingMail final : public notification::NotificationClient {
 public:
  absl::StatusOr<std::string> SendEmail(const notification::EmailMessage& message) override {
    std::lock_guard lock(mutex_);
    if (fail_) return absl::UnavailableError("smtp down");
    sent_.push_back(message);
    return "message-" + std::to_string(sent_.size());
  }
  absl::StatusOr<notification::NoticeReceipt> Notify(const notification::Notice&) override {
    return absl::UnimplementedError("identity sends no notices");
  }
  // The invite token of the last message to `to` (the template's `token` field).
  std::string TokenSentTo(const std::string& to) {
    std::lock_guard lock(mutex_);
    for (auto it = sent_.rbegin(); it != sent_.rend(); ++it) {
      if (it->to != to || it->kind != "org_invite") continue;
      if (auto token = it->fields.find("token"); token != it->fields.end()) return token->second;
    }
    return "";
  }
  size_t count() {
    std::lock_guard lock(mutex_);
    return sent_.size();
  }
  void set_fail(bool fail) {
    std::lock_guard lock(mutex_);
    fail_ = fail;
  }

 private:
  std::mutex mutex_;
  std::vector<notification::EmailMessage> sent_;
  bool fail_ = false;
};

class Revoker final : public SessionRevoker {
 public:
  explicit Revoker(kv::KeyValueStore& store) : revocations_(store, absl::Minutes(15)) {}
  absl::Status Revoke(std::string_view session_id) override {
    return revocations_.Revoke(session_id);
  }

 private:
  SessionRevocations revocations_;
};

inline constexpr char kPassword[] = "correct horse battery";

class IdentityServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = db::OpenSqlite({.path = (dir_.path() / "identity.db").string()});
    ASSERT_OK(database);
    database_ = *std::move(database);
    ASSERT_OK(db::ApplyMigrations(*database_, "identity", IdentityMigrations()));
    outbox_ = std::make_unique<events::Outbox>("identity", *database_);
    ASSERT_OK(outbox_->Migrate());
    auto keys = FileKeyRing::Open(dir_.path() / "keys");
    ASSERT_OK(keys);
    keys_ = *std::move(keys);
    store_ = MakeSqlIdentityStore(*database_, *outbox_);
    throttle_ = MakeKvLoginThrottle(*hot_state_,
                                    {.threshold = 5,
                                     .window = absl::Hours(1),
                                     .base_delay = absl::Seconds(2),
                                     .max_delay = absl::Minutes(15)},
                                    {.threshold = 20,
                                     .window = absl::Hours(1),
                                     .base_delay = absl::Seconds(2),
                                     .max_delay = absl::Minutes(15)},
                                    std::string(32, 'k'));
    service_ = MakeService({});
  }

  std::unique_ptr<IdentityService> MakeService(IdentitySettings settings) {
    auto service =
        IdentityService::Create({.store = *store_,
                                 .keys = *keys_,
                                 .throttle = *throttle_,
                                 .revoker = revoker_,
                                 .limits = *limits_,
                                 .mail = mail_,
                                 .clock = clock_,
                                 .ids = ids_,
                                 .logger = log::Logger::ToVector(log::Level::kDebug, log_lines_)},
                                std::move(settings), "test-instance");
    EXPECT_OK(service);
    return service.ok() ? *std::move(service) : nullptr;
  }

  User RegisterUser(const std::string& email, const std::string& name = "Karim Ahmed") {
    auto user = service_->Register({.email = email, .password = kPassword, .name = name});
    EXPECT_OK(user);
    return user.value_or(User{});
  }

  TokenPair LoginUser(const std::string& email, const std::string& address = "192.0.2.1") {
    auto tokens =
        service_->Login({.email = email, .password = kPassword, .client_address = address});
    EXPECT_OK(tokens);
    return tokens.value_or(TokenPair{});
  }

  absl::StatusOr<AccessClaims> VerifyAccess(const std::string& token) {
    AccessTokenVerifier verifier(clock_);
    verifier.Update(*service_->GetTokenSettings());
    return verifier.Verify(token);
  }

  bool SessionRevoked(const std::string& session_id) {
    return *SessionRevocations(*hot_state_, absl::Minutes(15)).IsRevoked(session_id);
  }

  std::vector<std::string> AuditTypes() {
    std::vector<std::string> types;
    auto pending = outbox_->Pending(1000);
    EXPECT_OK(pending);
    if (!pending.ok()) return types;
    for (const auto& [sequence, event] : *pending) types.push_back(event.type);
    return types;
  }

  size_t AuditCount(std::string_view type) {
    auto types = AuditTypes();
    return static_cast<size_t>(std::count(types.begin(), types.end(), type));
  }

  // An org owned by a fresh owner, and an invited member of `role` who accepted.
  struct Team {
    User owner;
    Organization org;
    User member;
  };
  Team MakeTeam(Role role) {
    Team team;
    team.owner = RegisterUser("owner@example.com", "Owner");
    team.org = *service_->CreateOrganization(team.owner.id, "Green Line Paribahan", "");
    auto invite =
        service_->CreateInvite(Owner(team), "member@example.com", std::string(RoleName(role)));
    EXPECT_OK(invite);
    auto accepted = service_->AcceptInvite({.token = mail_->TokenSentTo("member@example.com"),
                                            .user_id = "",
                                            .name = "Member",
                                            .password = kPassword});
    EXPECT_OK(accepted);
    if (accepted.ok()) team.member = *accepted->created_user;
    return team;
  }
  Actor Owner(const Team& team) { return {team.owner.id, team.org.id, Role::kOwner}; }
  Actor MemberActor(const Team& team, Role role) { return {team.member.id, team.org.id, role}; }

  testing::TempDir dir_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<FileKeyRing> keys_;
  std::unique_ptr<IdentityStore> store_;
  std::unique_ptr<kv::KeyValueStore> hot_state_ = kv::MakeMemoryStore(clock_);
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<RateLimiter> limits_ = MakeKvRateLimiter(*hot_state_);
  Revoker revoker_{*hot_state_};
  std::shared_ptr<RecordingMail> mail_ = std::make_shared<RecordingMail>();
  std::shared_ptr<std::vector<std::string>> log_lines_ =
      std::make_shared<std::vector<std::string>>();
  std::unique_ptr<IdentityService> service_;
};

}  // namespace travio::identity
