#include "services/identity/domain/credentials.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/domain/slug.h"
#include "services/identity/domain/throttle_policy.h"

namespace travio::identity {
namespace {

TEST(NormalizeEmail, FoldsCaseAndTrims) {
  auto email = NormalizeEmail("  Rahim.Uddin@Example.COM ");
  ASSERT_OK(email);
  EXPECT_EQ(*email, "rahim.uddin@example.com");
}

TEST(NormalizeEmail, RefusesWhatIsNotOneAddress) {
  for (const char* bad :
       {"", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a@b..com", "a b@c.com",
        "a@b.com\r\nBcc: x@y.com", "<a@b.com>", "a@.b.com", "a,b@c.com"}) {
    auto email = NormalizeEmail(bad);
    EXPECT_EQ(email.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(FieldErrorsOf(email.status()).at(0).field, "email") << bad;
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@b.com").ok());
  EXPECT_FALSE(NormalizeEmail(std::string(65, 'a') + "@b.com").ok());
  EXPECT_OK(NormalizeEmail("first.last+tag@mail.example.com.bd"));
}

TEST(PasswordStrength, AcceptsLongUncommonPasswords) {
  EXPECT_OK(CheckPasswordStrength("correct horse battery", "rahim@example.com"));
  EXPECT_OK(CheckPasswordStrength("পাসওয়ার্ড-নদী-১২৩", "rahim@example.com"));
}

TEST(PasswordStrength, RefusesWeakOnesWithAReason) {
  for (const char* weak : {"short", "123456789", "aaaaaaaaaaaa", "Password123", "1234567890",
                           "BANGLADESH", "rahim.uddin!2026", "rahim.uddin@example.com"}) {
    const absl::Status status = CheckPasswordStrength(weak, "rahim.uddin@example.com");
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << weak;
    EXPECT_EQ(ReasonOf(status), "weak_password") << weak;
    ASSERT_EQ(FieldErrorsOf(status).size(), 1u) << weak;
    EXPECT_EQ(FieldErrorsOf(status)[0].field, "password");
  }
  EXPECT_EQ(ReasonOf(CheckPasswordStrength(std::string(129, 'x') + "y", "")), "weak_password");
}

TEST(PasswordStrength, CountsCharactersNotBytes) {
  // Nine Bengali letters are 27 bytes but nine characters: too short.
  EXPECT_FALSE(CheckPasswordStrength("কখগঘঙচছজঝ", "").ok());
}

TEST(NormalizeName, TrimsAndRefusesControlsAndEmpty) {
  EXPECT_EQ(*NormalizeName("  Karim Ahmed "), "Karim Ahmed");
  EXPECT_FALSE(NormalizeName("   ").ok());
  EXPECT_FALSE(NormalizeName("Karim\nAhmed").ok());
  EXPECT_FALSE(NormalizeName(std::string(101, 'k')).ok());
}

TEST(NormalizePhone, AcceptsE164Only) {
  EXPECT_EQ(*NormalizePhone("+8801712345678"), "+8801712345678");
  EXPECT_EQ(*NormalizePhone(""), "");
  for (const char* bad : {"01712345678", "+0123456789", "+88017-1234", "+88017123456789012"}) {
    EXPECT_FALSE(NormalizePhone(bad).ok()) << bad;
  }
}

TEST(Slug, NormalizesAndDerives) {
  EXPECT_EQ(*NormalizeSlug("Green-Line"), "green-line");
  for (const char* bad : {"ab", "-abc", "abc-", "a_b_c", "a b c", ""}) {
    EXPECT_FALSE(NormalizeSlug(bad).ok()) << bad;
  }
  EXPECT_EQ(SlugFromName("Green Line Paribahan Ltd."), "green-line-paribahan-ltd");
  EXPECT_EQ(SlugFromName("গ্রীন লাইন"), "org");
  EXPECT_EQ(SlugFromName("S.R."), "s-r");
  EXPECT_EQ(SlugFromName("S."), "s-org");
  EXPECT_OK(NormalizeSlug(SlugFromName(std::string(200, 'x'))));
}

TEST(ThrottlePolicy, DoublesFromTheThresholdUpToTheCap) {
  const ThrottlePolicy policy{.threshold = 5,
                              .window = absl::Hours(1),
                              .base_delay = absl::Seconds(2),
                              .max_delay = absl::Minutes(1)};
  EXPECT_EQ(policy.LockoutAfter(4), absl::ZeroDuration());
  EXPECT_EQ(policy.LockoutAfter(5), absl::Seconds(2));
  EXPECT_EQ(policy.LockoutAfter(6), absl::Seconds(4));
  EXPECT_EQ(policy.LockoutAfter(9), absl::Seconds(32));
  EXPECT_EQ(policy.LockoutAfter(10), absl::Minutes(1));
  EXPECT_EQ(policy.LockoutAfter(1000), absl::Minutes(1));
}

}  // namespace
}  // namespace travio::identity
