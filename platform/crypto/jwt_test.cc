// Ed25519 JWTs signed and verified: the RFC 8037 example, the algorithm and typ a token must
// name, and signatures that do not match. The token's format is in jwt_format_test.cc.
#include "platform/crypto/jwt.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "platform/crypto/jwt_fixture.h"
#include "platform/testing/status_matchers.h"

namespace travio::crypto {
namespace {

// RFC 8037 Appendix A.1/A.2 (Ed25519 key) and A.4 (the signed example).
constexpr std::string_view kRfcSeed = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr std::string_view kRfcPublicKey = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr std::string_view kRfcSigningInput =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr std::string_view kRfcSignature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

TEST_F(JwtTest, RoundTripReturnsTheClaimsExactlyAsSigned) {
  const std::string claims = " {\"sub\": \"user-1\",  \"aud\": [\"travio\"], \"exp\": 4102444800} ";
  auto token = JwtSignEdDsa(keys_.secret_key, kKid, kTyp, claims);
  ASSERT_OK(token);
  auto kid = JwtUntrustedKid(*token);
  ASSERT_OK(kid);
  EXPECT_EQ(*kid, kKid);
  auto verified = Verify(*token);
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, claims);
}

TEST_F(JwtTest, TheClaimsAreReadableUnverifiedFromTheSigner) {
  auto token = JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims);
  ASSERT_OK(token);
  EXPECT_EQ(*JwtUntrustedClaims(*token), kClaims);
  EXPECT_FALSE(JwtUntrustedClaims("a.b").ok());
  EXPECT_FALSE(JwtUntrustedClaims("garbage").ok());
}

TEST_F(JwtTest, HeaderIsAlgTypKidInThatOrder) {
  auto token = JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims);
  ASSERT_OK(token);
  const auto parts = Split(*token);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(FromB64(parts[0]), kGoodHeader);
  EXPECT_EQ(FromB64(parts[1]), kClaims);
  EXPECT_EQ(FromB64(parts[2]).size(), 64u);
}

TEST_F(JwtTest, HandBuiltTokenWithTheGoodHeaderVerifies) {
  // The helper the negative tests rely on makes tokens the verifier accepts.
  const std::string token = SignRaw(keys_.secret_key, kGoodHeader, kClaims);
  EXPECT_EQ(token, *JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims));
  auto verified = Verify(token);
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, kClaims);
}

TEST_F(JwtTest, Rfc8037AppendixA4SignatureChecksButTheTokenLacksTyp) {
  const std::string seed = FromB64(kRfcSeed);
  const std::string public_key = FromB64(kRfcPublicKey);
  ASSERT_EQ(seed.size(), crypto_sign_SEEDBYTES);
  ASSERT_EQ(public_key.size(), crypto_sign_PUBLICKEYBYTES);
  std::string derived_public(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(Bytes(derived_public), Bytes(secret_key), Bytes(seed));
  EXPECT_EQ(derived_public, public_key);

  const std::string signature = FromB64(kRfcSignature);
  ASSERT_EQ(signature.size(), crypto_sign_BYTES);
  EXPECT_EQ(crypto_sign_verify_detached(Bytes(signature), Bytes(kRfcSigningInput),
                                        kRfcSigningInput.size(), Bytes(public_key)),
            0);
  EXPECT_EQ(B64(Ed25519Sign(secret_key, kRfcSigningInput)), kRfcSignature);
  EXPECT_EQ(FromB64(kRfcSigningInput.substr(0, kRfcSigningInput.find('.'))), R"({"alg":"EdDSA"})");

  // A valid signature does not make the token acceptable: it has no typ (nor kid).
  const std::string token = std::string(kRfcSigningInput) + "." + std::string(kRfcSignature);
  ExpectRefused(JwtVerifyEdDsa(public_key, token, kTyp));
  ExpectRefused(JwtUntrustedKid(token));

  // The same key with our header works through the public API.
  auto ours = JwtSignEdDsa(secret_key, "rfc8037", kTyp, kClaims);
  ASSERT_OK(ours);
  auto verified = JwtVerifyEdDsa(public_key, *ours, kTyp);
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, kClaims);
}

TEST_F(JwtTest, AlgNoneIsRefused) {
  const std::string header = R"({"alg":"none","typ":"at+jwt","kid":"k1"})";
  ExpectVerifyRefused(B64(header) + "." + B64(kClaims) + ".");
  // Not even with a genuine Ed25519 signature behind it.
  ExpectVerifyRefused(SignRaw(keys_.secret_key, header, kClaims));
}

TEST_F(JwtTest, AlgConfusionHs256KeyedWithThePublicKeyIsRefused) {
  const std::string input =
      B64(R"({"alg":"HS256","typ":"at+jwt","kid":"k1"})") + "." + B64(kClaims);
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(keys_.public_key), keys_.public_key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(input), input.size());
  crypto_auth_hmacsha256_final(&state, Bytes(mac));
  ExpectVerifyRefused(input + "." + B64(mac));
}

