#include "services/identity/api/access_token.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "platform/base/errors.h"
#include "platform/crypto/jwt.h"
#include "platform/crypto/paseto.h"
#include "platform/testing/status_matchers.h"

namespace travio::identity {
namespace {

struct KeyPair {
  std::string kid;
  std::string secret;
  std::string public_key;
};

KeyPair NewKey(std::string kid) {
  KeyPair key{std::move(kid), std::string(64, '\0'), std::string(32, '\0')};
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(key.public_key.data()),
                      reinterpret_cast<unsigned char*>(key.secret.data()));
  return key;
}

class AccessTokenTest : public ::testing::TestWithParam<TokenFormat> {
 protected:
  AccessTokenTest() : key_(NewKey("key-1")), verifier_(clock_) {
    verifier_.Update({.format = std::string(TokenFormatName(GetParam())),
                      .issuer = "travio",
                      .audience = "travio-api",
                      .keys = {{key_.kid, key_.public_key}}});
  }

  AccessClaims Claims() const {
    const absl::Time now = clock_.Now();
    return {.issuer = "travio",
            .subject = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234",
            .audience = "travio-api",
            .token_id = "jti-1",
            .session_id = "session-1",
            .issued_at = now,
            .not_before = now,
            .expires_at = now + absl::Minutes(15)};
  }

  std::string Sign(const AccessClaims& claims, const KeyPair& key) const {
    auto token = SignAccessToken(GetParam(), key.kid, key.secret, claims);
    EXPECT_OK(token);
    return token.value_or("");
  }

  void ExpectRefused(const std::string& token) const {
    auto claims = verifier_.Verify(token);
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated) << token;
  }

  ManualClock clock_;
  KeyPair key_;
  AccessTokenVerifier verifier_;
};

TEST_P(AccessTokenTest, RoundTripsEveryClaim) {
  const AccessClaims sent = Claims();
  auto received = verifier_.Verify(Sign(sent, key_));
  ASSERT_OK(received);
  EXPECT_EQ(received->subject, sent.subject);
  EXPECT_EQ(received->token_id, "jti-1");
  EXPECT_EQ(received->session_id, "session-1");
  EXPECT_EQ(received->expires_at, sent.expires_at);
  EXPECT_FALSE(received->guest());
}

