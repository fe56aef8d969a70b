#include "platform/crypto/paseto.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "platform/testing/status_matchers.h"

namespace travio::crypto {
namespace {

std::string FromHex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  size_t length = 0;
  EXPECT_EQ(sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                           hex.size(), nullptr, &length, nullptr),
            0);
  out.resize(length);
  return out;
}

nlohmann::json OfficialVectors() {
  // The official PASETO v4 vectors, unchanged (testdata/paseto/README.md says where from).
  std::ifstream in(std::string(TRAVIO_SOURCE_DIR) + "/testdata/paseto/v4.json");
  return nlohmann::json::parse(in);
}

std::string Field(const nlohmann::json& vector, const char* name) {
  return vector.contains(name) && vector[name].is_string() ? vector[name].get<std::string>() : "";
}

// Opens a token the way the vector's key material says it should be opened.
absl::StatusOr<PasetoMessage> Open(const nlohmann::json& vector) {
  const std::string token = Field(vector, "token");
  const std::string assertion = Field(vector, "implicit-assertion");
  if (vector.contains("public-key")) {
    return V4PublicVerify(FromHex(Field(vector, "public-key")), token, assertion);
  }
  return V4LocalDecrypt(FromHex(Field(vector, "key")), token, assertion);
}

TEST(PasetoVectors, EveryOfficialVectorPassesOrFailsAsSpecified) {
  const nlohmann::json vectors = OfficialVectors();
  ASSERT_EQ(vectors["tests"].size(), 17u);
  for (const auto& vector : vectors["tests"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    auto opened = Open(vector);
    if (vector["expect-fail"].get<bool>()) {
      EXPECT_EQ(opened.status().code(), absl::StatusCode::kUnauthenticated);
      continue;
    }
    ASSERT_OK(opened);
    EXPECT_EQ(opened->payload, Field(vector, "payload"));
    EXPECT_EQ(opened->footer, Field(vector, "footer"));

    // Producing the token from the same inputs gives the same bytes.
    absl::StatusOr<std::string> made;
    if (vector.contains("public-key")) {
      made = V4PublicSign(FromHex(Field(vector, "secret-key")), Field(vector, "payload"),
                          Field(vector, "footer"), Field(vector, "implicit-assertion"));
    } else {
      made = V4LocalEncrypt(FromHex(Field(vector, "key")), Field(vector, "payload"),
                            Field(vector, "footer"), Field(vector, "implicit-assertion"),
                            FromHex(Field(vector, "nonce")));
    }
    ASSERT_OK(made);
    EXPECT_EQ(*made, Field(vector, "token"));
  }
}

class PasetoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key_.data()),
                        reinterpret_cast<unsigned char*>(secret_key_.data()));
    randombytes_buf(local_key_.data(), local_key_.size());
  }
  std::string public_key_ = std::string(32, '\0');
  std::string secret_key_ = std::string(64, '\0');
  std::string local_key_ = std::string(32, '\0');
};

TEST_F(PasetoTest, TamperedTokensAreRefused) {
  auto token = V4PublicSign(secret_key_, R"({"sub":"u1"})", R"({"kid":"k1"})");
  ASSERT_OK(token);
  ASSERT_OK(V4PublicVerify(public_key_, *token));
  for (size_t i = std::string("v4.public.").size(); i < token->size(); i += 7) {
    std::string tampered = *token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    if (tampered == *token) continue;
    EXPECT_FALSE(V4PublicVerify(public_key_, tampered).ok()) << i;
  }
  EXPECT_FALSE(V4PublicVerify(public_key_, *token, "other assertion").ok());
  EXPECT_FALSE(V4PublicVerify(public_key_, token->substr(0, token->rfind('.'))).ok());
  EXPECT_FALSE(V4PublicVerify(public_key_, *token + "=").ok());

  std::string other_public(32, '\0'), other_secret(64, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(other_public.data()),
                      reinterpret_cast<unsigned char*>(other_secret.data()));
  EXPECT_FALSE(V4PublicVerify(other_public, *token).ok());
}

TEST_F(PasetoTest, LocalTokensRoundTripWithFreshNoncesAndRefuseOtherKeys) {
  auto first = V4LocalEncrypt(local_key_, "refresh:abc", "f");
  auto second = V4LocalEncrypt(local_key_, "refresh:abc", "f");
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_NE(*first, *second);
  auto opened = V4LocalDecrypt(local_key_, *first);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->payload, "refresh:abc");
  EXPECT_EQ(opened->footer, "f");
  std::string other_key = local_key_;
  other_key[0] ^= 1;
  EXPECT_FALSE(V4LocalDecrypt(other_key, *first).ok());
  // A local token is never accepted as a public one, nor the reverse.
  EXPECT_FALSE(V4PublicVerify(public_key_, *first).ok());
  auto signed_token = V4PublicSign(secret_key_, "x");
  EXPECT_FALSE(V4LocalDecrypt(local_key_, *signed_token).ok());
}

