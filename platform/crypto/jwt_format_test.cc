// What JwtVerifyEdDsa refuses in a token's format, however well signed: non-canonical base64url,
// segments, header members that carry keys, unsafe kids, oversized tokens, JSON that is not one
// object or repeats a member.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/crypto/jwt.h"
#include "platform/crypto/jwt_fixture.h"
#include "platform/testing/status_matchers.h"

namespace travio::crypto {
namespace {

constexpr size_t kMaxTokenBytes = 8 * 1024;

constexpr std::string_view kUrlSafeAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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

}  // namespace
}  // namespace travio::crypto
