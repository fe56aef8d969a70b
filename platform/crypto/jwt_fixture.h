#pragma once

// What the JWT suites share: deterministic Ed25519 keys, a signer of hand-built tokens and the
// fixture that verifies with the right key.

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/crypto/jwt.h"

namespace travio::crypto {

inline constexpr std::string_view kTyp = "at+jwt";
inline constexpr std::string_view kKid = "k1";
inline constexpr std::string_view kClaims = R"({"sub":"user-1","exp":4102444800})";
inline constexpr std::string_view kGoodHeader = R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1"})";

inline const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

inline unsigned char* Bytes(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}

inline std::string B64(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}

inline std::string FromB64(std::string_view text) {
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
inline KeyPair KeyPairFromSeed(unsigned char fill) {
  std::string seed(crypto_sign_SEEDBYTES, static_cast<char>(fill));
  KeyPair keys{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
               std::string(crypto_sign_SECRETKEYBYTES, '\0')};
  crypto_sign_seed_keypair(Bytes(keys.public_key), Bytes(keys.secret_key), Bytes(seed));
  return keys;
}

inline std::string Ed25519Sign(std::string_view secret_key, std::string_view message) {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(message), message.size(),
                       Bytes(secret_key));
  return signature;
}

// A token with any header and payload, correctly signed, so that each negative test below is
// refused by the rule it is about and not by a broken signature.
inline std::string SignRaw(std::string_view secret_key, std::string_view header_json,
                           std::string_view payload) {
  const std::string input = B64(header_json) + "." + B64(payload);
  return input + "." + B64(Ed25519Sign(secret_key, input));
}

inline std::vector<std::string> Split(const std::string& token) {
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

inline std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

inline std::string HeaderWith(std::string_view members) {
  return std::string(R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1",)") + std::string(members) + "}";
}

inline void ExpectRefused(const absl::StatusOr<std::string>& result) {
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

}  // namespace travio::crypto
