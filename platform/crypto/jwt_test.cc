#include "platform/crypto/jwt.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/testing/status_matchers.h"

namespace travio::crypto {
namespace {

constexpr std::string_view kTyp = "at+jwt";
constexpr std::string_view kKid = "k1";
constexpr std::string_view kClaims = R"({"sub":"user-1","exp":4102444800})";
constexpr std::string_view kGoodHeader = R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1"})";
constexpr size_t kMaxTokenBytes = 8 * 1024;

// RFC 8037 Appendix A.1/A.2 (Ed25519 key) and A.4 (the signed example).
constexpr std::string_view kRfcSeed = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr std::string_view kRfcPublicKey = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr std::string_view kRfcSigningInput =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr std::string_view kRfcSignature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

constexpr std::string_view kUrlSafeAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

std::string B64(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}

std::string FromB64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  EXPECT_EQ(sodium_base642bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &length,
                              nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  out.resize(length);
  return out;
}

struct KeyPair {
  std::string public_key;
  std::string secret_key;
};

// Deterministic keys, so the tokens below (Ed25519 signatures are deterministic) never change.
KeyPair KeyPairFromSeed(unsigned char fill) {
  std::string seed(crypto_sign_SEEDBYTES, static_cast<char>(fill));
  KeyPair keys{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
               std::string(crypto_sign_SECRETKEYBYTES, '\0')};
  crypto_sign_seed_keypair(Bytes(keys.public_key), Bytes(keys.secret_key), Bytes(seed));
  return keys;
}

std::string Ed25519Sign(std::string_view secret_key, std::string_view message) {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(message), message.size(),
                       Bytes(secret_key));
  return signature;
}

// A token with any header and payload, correctly signed, so that each negative test below is
// refused by the rule it is about and not by a broken signature.
std::string SignRaw(std::string_view secret_key, std::string_view header_json,
                    std::string_view payload) {
  const std::string input = B64(header_json) + "." + B64(payload);
  return input + "." + B64(Ed25519Sign(secret_key, input));
}

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts(1);
  for (const char c : token) {
    if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

std::string HeaderWith(std::string_view members) {
  return std::string(R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1",)") + std::string(members) + "}";
}

void ExpectRefused(const absl::StatusOr<std::string>& result) {
  ASSERT_FALSE(result.ok()) << *result;
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated) << result.status();
  EXPECT_EQ(result.status().message(), "invalid token");
}

class JwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

  absl::StatusOr<std::string> Verify(std::string_view token) {
    return JwtVerifyEdDsa(keys_.public_key, token, kTyp);
  }

  // Refused by verification with the right key, and its kid is not handed out either when the
  // header is unusable for picking a key.
  void ExpectVerifyRefused(std::string_view token) {
    SCOPED_TRACE(std::string(token));
    ExpectRefused(Verify(token));
  }

  KeyPair keys_ = KeyPairFromSeed(0x42);
  KeyPair other_keys_ = KeyPairFromSeed(0x17);
};

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

TEST_F(JwtTest, OnlyCanonicalUnpaddedBase64UrlIsAccepted) {
  const std::string token = *JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims);
  const auto parts = Split(token);

  // Padding, in each segment ("==" is how padded base64url writes the 64-byte signature).
  for (size_t i = 0; i < 3; ++i) {
    for (const char* padding : {"=", "=="}) {
      auto padded = parts;
      padded[i] += padding;
      ExpectVerifyRefused(Join(padded));
    }
  }
  // The standard alphabet: the same bytes a lenient decoder would accept.
  std::string standard;
  for (int n = 0; standard.empty() && n < 100; ++n) {
    const std::string candidate =
        *JwtSignEdDsa(keys_.secret_key, kKid, kTyp, R"({"n":)" + std::to_string(n) + "}");
    if (candidate.find_first_of("-_") == std::string::npos) continue;
    standard = candidate;
    for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
    ASSERT_OK(Verify(candidate));
  }
  ASSERT_FALSE(standard.empty());
  ExpectVerifyRefused(standard);

  // Whitespace anywhere.
  for (const std::string& spaced :
       {" " + token, token + " ", token + "\n", token.substr(0, 10) + " " + token.substr(10),
        token.substr(0, 10) + "\n" + token.substr(10),
        token.substr(0, 10) + "\t" + token.substr(10),
        Join({parts[0], parts[1], parts[2].substr(0, 40) + "\r\n" + parts[2].substr(40)})}) {
    ExpectVerifyRefused(spaced);
  }

  // Non-zero unused bits in the last character: the same 64 bytes to a lenient decoder.
  auto non_canonical = parts;
  const size_t last = kUrlSafeAlphabet.find(non_canonical[2].back());
  ASSERT_EQ(last & 0xF, 0u);
  non_canonical[2].back() = kUrlSafeAlphabet[last | 1];
  ExpectVerifyRefused(Join(non_canonical));

  // A length no encoding has, and characters outside any alphabet.
  auto too_long = parts;
  too_long[2] += "A";
  ExpectVerifyRefused(Join(too_long));
  for (const char* junk : {"*", "%2B", "\xC3\xA9"}) {
    auto bad = parts;
    bad[1] += junk;
    ExpectVerifyRefused(Join(bad));
  }
}

