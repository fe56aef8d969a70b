#include "platform/crypto/paseto.h"

#include <sodium.h>

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

#include "platform/crypto/encoding.h"
#include "platform/crypto/sodium_support.h"

namespace travio::crypto {
namespace {

using internal::Bytes;
using internal::EnsureSodium;
using internal::InvalidToken;
using internal::kSignatureBytes;

constexpr std::string_view kLocalHeader = "v4.local.";
constexpr std::string_view kPublicHeader = "v4.public.";
constexpr size_t kNonceBytes = 32;
constexpr size_t kMacBytes = 32;
constexpr size_t kPasetoMaxKidBytes = 128;

// Strict base64url (see encoding.h); a token that is not is refused like any bad token.
absl::StatusOr<std::string> DecodeSegment(std::string_view text) {
  auto decoded = Base64UrlDecode(text);
  if (!decoded) return InvalidToken();
  return *std::move(decoded);
}

void AppendLittleEndian64(std::string& out, uint64_t value) {
  value &= 0x7FFF'FFFF'FFFF'FFFFULL;  // the spec clears the top bit
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::string Blake2b(size_t size, std::string_view message, std::string_view key) {
  std::string out(size, '\0');
  crypto_generichash(Bytes(out), size, Bytes(message), message.size(), Bytes(key), key.size());
  return out;
}

// Splits a token into its body (decoded) and footer (decoded), after checking the header.
absl::StatusOr<std::pair<std::string, std::string>> Split(std::string_view token,
                                                          std::string_view header) {
  if (token.substr(0, header.size()) != header) return InvalidToken();
  std::string_view rest = token.substr(header.size());
  std::string_view footer_text;
  if (const size_t dot = rest.find('.'); dot != std::string_view::npos) {
    footer_text = rest.substr(dot + 1);
    rest = rest.substr(0, dot);
    if (footer_text.empty() || footer_text.find('.') != std::string_view::npos)
      return InvalidToken();
  }
  auto body = DecodeSegment(rest);
  if (!body.ok()) return body.status();
  auto footer = DecodeSegment(footer_text);
  if (!footer.ok()) return footer.status();
  return std::make_pair(*std::move(body), *std::move(footer));
}

std::string Assemble(std::string_view header, std::string_view body, std::string_view footer) {
  std::string token(header);
  token += Base64UrlEncode(body);
  if (!footer.empty()) {
    token.push_back('.');
    token += Base64UrlEncode(footer);
  }
  return token;
}

}  // namespace

std::string PreAuthEncode(std::initializer_list<std::string_view> pieces) {
  std::string out;
  AppendLittleEndian64(out, pieces.size());
  for (std::string_view piece : pieces) {
    AppendLittleEndian64(out, piece.size());
    out.append(piece);
  }
  return out;
}

absl::StatusOr<std::string> V4LocalEncrypt(std::string_view key, std::string_view payload,
                                           std::string_view footer,
                                           std::string_view implicit_assertion,
                                           std::string_view nonce) {
  if (!EnsureSodium()) return absl::InternalError("libsodium failed to initialise");
  if (key.size() != 32) return absl::InvalidArgumentError("v4.local keys are 32 bytes");
  std::string n(kNonceBytes, '\0');
  if (nonce.empty()) {
    randombytes_buf(n.data(), n.size());
  } else if (nonce.size() == kNonceBytes) {
    n.assign(nonce);
  } else {
    return absl::InvalidArgumentError("v4.local nonces are 32 bytes");
  }
  const std::string split = Blake2b(56, std::string("paseto-encryption-key") + n, key);
  const std::string encryption_key = split.substr(0, 32);
  const std::string counter_nonce = split.substr(32, 24);
  const std::string auth_key = Blake2b(32, std::string("paseto-auth-key-for-aead") + n, key);

  std::string ciphertext(payload.size(), '\0');
  crypto_stream_xchacha20_xor(Bytes(ciphertext), Bytes(payload), payload.size(),
                              Bytes(counter_nonce), Bytes(encryption_key));
  const std::string mac =
      Blake2b(kMacBytes, PreAuthEncode({kLocalHeader, n, ciphertext, footer, implicit_assertion}),
              auth_key);
  return Assemble(kLocalHeader, n + ciphertext + mac, footer);
}

absl::StatusOr<PasetoMessage> V4LocalDecrypt(std::string_view key, std::string_view token,
                                             std::string_view implicit_assertion) {
  if (!EnsureSodium()) return absl::InternalError("libsodium failed to initialise");
  if (key.size() != 32) return absl::InvalidArgumentError("v4.local keys are 32 bytes");
  auto parts = Split(token, kLocalHeader);
  if (!parts.ok()) return parts.status();
  const std::string& body = parts->first;
  if (body.size() < kNonceBytes + kMacBytes) return InvalidToken();
  const std::string n = body.substr(0, kNonceBytes);
  const std::string ciphertext = body.substr(kNonceBytes, body.size() - kNonceBytes - kMacBytes);
  const std::string mac = body.substr(body.size() - kMacBytes);

  const std::string split = Blake2b(56, std::string("paseto-encryption-key") + n, key);
  const std::string auth_key = Blake2b(32, std::string("paseto-auth-key-for-aead") + n, key);
  const std::string expected = Blake2b(
      kMacBytes, PreAuthEncode({kLocalHeader, n, ciphertext, parts->second, implicit_assertion}),
      auth_key);
  if (sodium_memcmp(expected.data(), mac.data(), kMacBytes) != 0) return InvalidToken();

  std::string plaintext(ciphertext.size(), '\0');
  crypto_stream_xchacha20_xor(Bytes(plaintext), Bytes(ciphertext), ciphertext.size(),
                              Bytes(std::string_view(split).substr(32, 24)),
                              Bytes(std::string_view(split).substr(0, 32)));
  return PasetoMessage{std::move(plaintext), parts->second};
}

absl::StatusOr<std::string> V4PublicSign(std::string_view secret_key, std::string_view payload,
                                         std::string_view footer,
                                         std::string_view implicit_assertion) {
  if (!EnsureSodium()) return absl::InternalError("libsodium failed to initialise");
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return absl::InvalidArgumentError("v4.public secret keys are 64 bytes (seed and public key)");
  }
  const std::string signed_bytes =
      PreAuthEncode({kPublicHeader, payload, footer, implicit_assertion});
  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(signed_bytes), signed_bytes.size(),
                       Bytes(secret_key));
  return Assemble(kPublicHeader, std::string(payload) + signature, footer);
}

