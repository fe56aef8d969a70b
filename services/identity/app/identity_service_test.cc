// The identity use cases on the real SQLite adapter and the memory hot-state store, with an
// injected clock; only the mail port is a recording fake (its adapters have their own tests).
// Accounts and sessions here; organizations_test.cc and invites_test.cc have the rest.
#include "services/identity/app/identity_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/app/identity_service_fixture.h"

namespace travio::identity {
namespace {

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

TEST_F(IdentityServiceTest, KeysAreAuditedOnceWhenFirstSeen) {
  ASSERT_OK(service_->RecordKeys());
  ASSERT_OK(service_->RecordKeys());
  EXPECT_EQ(AuditCount(kSigningKeyAdded.type), 1u);
}

}  // namespace
}  // namespace travio::identity
