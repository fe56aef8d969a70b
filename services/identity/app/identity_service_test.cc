// The identity use cases on the real SQLite adapter and the memory hot-state store, with an
// injected clock; only the mail port is a recording fake (its adapters have their own tests).
#include "services/identity/app/identity_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <string_view>
#include <thread>

#include "platform/base/errors.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/kv/memory_store.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/api/session_revocations.h"
#include "services/identity/storage/keys/file_key_ring.h"
#include "services/identity/storage/kv/kv_login_throttle.h"
#include "services/identity/storage/sql/migrations.h"
#include "services/identity/storage/sql/sql_identity_store.h"

namespace travio::identity {
namespace {

class RecordingMail final : public notification::NotificationClient {
 public:
  absl::StatusOr<std::string> SendEmail(const notification::EmailMessage& message) override {
    std::lock_guard lock(mutex_);
    if (fail_) return absl::UnavailableError("smtp down");
    sent_.push_back(message);
    return "message-" + std::to_string(sent_.size());
  }
  // The invite token of the last message to `to`.
  std::string TokenSentTo(const std::string& to) {
    std::lock_guard lock(mutex_);
    for (auto it = sent_.rbegin(); it != sent_.rend(); ++it) {
      constexpr std::string_view kLabel = "Invite token: ";
      const size_t start = it->text_body.find(kLabel);
      if (it->to != to || start == std::string::npos) continue;
      const size_t begin = start + kLabel.size();
      return it->text_body.substr(begin, it->text_body.find_first_of(" \r\n", begin) - begin);
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

constexpr char kPassword[] = "correct horse battery";

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

TEST_F(IdentityServiceTest, RegistersAndRefusesDuplicatesAndWeakPasswords) {
  const User user = RegisterUser(" Karim@Example.com ");
  EXPECT_EQ(user.email, "karim@example.com");
  auto again =
      service_->Register({.email = "KARIM@example.com", .password = kPassword, .name = "Other"});
  EXPECT_EQ(ReasonOf(again.status()), "email_taken");
  auto weak =
      service_->Register({.email = "weak@example.com", .password = "password123", .name = "Weak"});
  EXPECT_EQ(ReasonOf(weak.status()), "weak_password");
  auto invalid = service_->Register({.email = "nope", .password = "", .name = ""});
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(invalid.status()).size(), 3u);  // email, name, password
  EXPECT_EQ(AuditCount(kUserRegistered.type), 1u);
}

TEST_F(IdentityServiceTest, LoginIssuesAVerifiableAccessTokenAndARefreshToken) {
  const User user = RegisterUser("karim@example.com");
  const TokenPair tokens = LoginUser("Karim@Example.com");
  EXPECT_EQ(tokens.expires_in, absl::Minutes(15));
  auto claims = VerifyAccess(tokens.access_token);
  ASSERT_OK(claims);
  EXPECT_EQ(claims->subject, user.id);
  EXPECT_FALSE(claims->session_id.empty());
  EXPECT_EQ(tokens.refresh_token.rfind("v4.local.", 0), 0u);
}

TEST_F(IdentityServiceTest, UnknownEmailIsAnsweredExactlyLikeAWrongPassword) {
  RegisterUser("karim@example.com");
  auto wrong = service_->Login({.email = "karim@example.com",
                                .password = "not the password",
                                .client_address = "192.0.2.1"});
  auto unknown = service_->Login({.email = "nobody@example.com",
                                  .password = "not the password",
                                  .client_address = "192.0.2.2"});
  EXPECT_EQ(wrong.status(), unknown.status());
  EXPECT_EQ(ReasonOf(unknown.status()), "invalid_credentials");
}

TEST_F(IdentityServiceTest, RepeatedFailuresLockTheAccountWithGrowingDelays) {
  RegisterUser("karim@example.com");
  for (int i = 0; i < 5; ++i) {
    auto failed = service_->Login({.email = "karim@example.com",
                                   .password = "guess number " + std::to_string(i),
                                   .client_address = "198.51.100." + std::to_string(i)});
    EXPECT_EQ(ReasonOf(failed.status()), "invalid_credentials");
  }
  // Locked now: even the right password waits.
  auto locked = service_->Login(
      {.email = "karim@example.com", .password = kPassword, .client_address = "203.0.113.9"});
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(locked.status()), "too_many_attempts");
  ASSERT_TRUE(RetryAfterOf(locked.status()).has_value());
  EXPECT_EQ(*RetryAfterOf(locked.status()), absl::Seconds(2));
  EXPECT_EQ(AuditCount(kLoginThrottled.type), 1u);

  clock_.Advance(absl::Seconds(3));
  auto sixth = service_->Login(
      {.email = "karim@example.com", .password = "guess again", .client_address = "203.0.113.9"});
  EXPECT_EQ(ReasonOf(sixth.status()), "invalid_credentials");
  auto longer = service_->Login(
      {.email = "karim@example.com", .password = kPassword, .client_address = "203.0.113.9"});
  EXPECT_EQ(*RetryAfterOf(longer.status()), absl::Seconds(4));  // doubled

  clock_.Advance(absl::Seconds(5));
  EXPECT_OK(service_->Login(
      {.email = "karim@example.com", .password = kPassword, .client_address = "203.0.113.9"}));
}

TEST_F(IdentityServiceTest, ParallelGuessesCannotOutrunTheLockout) {
  RegisterUser("karim@example.com");
  constexpr int kThreads = 12;
  std::atomic<int> wrong{0}, throttled{0}, other{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto result = service_->Login({.email = "karim@example.com",
                                     .password = "guess " + std::to_string(i),
                                     .client_address = "198.51.100.7"});
      const std::string reason = ReasonOf(result.status());
      if (reason == "invalid_credentials") {
        ++wrong;
      } else if (reason == "too_many_attempts") {
        ++throttled;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // Attempts run one at a time per account, so no more than the threshold are ever judged.
  EXPECT_LE(wrong.load(), 5);
  EXPECT_GE(throttled.load(), kThreads - 5);
  EXPECT_EQ(other.load(), 0);
}

TEST_F(IdentityServiceTest, LoginUpgradesHashesWhenTheCostIsRaised) {
  RegisterUser("karim@example.com");
  std::string before;
  ASSERT_OK(store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
    before = (*unit.FindUserByEmail("karim@example.com"))->password_hash;
    return absl::OkStatus();
  }));
  IdentitySettings stronger;
  stronger.password_cost.memory_bytes = 24 * 1024 * 1024;
  service_ = MakeService(stronger);
  LoginUser("karim@example.com");
  std::string after;
  ASSERT_OK(store_->InTransaction([&](IdentityUnit& unit) -> absl::Status {
    after = (*unit.FindUserByEmail("karim@example.com"))->password_hash;
    return absl::OkStatus();
  }));
  EXPECT_NE(before, after);
  EXPECT_NE(after.find("m=24576"), std::string::npos) << after;
  EXPECT_FALSE(crypto::NeedsRehash(after, stronger.password_cost));
  LoginUser("karim@example.com");  // the new hash still verifies
}

TEST_F(IdentityServiceTest, RefreshRotatesAndReuseRevokesTheWholeFamily) {
  RegisterUser("karim@example.com");
  const TokenPair first = LoginUser("karim@example.com");
  auto second = service_->Refresh(first.refresh_token);
  ASSERT_OK(second);
  EXPECT_NE(second->refresh_token, first.refresh_token);
  const std::string session = VerifyAccess(second->access_token)->session_id;
  EXPECT_EQ(session, VerifyAccess(first.access_token)->session_id);
  EXPECT_FALSE(SessionRevoked(session));

  // The spent token comes back: someone copied it. The family dies, the live one included.
  auto reused = service_->Refresh(first.refresh_token);
  EXPECT_EQ(ReasonOf(reused.status()), "invalid_refresh_token");
  EXPECT_EQ(ReasonOf(service_->Refresh(second->refresh_token).status()), "invalid_refresh_token");
  EXPECT_TRUE(SessionRevoked(session));
  EXPECT_EQ(AuditCount(kRefreshTokenReused.type), 1u);

  // Another login is another family, unaffected.
  const TokenPair other = LoginUser("karim@example.com");
  EXPECT_OK(service_->Refresh(other.refresh_token));
}

TEST_F(IdentityServiceTest, RefreshRefusesForgedExpiredAndForeignTokens) {
  RegisterUser("karim@example.com");
  const TokenPair tokens = LoginUser("karim@example.com");
  EXPECT_FALSE(service_->Refresh("v4.local.garbage").ok());
  EXPECT_FALSE(service_->Refresh(tokens.access_token).ok());  // an access token is not one
  clock_.Advance(absl::Hours(24 * 15));
  EXPECT_EQ(ReasonOf(service_->Refresh(tokens.refresh_token).status()), "invalid_refresh_token");
}

TEST_F(IdentityServiceTest, SessionsEndAtTheirMaximumAgeHoweverOftenRefreshed) {
  RegisterUser("karim@example.com");
  TokenPair tokens = LoginUser("karim@example.com");
  // Refresh every 13 days (within the 14-day refresh lifetime) for 13 weeks.
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(absl::Hours(24 * 13));
    auto next = service_->Refresh(tokens.refresh_token);
    ASSERT_OK(next) << "refresh " << i << ": " << next.status();
    tokens = *next;
  }
  // 78 days in: the next refresh token expires with the session, at day 90.
  clock_.Advance(absl::Hours(24 * 12) + absl::Seconds(1));
  EXPECT_EQ(ReasonOf(service_->Refresh(tokens.refresh_token).status()), "invalid_refresh_token");
}

TEST_F(IdentityServiceTest, LogoutEndsTheSessionAndItsAccessTokens) {
  RegisterUser("karim@example.com");
  const TokenPair tokens = LoginUser("karim@example.com");
  const std::string session = VerifyAccess(tokens.access_token)->session_id;
  ASSERT_OK(service_->Logout(tokens.refresh_token));
  EXPECT_TRUE(SessionRevoked(session));
  EXPECT_FALSE(service_->Refresh(tokens.refresh_token).ok());
  EXPECT_OK(service_->Logout(tokens.refresh_token));  // twice is fine
  EXPECT_EQ(AuditCount(kSessionEnded.type), 1u);
}

TEST_F(IdentityServiceTest, RefreshingAnEndedSessionTellsTheGatewaysAgain) {
  RegisterUser("karim@example.com");
  const TokenPair tokens = LoginUser("karim@example.com");
  const std::string session = VerifyAccess(tokens.access_token)->session_id;
  ASSERT_OK(service_->Logout(tokens.refresh_token));
  // The notice to the gateways was lost (say Redis restarted).
  ASSERT_OK(hot_state_->Delete("identity:revoked-session:" + session));
  EXPECT_FALSE(SessionRevoked(session));
  EXPECT_EQ(ReasonOf(service_->Refresh(tokens.refresh_token).status()), "invalid_refresh_token");
  EXPECT_TRUE(SessionRevoked(session));
}

TEST_F(IdentityServiceTest, GuestTokensHaveAGuestSubjectAndNoSession) {
  auto guest = service_->IssueGuestToken();
  ASSERT_OK(guest);
  EXPECT_TRUE(guest->refresh_token.empty());
  auto claims = VerifyAccess(guest->access_token);
  ASSERT_OK(claims);
  EXPECT_TRUE(claims->guest());
  EXPECT_TRUE(claims->session_id.empty());
}

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

TEST_F(IdentityServiceTest, ACallerWhoseRoleChangedIsJudgedByTheNewRole) {
  Team team = MakeTeam(Role::kAdmin);
  ASSERT_OK(service_->ChangeRole(Owner(team), team.member.id, "viewer"));
  // The actor still claims admin (a gateway decision made a moment earlier).
  EXPECT_EQ(service_->ListInvites(MemberActor(team, Role::kAdmin), {}).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(IdentityServiceTest, KeysAreAuditedOnceWhenFirstSeen) {
  ASSERT_OK(service_->RecordKeys());
  ASSERT_OK(service_->RecordKeys());
  EXPECT_EQ(AuditCount(kSigningKeyAdded.type), 1u);
}

}  // namespace
}  // namespace travio::identity
