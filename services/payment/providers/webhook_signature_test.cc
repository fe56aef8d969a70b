#include "services/payment/providers/webhook_signature.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::payment {
namespace {

const absl::Time kSignedAt = absl::FromUnixSeconds(1'800'000'000);
constexpr char kSecret[] = "whsec_test_only_not_a_real_secret";
constexpr char kBody[] = R"({"payment_id":"p1","status":"captured"})";

TEST(WebhookSignatureTest, ASignedBodyVerifiesWithinTheTolerance) {
  const std::string header = SignWebhook(kSecret, kSignedAt, kBody);
  EXPECT_EQ(header.rfind("t=1800000000,v1=", 0), 0u);
  EXPECT_OK(VerifyWebhook(kSecret, header, kBody, kSignedAt));
  EXPECT_OK(VerifyWebhook(kSecret, header, kBody, kSignedAt + absl::Minutes(5)));
  EXPECT_EQ(ReasonOf(VerifyWebhook(kSecret, header, kBody, kSignedAt + absl::Minutes(6))),
            "bad_signature");
  EXPECT_FALSE(VerifyWebhook(kSecret, header, kBody, kSignedAt - absl::Minutes(6)).ok());
}

TEST(WebhookSignatureTest, AnythingChangedIsRefused) {
  const std::string header = SignWebhook(kSecret, kSignedAt, kBody);
  EXPECT_FALSE(VerifyWebhook("another secret", header, kBody, kSignedAt).ok());
  EXPECT_FALSE(
      VerifyWebhook(kSecret, header, R"({"payment_id":"p1","status":"failed"})", kSignedAt).ok());
  // The same signature under another timestamp (a replay with a fresh t) fails.
  const std::string moved = "t=1800000001" + header.substr(header.find(','));
  EXPECT_FALSE(VerifyWebhook(kSecret, moved, kBody, kSignedAt).ok());
  for (const std::string& malformed :
       {std::string(""), std::string("v1=abc"), std::string("t=x,v1=00"),
        std::string("t=1800000000"), std::string("t=1800000000,v1=zz")}) {
    EXPECT_EQ(ReasonOf(VerifyWebhook(kSecret, malformed, kBody, kSignedAt)), "bad_signature")
        << malformed;
  }
}

TEST(WebhookSignatureTest, AnyOfSeveralSignaturesMayMatchDuringARotation) {
  const std::string fresh = SignWebhook(kSecret, kSignedAt, kBody);
  const std::string old = SignWebhook("retired secret", kSignedAt, kBody);
  const std::string both = old + "," + fresh.substr(fresh.find("v1="));
  EXPECT_OK(VerifyWebhook(kSecret, both, kBody, kSignedAt));
  EXPECT_OK(VerifyWebhook("retired secret", both, kBody, kSignedAt));
}

}  // namespace
}  // namespace travio::payment