TEST_P(AccessTokenTest, CarriesTheKidAndTheFormatsOwnInstants) {
  const std::string token = Sign(Claims(), key_);
  nlohmann::json claims;
  if (GetParam() == TokenFormat::kPaseto) {
    // api.md: v4.public, footer {"kid"}, instants as RFC 3339.
    ASSERT_EQ(token.rfind("v4.public.", 0), 0u);
    auto footer = crypto::UntrustedFooter(token);
    ASSERT_OK(footer);
    EXPECT_EQ(nlohmann::json::parse(*footer), nlohmann::json({{"kid", "key-1"}}));
    auto message = crypto::V4PublicVerify(key_.public_key, token);
    ASSERT_OK(message);
    claims = nlohmann::json::parse(message->payload);
    EXPECT_EQ(claims["exp"], "2026-01-01T00:15:00Z");
    EXPECT_EQ(claims["iat"], "2026-01-01T00:00:00Z");
  } else {
    // RFC 7519: NumericDate instants; the kid in the header.
    EXPECT_EQ(*crypto::JwtUntrustedKid(token), "key-1");
    auto payload = crypto::JwtVerifyEdDsa(key_.public_key, token, kJwtAccessTokenType);
    ASSERT_OK(payload);
    claims = nlohmann::json::parse(*payload);
    EXPECT_EQ(claims["exp"], 1'767'225'600 + 900);
  }
  EXPECT_EQ(claims["aud"], "travio-api");
  EXPECT_EQ(claims["sid"], "session-1");
}

TEST_P(AccessTokenTest, RefusesExpiredNotYetValidAndFutureIssuedTokens) {
  AccessClaims expired = Claims();
  expired.expires_at = clock_.Now() - absl::Minutes(1);
  ExpectRefused(Sign(expired, key_));

  AccessClaims early = Claims();
  early.not_before = clock_.Now() + absl::Minutes(5);
  ExpectRefused(Sign(early, key_));

  const std::string token = Sign(Claims(), key_);
  clock_.Advance(absl::Minutes(16));  // past exp plus the 30 s leeway
  ExpectRefused(token);
}

TEST_P(AccessTokenTest, RefusesWrongAudienceAndIssuer) {
  AccessClaims audience = Claims();
  audience.audience = "travio-admin";
  ExpectRefused(Sign(audience, key_));
  AccessClaims issuer = Claims();
  issuer.issuer = "someone-else";
  ExpectRefused(Sign(issuer, key_));
}

TEST_P(AccessTokenTest, RefusesAKeyFromElsewhereEvenUnderAKnownKid) {
  KeyPair impostor = NewKey("key-1");  // same kid, another key
  ExpectRefused(Sign(Claims(), impostor));
  KeyPair stranger = NewKey("key-9");
  auto claims = verifier_.Verify(Sign(Claims(), stranger));
  EXPECT_EQ(ReasonOf(claims.status()), "unknown_key");
}

TEST_P(AccessTokenTest, RefusesTamperedTokens) {
  std::string token = Sign(Claims(), key_);
  for (size_t position : {token.size() / 3, token.size() / 2, token.size() - 5}) {
    std::string tampered = token;
    tampered[position] = tampered[position] == 'A' ? 'B' : 'A';
    ExpectRefused(tampered);
  }
  ExpectRefused("");
  ExpectRefused("garbage");
  ExpectRefused(std::string(5000, 'a'));
}

TEST_P(AccessTokenTest, AcceptsOnlyTheConfiguredFormat) {
  const TokenFormat other =
      GetParam() == TokenFormat::kPaseto ? TokenFormat::kJwt : TokenFormat::kPaseto;
  auto token = SignAccessToken(other, key_.kid, key_.secret, Claims());
  ASSERT_OK(token);
  ExpectRefused(*token);
}

TEST_P(AccessTokenTest, KeepsVerifyingOldKeysAfterRotation) {
  const std::string old_token = Sign(Claims(), key_);
  KeyPair next = NewKey("key-2");
  verifier_.Update({.format = std::string(TokenFormatName(GetParam())),
                    .issuer = "travio",
                    .audience = "travio-api",
                    .keys = {{next.kid, next.public_key}, {key_.kid, key_.public_key}}});
  EXPECT_OK(verifier_.Verify(old_token));
  EXPECT_OK(verifier_.Verify(Sign(Claims(), next)));
}

TEST_P(AccessTokenTest, AVerifiedTokenIsRememberedUntilItExpiresOrTheKeysChange) {
  const std::string token = Sign(Claims(), key_);
  ASSERT_OK(verifier_.Verify(token));
  ASSERT_OK(verifier_.Verify(token));
  ASSERT_OK_AND_ASSIGN(AccessClaims again, verifier_.Verify(token));
  EXPECT_EQ(again.session_id, "session-1");
  EXPECT_EQ(verifier_.signature_checks(), 1u);  // the signature was checked once
  // Refusals are not remembered: a forged token is checked (and refused) every time.
  std::string forged = token;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  ExpectRefused(forged);
  ExpectRefused(forged);
  EXPECT_EQ(verifier_.signature_checks(), 3u);
  // A remembered token still expires.
  clock_.Advance(absl::Minutes(16));
  ExpectRefused(token);
}

TEST_P(AccessTokenTest, AnIssuedTokenIsRememberedWithoutItsSignatureBeingChecked) {
  const std::string token = Sign(Claims(), key_);
  verifier_.RememberIssued(token);
  ASSERT_OK_AND_ASSIGN(AccessClaims claims, verifier_.Verify(token));
  EXPECT_EQ(claims.subject, Claims().subject);
  EXPECT_EQ(claims.session_id, "session-1");
  EXPECT_EQ(verifier_.signature_checks(), 0u);
  // Remembered, it still expires.
  clock_.Advance(absl::Minutes(16));
  ExpectRefused(token);
}

TEST_P(AccessTokenTest, AnIssuedTokenTheSettingsRefuseIsNotRemembered) {
  // Each of these is checked on first use as if it had come from a client, and refused.
  KeyPair unpublished = NewKey("key-9");
  AccessClaims elsewhere = Claims();
  elsewhere.audience = "another-api";
  AccessClaims stranger = Claims();
  stranger.issuer = "someone";
  AccessClaims expired = Claims();
  expired.expires_at = clock_.Now() - absl::Minutes(5);
  AccessClaims early = Claims();
  early.not_before = clock_.Now() + absl::Hours(1);
  for (const std::string& token :
       {Sign(Claims(), unpublished), Sign(elsewhere, key_), Sign(stranger, key_),
        Sign(expired, key_), Sign(early, key_), std::string("v4.public.bogus"), std::string()}) {
    verifier_.RememberIssued(token);
    EXPECT_FALSE(verifier_.Verify(token).ok()) << token;
  }
  EXPECT_EQ(verifier_.signature_checks(), 4u);  // the published key's four; not the unknown kid
  // A key retired after issuance forgets what was remembered, as for verified tokens.
  const std::string token = Sign(Claims(), key_);
  verifier_.RememberIssued(token);
  KeyPair next = NewKey("key-2");
  verifier_.Update({.format = std::string(TokenFormatName(GetParam())),
                    .issuer = "travio",
                    .audience = "travio-api",
                    .keys = {{next.kid, next.public_key}}});
  EXPECT_EQ(ReasonOf(verifier_.Verify(token).status()), "unknown_key");
}

TEST_P(AccessTokenTest, IssuedTokensNeverPushOutTokensInUse) {
  // Tokens are cheap to ask for (guest, refresh): a bot asking for many must not empty the
  // cache of the travellers' tokens in use.
  AccessTokenVerifier small(clock_, absl::Seconds(30), /*cache_capacity=*/16);  // 1 per shard
  small.Update({.format = std::string(TokenFormatName(GetParam())),
                .issuer = "travio",
                .audience = "travio-api",
                .keys = {{key_.kid, key_.public_key}}});
  const std::string in_use = Sign(Claims(), key_);
  ASSERT_OK(small.Verify(in_use));
  for (int i = 0; i < 64; ++i) {
    AccessClaims claims = Claims();
    claims.token_id = "asked-" + std::to_string(i);
    small.RememberIssued(Sign(claims, key_));
  }
  ASSERT_OK(small.Verify(in_use));
  EXPECT_EQ(small.signature_checks(), 1u);
}

TEST_P(AccessTokenTest, ARetiredKeysTokensStopVerifyingAtOnceThoughRemembered) {
  const std::string token = Sign(Claims(), key_);
  ASSERT_OK(verifier_.Verify(token));
  KeyPair next = NewKey("key-2");
  verifier_.Update({.format = std::string(TokenFormatName(GetParam())),
                    .issuer = "travio",
                    .audience = "travio-api",
                    .keys = {{next.kid, next.public_key}}});
  auto claims = verifier_.Verify(token);
  EXPECT_EQ(ReasonOf(claims.status()), "unknown_key");
}

TEST_P(AccessTokenTest, KeysFetchedAgainUnchangedOrWithANewKeyKeepWhatVerified) {
  // The gateway fetches the keys every minute, and on any unknown kid (which anyone can send):
  // neither may make every client's token be checked again.
  const std::string token = Sign(Claims(), key_);
  ASSERT_OK(verifier_.Verify(token));
  const TokenSettings same{.format = std::string(TokenFormatName(GetParam())),
                           .issuer = "travio",
                           .audience = "travio-api",
                           .keys = {{key_.kid, key_.public_key}}};
  verifier_.Update(same);
  ASSERT_OK(verifier_.Verify(token));
  KeyPair next = NewKey("key-2");
  TokenSettings added = same;
  added.keys.push_back({next.kid, next.public_key});
  verifier_.Update(added);
  ASSERT_OK(verifier_.Verify(token));
  EXPECT_EQ(verifier_.signature_checks(), 1u);
  // A key replaced under the same kid is a change: checked again (and refused).
  KeyPair impostor = NewKey(key_.kid);
  verifier_.Update({.format = same.format,
                    .issuer = "travio",
                    .audience = "travio-api",
                    .keys = {{impostor.kid, impostor.public_key}}});
  ExpectRefused(token);
  EXPECT_EQ(verifier_.signature_checks(), 2u);
}

TEST_P(AccessTokenTest, TheCacheStaysWithinItsCapacity) {
  AccessTokenVerifier small(clock_, absl::Seconds(30), /*cache_capacity=*/32);
  small.Update({.format = std::string(TokenFormatName(GetParam())),
                .issuer = "travio",
                .audience = "travio-api",
                .keys = {{key_.kid, key_.public_key}}});
  std::vector<std::string> tokens;
  for (int i = 0; i < 200; ++i) {
    AccessClaims claims = Claims();
    claims.token_id = "jti-" + std::to_string(i);
    tokens.push_back(Sign(claims, key_));
    ASSERT_OK(small.Verify(tokens.back()));
  }
  // Every token still verifies; the oldest ones by their signature again.
  for (const std::string& token : tokens) ASSERT_OK(small.Verify(token));
  EXPECT_GT(small.signature_checks(), 200u);
}

INSTANTIATE_TEST_SUITE_P(Formats, AccessTokenTest,
                         ::testing::Values(TokenFormat::kPaseto, TokenFormat::kJwt),
                         [](const auto& info) { return std::string(TokenFormatName(info.param)); });

// RFC 8725 attacks on the JWT form: an unsigned token and one "signed" with HMAC keyed by the
// public key must never pass.
class JwtAttackTest : public ::testing::Test {
 protected:
  JwtAttackTest() : key_(NewKey("key-1")), verifier_(clock_) {
    verifier_.Update({.format = "jwt",
                      .issuer = "travio",
                      .audience = "travio-api",
                      .keys = {{key_.kid, key_.public_key}}});
  }
  static std::string B64(std::string_view text) {
    return absl::WebSafeBase64Escape(std::string(text));
  }
  std::string Claims() const {
    const int64_t now = absl::ToUnixSeconds(clock_.Now());
    return nlohmann::json{{"iss", "travio"}, {"sub", "u"}, {"aud", "travio-api"}, {"jti", "j"},
                          {"iat", now},      {"nbf", now}, {"exp", now + 900}}
        .dump();
  }
  ManualClock clock_;
  KeyPair key_;
  AccessTokenVerifier verifier_;
};

TEST_F(JwtAttackTest, AlgNoneIsRefused) {
  const std::string header = R"({"alg":"none","typ":"at+jwt","kid":"key-1"})";
  EXPECT_FALSE(verifier_.Verify(B64(header) + "." + B64(Claims()) + ".").ok());
}

TEST_F(JwtAttackTest, HmacKeyedWithThePublicKeyIsRefused) {
  const std::string signing_input =
      B64(R"({"alg":"HS256","typ":"at+jwt","kid":"key-1"})") + "." + B64(Claims());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state,
                              reinterpret_cast<const unsigned char*>(key_.public_key.data()),
                              key_.public_key.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  const std::string token =
      signing_input + "." + B64(std::string_view(reinterpret_cast<char*>(mac), sizeof mac));
  EXPECT_FALSE(verifier_.Verify(token).ok());
}

TEST_F(JwtAttackTest, AnotherTypIsRefused) {
  auto token = crypto::JwtSignEdDsa(key_.secret, key_.kid, "JWT", Claims());
  ASSERT_OK(token);
  EXPECT_FALSE(verifier_.Verify(*token).ok());
  auto good = crypto::JwtSignEdDsa(key_.secret, key_.kid, "at+jwt", Claims());
  ASSERT_OK(good);
  EXPECT_OK(verifier_.Verify(*good));
}

}  // namespace
}  // namespace travio::identity