absl::StatusOr<PasetoMessage> V4PublicVerify(std::string_view public_key, std::string_view token,
                                             std::string_view implicit_assertion) {
  if (!EnsureSodium()) return absl::InternalError("libsodium failed to initialise");
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return absl::InvalidArgumentError("v4.public public keys are 32 bytes");
  }
  auto parts = Split(token, kPublicHeader);
  if (!parts.ok()) return parts.status();
  const std::string& body = parts->first;
  if (body.size() < kSignatureBytes) return InvalidToken();
  const std::string payload = body.substr(0, body.size() - kSignatureBytes);
  const std::string signature = body.substr(body.size() - kSignatureBytes);
  const std::string signed_bytes =
      PreAuthEncode({kPublicHeader, payload, parts->second, implicit_assertion});
  if (crypto_sign_verify_detached(Bytes(signature), Bytes(signed_bytes), signed_bytes.size(),
                                  Bytes(public_key)) != 0) {
    return InvalidToken();
  }
  return PasetoMessage{payload, parts->second};
}

absl::StatusOr<std::string> UntrustedFooter(std::string_view token) {
  const size_t header_end = token.find('.', token.find('.') + 1);
  if (header_end == std::string_view::npos) return InvalidToken();
  const std::string_view rest = token.substr(header_end + 1);
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return std::string();
  return DecodeSegment(rest.substr(dot + 1));
}

absl::StatusOr<std::string> UntrustedPublicPayload(std::string_view token) {
  auto parts = Split(token, kPublicHeader);
  if (!parts.ok()) return parts.status();
  std::string& body = parts->first;
  if (body.size() < kSignatureBytes) return InvalidToken();
  body.resize(body.size() - kSignatureBytes);
  return std::move(body);
}

absl::StatusOr<std::string> V4PublicSignWithKid(std::string_view secret_key, std::string_view kid,
                                                std::string_view payload,
                                                std::string_view implicit_assertion) {
  // A token its own verifiers would refuse is a bug here, not a token to hand out.
  if (kid.empty() || kid.size() > kPasetoMaxKidBytes) {
    return absl::InvalidArgumentError("a key id is 1 to 128 characters");
  }
  return V4PublicSign(secret_key, payload, nlohmann::json{{"kid", kid}}.dump(), implicit_assertion);
}

absl::StatusOr<std::string> UntrustedKid(std::string_view token) {
  absl::StatusOr<std::string> footer = UntrustedFooter(token);
  if (!footer.ok()) return InvalidToken();
  const nlohmann::json named = nlohmann::json::parse(*footer, nullptr, /*allow_exceptions=*/false);
  if (!named.is_object() || named.size() != 1) return InvalidToken();
  const auto kid = named.find("kid");
  if (kid == named.end() || !kid->is_string()) return InvalidToken();
  const auto& text = kid->get_ref<const std::string&>();
  if (text.empty() || text.size() > kPasetoMaxKidBytes) return InvalidToken();
  return text;
}

}  // namespace travio::crypto