TEST_F(JwtTest, OnlyTheStringEdDsaIsAnAcceptedAlg) {
  const std::vector<std::string> algs = {R"("HS256")",
                                         R"("RS256")",
                                         R"("ES256")",
                                         R"("PS256")",
                                         R"("none")",
                                         R"("None")",
                                         R"("EdDSA ")",
                                         R"(" EdDSA")",
                                         R"("eddsa")",
                                         R"("EDDSA")",
                                         R"("EdDSA\u0000")",
                                         R"("")",
                                         R"(["EdDSA"])",
                                         R"({"EdDSA":1})",
                                         "null",
                                         "true",
                                         "1"};
  for (const std::string& alg : algs) {
    ExpectVerifyRefused(
        SignRaw(keys_.secret_key, R"({"alg":)" + alg + R"(,"typ":"at+jwt","kid":"k1"})", kClaims));
  }
  ExpectVerifyRefused(SignRaw(keys_.secret_key, R"({"typ":"at+jwt","kid":"k1"})", kClaims));
}

TEST_F(JwtTest, WrongTypIsRefused) {
  const std::vector<std::string> typs = {R"("JWT")",
                                         R"("AT+JWT")",
                                         R"("application/at+jwt")",
                                         R"("at+jwt ")",
                                         R"("")",
                                         R"(["at+jwt"])",
                                         "null",
                                         "1"};
  for (const std::string& typ : typs) {
    ExpectVerifyRefused(
        SignRaw(keys_.secret_key, R"({"alg":"EdDSA","typ":)" + typ + R"(,"kid":"k1"})", kClaims));
  }
  // A token of another kind signed by the same key through the public API.
  auto id_token = JwtSignEdDsa(keys_.secret_key, kKid, "JWT", kClaims);
  ASSERT_OK(id_token);
  ExpectVerifyRefused(*id_token);
}

TEST_F(JwtTest, MissingTypIsRefused) {
  ExpectVerifyRefused(SignRaw(keys_.secret_key, R"({"alg":"EdDSA","kid":"k1"})", kClaims));
}

TEST_F(JwtTest, TamperedPayloadIsRefused) {
  auto parts = Split(*JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims));
  auto swapped = parts;
  swapped[1] = B64(R"({"sub":"admin","exp":4102444800})");
  ExpectVerifyRefused(Join(swapped));
  auto flipped = parts;
  flipped[1][3] = flipped[1][3] == 'A' ? 'B' : 'A';
  ExpectVerifyRefused(Join(flipped));
}

TEST_F(JwtTest, TamperedHeaderIsRefused) {
  auto parts = Split(*JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims));
  parts[0] = B64(R"({"alg":"EdDSA","typ":"at+jwt","kid":"k2"})");
  ExpectVerifyRefused(Join(parts));
}

TEST_F(JwtTest, TamperedSignatureIsRefused) {
  auto parts = Split(*JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims));
  parts[2][0] = parts[2][0] == 'A' ? 'B' : 'A';
  ExpectVerifyRefused(Join(parts));
  // A signature of the right size but of other bytes: a signature over other input.
  parts[2] = B64(Ed25519Sign(keys_.secret_key, "something else"));
  ExpectVerifyRefused(Join(parts));
}

TEST_F(JwtTest, WrongKeyIsRefused) {
  auto token = JwtSignEdDsa(other_keys_.secret_key, kKid, kTyp, kClaims);
  ASSERT_OK(token);
  ExpectVerifyRefused(*token);
  EXPECT_OK(JwtVerifyEdDsa(other_keys_.public_key, *token, kTyp));
}

TEST_F(JwtTest, SignatureOfTheWrongSizeIsRefused) {
  auto parts = Split(*JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims));
  const std::string signature = FromB64(parts[2]);
  for (const std::string& wrong :
       {std::string(), signature.substr(0, 63), signature + '\0', signature + signature}) {
    parts[2] = B64(wrong);
    ExpectVerifyRefused(Join(parts));
  }
}

TEST_F(JwtTest, CallerMistakesAreInvalidArguments) {
  const std::string token = *JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims);
  EXPECT_EQ(JwtVerifyEdDsa(keys_.secret_key, token, kTyp).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwtVerifyEdDsa("", token, kTyp).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwtVerifyEdDsa(keys_.public_key, token, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwtSignEdDsa(keys_.public_key, kKid, kTyp, kClaims).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwtSignEdDsa(keys_.secret_key, kKid, "", kClaims).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwtSignEdDsa(keys_.secret_key, kKid, "at jwt", kClaims).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::crypto
