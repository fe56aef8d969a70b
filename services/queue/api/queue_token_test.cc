#include "services/queue/api/queue_token.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "platform/crypto/paseto.h"
#include "platform/testing/status_matchers.h"

namespace travio::queue {
namespace {

using testing::StatusIs;

struct Keys {
  std::string secret = std::string(crypto_sign_SECRETKEYBYTES, '\0');
  std::string public_key = std::string(crypto_sign_PUBLICKEYBYTES, '\0');
  Keys() {
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                        reinterpret_cast<unsigned char*>(secret.data()));
  }
};

const absl::Time kTokenNow = absl::FromUnixSeconds(1'767'225'600);

QueueTokenClaims Claims() {
  return {.subject = "guest-1",
          .room_id = "eid-drop",
          .token_id = "ticket-1",
          .issued_at = kTokenNow,
          .expires_at = kTokenNow + absl::Minutes(10)};
}

TEST(QueueToken, RoundTripsItsClaimsWithTheKeyItsFooterNames) {
  Keys current;
  Keys retired;
  ASSERT_OK_AND_ASSIGN(std::string token, SignQueueToken(current.secret, "k2", Claims()));
  EXPECT_EQ(token.rfind("v4.public.", 0), 0u);
  const std::vector<QueueKey> keys = {{"k1", retired.public_key}, {"k2", current.public_key}};
  ASSERT_OK_AND_ASSIGN(QueueTokenClaims claims, VerifyQueueToken(token, keys, kTokenNow));
  EXPECT_EQ(claims, Claims());
}

TEST(QueueToken, RefusesExpiredForgedAndUnknownKeyTokensAlike) {
  Keys current;
  Keys attacker;
  ASSERT_OK_AND_ASSIGN(std::string token, SignQueueToken(current.secret, "k", Claims()));
  const std::vector<QueueKey> keys = {{"k", current.public_key}};
  EXPECT_THAT(VerifyQueueToken(token, keys, kTokenNow + absl::Minutes(10)),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  ASSERT_OK_AND_ASSIGN(std::string forged, SignQueueToken(attacker.secret, "k", Claims()));
  EXPECT_THAT(VerifyQueueToken(forged, keys, kTokenNow),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  ASSERT_OK_AND_ASSIGN(std::string unknown, SignQueueToken(current.secret, "other", Claims()));
  EXPECT_THAT(VerifyQueueToken(unknown, keys, kTokenNow),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  // The right key and claims, but not signed as a queue token (an access token, say).
  const std::string other_purpose =
      crypto::V4PublicSign(
          current.secret,
          R"({"sub":"guest-1","aud":"eid-drop","jti":"t","iat":"2026-01-01T00:00:00Z",)"
          R"("exp":"2026-01-01T01:00:00Z"})",
          R"({"kid":"k"})")
          .value();
  EXPECT_THAT(VerifyQueueToken(other_purpose, keys, kTokenNow),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  for (const std::string& junk : {std::string(""), std::string("v4.public."),
                                  std::string("v4.local.abc"), std::string(5000, 'a')}) {
    EXPECT_THAT(VerifyQueueToken(junk, keys, kTokenNow),
                StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  }
}

TEST(QueueToken, RefusesATokenThatNamesNoCallerRoomOrTicket) {
  // Found by the queue_token fuzzer: a validly signed token whose ticket id is empty passed.
  Keys current;
  const std::vector<QueueKey> keys = {{"k", current.public_key}};
  for (auto blank : {&QueueTokenClaims::subject, &QueueTokenClaims::room_id,
                     &QueueTokenClaims::token_id}) {
    QueueTokenClaims claims = Claims();
    claims.*blank = "";
    ASSERT_OK_AND_ASSIGN(std::string token, SignQueueToken(current.secret, "k", claims));
    EXPECT_THAT(VerifyQueueToken(token, keys, kTokenNow),
                StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  }
}

}  // namespace
}  // namespace travio::queue