TEST_F(PasetoTest, FooterIsReadableBeforeVerificationToChooseTheKey) {
  auto token = V4PublicSign(secret_key_, "{}", R"({"kid":"2026-11"})");
  EXPECT_EQ(*UntrustedFooter(*token), R"({"kid":"2026-11"})");
  EXPECT_EQ(*UntrustedFooter(*V4PublicSign(secret_key_, "{}")), "");
  EXPECT_FALSE(UntrustedFooter("garbage").ok());
}

TEST_F(PasetoTest, APublicTokensPayloadIsReadableUnverifiedFromItsSigner) {
  auto token = V4PublicSign(secret_key_, R"({"sub":"x"})", R"({"kid":"k"})");
  ASSERT_OK(token);
  EXPECT_EQ(*UntrustedPublicPayload(*token), R"({"sub":"x"})");
  // Only the shape is checked: a local token, a truncated body or garbage are not read.
  auto local = V4LocalEncrypt(local_key_, "{}");
  EXPECT_FALSE(UntrustedPublicPayload(*local).ok());
  EXPECT_FALSE(UntrustedPublicPayload("v4.public.AAAA").ok());
  EXPECT_FALSE(UntrustedPublicPayload("garbage").ok());
}

struct NamedKey {
  std::string kid;
  std::string public_key;
};

TEST_F(PasetoTest, ARingVerifiesWithTheKeyTheFooterNamesAndOnlyThatOne) {
  std::string other_public(32, '\0'), other_secret(64, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(other_public.data()),
                      reinterpret_cast<unsigned char*>(other_secret.data()));
  const std::vector<NamedKey> ring = {{"old", other_public}, {"new", public_key_}};

  auto token = V4PublicSignWithKid(secret_key_, "new", R"({"sub":"u1"})", "purpose");
  ASSERT_OK(token);
  EXPECT_EQ(*UntrustedKid(*token), "new");
  auto message = V4PublicVerifyWithKid(*token, ring, "purpose");
  ASSERT_OK(message);
  EXPECT_EQ(message->payload, R"({"sub":"u1"})");
  EXPECT_FALSE(V4PublicVerifyWithKid(*token, ring, "another purpose").ok());

  // Signed by the new key but naming the old one, or a key the ring does not hold.
  EXPECT_FALSE(V4PublicVerifyWithKid(*V4PublicSignWithKid(secret_key_, "old", "{}"), ring).ok());
  EXPECT_FALSE(V4PublicVerifyWithKid(*V4PublicSignWithKid(secret_key_, "gone", "{}"), ring).ok());
}

TEST_F(PasetoTest, AFooterNamesItsKeyAndNothingElse) {
  auto kid_of = [&](std::string_view footer) {
    return UntrustedKid(*V4PublicSign(secret_key_, "{}", footer));
  };
  EXPECT_EQ(*kid_of(R"({"kid":"2026-11"})"), "2026-11");
  EXPECT_FALSE(kid_of("").ok());
  EXPECT_FALSE(kid_of("not json").ok());
  EXPECT_FALSE(kid_of(R"({"kid":""})").ok());
  EXPECT_FALSE(kid_of(R"({"kid":7})").ok());
  EXPECT_FALSE(kid_of(R"({"kid":"a","wpk":"b"})").ok());
  EXPECT_FALSE(kid_of(R"(["kid"])").ok());
  EXPECT_FALSE(kid_of(R"({"kid":")" + std::string(129, 'k') + R"("})").ok());
  EXPECT_TRUE(kid_of(R"({"kid":")" + std::string(128, 'k') + R"("})").ok());
  EXPECT_FALSE(UntrustedKid("garbage").ok());
}

TEST_F(PasetoTest, SigningRefusesAKeyIdItsVerifiersWouldRefuse) {
  EXPECT_EQ(V4PublicSignWithKid(secret_key_, "", "{}").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(V4PublicSignWithKid(secret_key_, std::string(129, 'k'), "{}").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_OK(V4PublicSignWithKid(secret_key_, std::string(128, 'k'), "{}"));
}

TEST_F(PasetoTest, RejectsWrongKeySizes) {
  EXPECT_EQ(V4LocalEncrypt("short", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(V4PublicSign("short", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(V4PublicVerify("short", "v4.public.x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PreAuthEncode, MatchesTheSpecificationExamples) {
  // From the PASETO specification, Common.md.
  EXPECT_EQ(PreAuthEncode({}), std::string("\x00\x00\x00\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(PreAuthEncode({""}), std::string("\x01\x00\x00\x00\x00\x00\x00\x00"
                                             "\x00\x00\x00\x00\x00\x00\x00\x00",
                                             16));
  EXPECT_EQ(PreAuthEncode({"test"}), std::string("\x01\x00\x00\x00\x00\x00\x00\x00"
                                                 "\x04\x00\x00\x00\x00\x00\x00\x00test",
                                                 20));
}

}  // namespace
}  // namespace travio::crypto