TEST_F(JwtTest, ExactlyThreeSegmentsAreAccepted) {
  const std::string token = *JwtSignEdDsa(keys_.secret_key, kKid, kTyp, kClaims);
  const auto parts = Split(token);
  const std::vector<std::string> shapes = {"",
                                           ".",
                                           "..",
                                           "...",
                                           parts[0],
                                           parts[0] + "." + parts[1],
                                           token + ".",
                                           "." + token,
                                           token + "." + parts[2],
                                           Join({parts[0], parts[1], "", parts[2]}),
                                           Join({parts[0], "", parts[2]})};
  for (const std::string& shape : shapes) {
    ExpectVerifyRefused(shape);
  }
  ExpectRefused(JwtUntrustedKid(parts[0] + "." + parts[1]));
  ExpectRefused(JwtUntrustedKid(token + "." + parts[2]));
}

TEST_F(JwtTest, CritHeaderIsRefused) {
  ExpectVerifyRefused(SignRaw(keys_.secret_key, HeaderWith(R"("crit":["exp"],"exp":1)"), kClaims));
  ExpectVerifyRefused(SignRaw(keys_.secret_key, HeaderWith(R"("crit":[])"), kClaims));
}

TEST_F(JwtTest, HeadersThatCarryOrPointToKeysAreRefused) {
  const std::string own_jwk =
      R"({"kty":"OKP","crv":"Ed25519","x":")" + B64(keys_.public_key) + R"("})";
  // Refused even when signed with the right key and naming the right key.
  for (const std::string& member :
       {R"("jwk":)" + own_jwk, std::string(R"("jku":"https://evil.example/jwks.json")"),
        std::string(R"("x5u":"https://evil.example/cert.pem")"),
        std::string(R"("x5c":["MIIBszCCAVmgAwIBAgIUAA=="])"), std::string(R"("b64":false)"),
        std::string(R"("b64":true)")}) {
    ExpectVerifyRefused(SignRaw(keys_.secret_key, HeaderWith(member), kClaims));
  }
  // The attack itself: the attacker's key embedded and used to sign.
  const std::string attacker_jwk =
      R"({"kty":"OKP","crv":"Ed25519","x":")" + B64(other_keys_.public_key) + R"("})";
  ExpectVerifyRefused(
      SignRaw(other_keys_.secret_key, HeaderWith(R"("jwk":)" + attacker_jwk), kClaims));
}

TEST_F(JwtTest, UnsafeKidIsRefusedEverywhere) {
  const std::vector<std::string> kids = {"../k1",
                                         "..",
                                         "k1/..",
                                         "k..1",
                                         "a/b",
                                         "/etc/passwd",
                                         "a\\b",
                                         "",
                                         " k1",
                                         "k 1",
                                         "k1\n",
                                         "k\x7f",
                                         "k\xC3\xA9",
                                         std::string(129, 'a'),
                                         std::string("k\0", 2)};
  for (const std::string& kid : kids) {
    SCOPED_TRACE(kid);
    const std::string header =
        R"({"alg":"EdDSA","typ":"at+jwt","kid":)" + nlohmann::json(kid).dump() + "}";
    const std::string token = SignRaw(keys_.secret_key, header, kClaims);
    ExpectRefused(JwtUntrustedKid(token));
    ExpectVerifyRefused(token);
    EXPECT_EQ(JwtSignEdDsa(keys_.secret_key, kid, kTyp, kClaims).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  for (const std::string& kid_json : {std::string("1"), std::string("null"),
                                      std::string(R"(["k1"])"), std::string(R"({"k":"k1"})")}) {
    const std::string token = SignRaw(
        keys_.secret_key, R"({"alg":"EdDSA","typ":"at+jwt","kid":)" + kid_json + "}", kClaims);
    ExpectRefused(JwtUntrustedKid(token));
    ExpectVerifyRefused(token);
  }
  const std::string no_kid =
      SignRaw(keys_.secret_key, R"({"alg":"EdDSA","typ":"at+jwt"})", kClaims);
  ExpectRefused(JwtUntrustedKid(no_kid));
  ExpectVerifyRefused(no_kid);
}

TEST_F(JwtTest, SafeKidsAreAccepted) {
  for (const std::string& kid : {std::string("2024-06_access.v2"), std::string(128, 'a'),
                                 std::string("k.1:~!\"#$%&'()*+,;<=>?@[]^`{|}")}) {
    SCOPED_TRACE(kid);
    auto token = JwtSignEdDsa(keys_.secret_key, kid, kTyp, kClaims);
    ASSERT_OK(token);
    EXPECT_EQ(*JwtUntrustedKid(*token), kid);
    EXPECT_OK(Verify(*token));
  }
}

TEST_F(JwtTest, UntrustedKidDoesNotVerify) {
  auto token = JwtSignEdDsa(other_keys_.secret_key, "someone-else", "JWT", "{}");
  ASSERT_OK(token);
  EXPECT_EQ(*JwtUntrustedKid(*token), "someone-else");
  ExpectVerifyRefused(*token);
}

TEST_F(JwtTest, OversizedTokenIsRefusedAndNeverSigned) {
  // Grow the claims until signing refuses: the last token signed must fit and verify, and the
  // same token one byte of claims larger is refused by verification.
  std::string last_signed;
  std::string pad(5900, 'x');
  for (;; pad.push_back('x')) {
    const std::string claims = R"({"pad":")" + pad + R"("})";
    auto token = JwtSignEdDsa(keys_.secret_key, kKid, kTyp, claims);
    if (!token.ok()) {
      EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument) << token.status();
      const std::string oversized = SignRaw(keys_.secret_key, kGoodHeader, claims);
      EXPECT_GT(oversized.size(), kMaxTokenBytes);
      ExpectVerifyRefused(oversized);
      ExpectRefused(JwtUntrustedKid(oversized));
      break;
    }
    ASSERT_LE(token->size(), kMaxTokenBytes);
    last_signed = *token;
  }
  ASSERT_FALSE(last_signed.empty());
  EXPECT_GT(last_signed.size(), kMaxTokenBytes - 4);
  EXPECT_OK(Verify(last_signed));

  ExpectVerifyRefused(SignRaw(keys_.secret_key, kGoodHeader,
                              R"({"pad":")" + std::string(64 * 1024, 'x') + R"("})"));
}

TEST_F(JwtTest, NonObjectPayloadIsRefused) {
  for (const std::string& payload :
       {std::string("[]"), std::string(R"(["sub"])"), std::string(R"("claims")"), std::string("42"),
        std::string("null"), std::string("true"), std::string(), std::string("not json"),
        std::string("{"), std::string("{} {}"), std::string(R"({"sub":"a"} x)"),
        std::string("Example of Ed25519 signing"), std::string("{\"sub\":\"\xFF\"}")}) {
    SCOPED_TRACE(payload);
    ExpectVerifyRefused(SignRaw(keys_.secret_key, kGoodHeader, payload));
    EXPECT_EQ(JwtSignEdDsa(keys_.secret_key, kKid, kTyp, payload).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(JwtTest, NonObjectHeaderIsRefused) {
  for (const std::string& header :
       {std::string("[]"), std::string(R"(["EdDSA"])"), std::string(R"("EdDSA")"),
        std::string("null"), std::string(), std::string("{"), std::string(kGoodHeader) + " {}"}) {
    SCOPED_TRACE(header);
    const std::string token = SignRaw(keys_.secret_key, header, kClaims);
    ExpectVerifyRefused(token);
    ExpectRefused(JwtUntrustedKid(token));
  }
}

TEST_F(JwtTest, DuplicateMemberNamesAreRefused) {
  for (const std::string& header :
       {std::string(R"({"alg":"none","alg":"EdDSA","typ":"at+jwt","kid":"k1"})"),
        std::string(R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1","kid":"k2"})")}) {
    const std::string token = SignRaw(keys_.secret_key, header, kClaims);
    ExpectVerifyRefused(token);
    ExpectRefused(JwtUntrustedKid(token));
  }
  for (const std::string& claims :
       {std::string(R"({"sub":"user-1","sub":"admin"})"), std::string(R"({"a":{"x":1,"x":2}})")}) {
    ExpectVerifyRefused(SignRaw(keys_.secret_key, kGoodHeader, claims));
    EXPECT_EQ(JwtSignEdDsa(keys_.secret_key, kKid, kTyp, claims).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  // The same name in different objects is no duplicate.
  const std::string nested = R"({"a":{"x":1},"b":{"x":2,"a":[{"x":3}]},"x":4})";
  auto verified = Verify(SignRaw(keys_.secret_key, kGoodHeader, nested));
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, nested);
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
