#include "platform/crypto/jwt.h"

#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "platform/crypto/encoding.h"
#include "platform/crypto/sodium_support.h"

namespace travio::crypto {
namespace {

using internal::Bytes;
using internal::EnsureSodium;
using internal::InvalidToken;
using internal::kSignatureBytes;

constexpr std::string_view kAlgorithm = "EdDSA";
// Far above any access token we issue; refusing bigger ones before decoding bounds the work an
// unauthenticated caller can make us do.
constexpr size_t kMaxTokenBytes = 8 * 1024;
constexpr size_t kMaxKidBytes = 128;
constexpr size_t kEncodedSignatureBytes = (kSignatureBytes * 4 + 2) / 3;

// Headers that would let the token choose its own key (jku, jwk, x5u, x5c), demand processing we
// do not do (crit, RFC 7515 §4.1.11) or change what the signature covers (b64, RFC 7797): another
// library reading the same token could then accept it under different rules than ours.
constexpr std::array<std::string_view, 6> kRefusedParameters = {"crit", "jku", "jwk",
                                                                "x5u",  "x5c", "b64"};

bool IsVisibleAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return !text.empty();
}

// Callers use the kid to find a key, possibly in a file or a URL path; nothing in it may climb out
// of where they look.
bool IsSafeKid(std::string_view kid) {
  return kid.size() <= kMaxKidBytes && IsVisibleAscii(kid) &&
         kid.find_first_of("/\\") == std::string_view::npos &&
         kid.find("..") == std::string_view::npos;
}

// Duplicate member names are refused at any depth: parsers disagree on which one wins, and the
// claims we return are parsed again by the caller, perhaps by another parser.
std::optional<nlohmann::json> ParseObject(std::string_view text) {
  using Event = nlohmann::json::parse_event_t;
  std::vector<std::set<std::string>> open_objects;
  bool duplicate = false;
  auto watch = [&](int /*depth*/, Event event, nlohmann::json& parsed) {
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      open_objects.pop_back();
    } else if (event == Event::key && !open_objects.empty() &&
               !open_objects.back().insert(parsed.get<std::string>()).second) {
      duplicate = true;
    }
    return true;
  };
  nlohmann::json value = nlohmann::json::parse(text, watch, /*allow_exceptions=*/false);
  if (duplicate || value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

std::optional<std::string> StringMember(const nlohmann::json& object, std::string_view name) {
  const auto found = object.find(name);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

struct Segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // "header.payload", exactly as received
};

std::optional<Segments> Split(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return std::nullopt;
  const size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return Segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                  token.substr(second + 1), token.substr(0, second)};
}

std::optional<nlohmann::json> DecodeHeader(std::string_view segment) {
  const auto text = Base64UrlDecode(segment);
  if (!text) return std::nullopt;
  return ParseObject(*text);
}

std::optional<std::string> SafeKid(const nlohmann::json& header) {
  auto kid = StringMember(header, "kid");
  if (!kid || !IsSafeKid(*kid)) return std::nullopt;
  return kid;
}

bool HeaderAcceptable(const nlohmann::json& header, std::string_view expected_typ) {
  if (StringMember(header, "alg") != kAlgorithm) return false;
  if (StringMember(header, "typ") != expected_typ) return false;
  for (const std::string_view name : kRefusedParameters) {
    if (header.contains(name)) return false;
  }
  return SafeKid(header).has_value();
}

}  // namespace

absl::StatusOr<std::string> JwtSignEdDsa(std::string_view secret_key, std::string_view kid,
                                         std::string_view typ, std::string_view claims_json) {
  if (!EnsureSodium()) return absl::InternalError("libsodium failed to initialise");
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return absl::InvalidArgumentError("Ed25519 secret keys are 64 bytes (seed and public key)");
  }
  if (!IsSafeKid(kid)) {
    return absl::InvalidArgumentError(
        "kid must be 1 to 128 visible ASCII characters without '/', '\\' or \"..\"");
  }
  if (!IsVisibleAscii(typ)) return absl::InvalidArgumentError("typ must be visible ASCII");
  if (!ParseObject(claims_json)) {
    return absl::InvalidArgumentError("claims must be a JSON object without duplicate names");
  }

  // ordered_json keeps the members in the documented order.
  nlohmann::ordered_json header;
  header["alg"] = kAlgorithm;
  header["typ"] = typ;
  header["kid"] = kid;
  std::string token = Base64UrlEncode(header.dump());
  token.push_back('.');
  token += Base64UrlEncode(claims_json);
  if (token.size() + 1 + kEncodedSignatureBytes > kMaxTokenBytes) {
    return absl::InvalidArgumentError("the token would exceed the size limit of verification");
  }

  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(token), token.size(), Bytes(secret_key));
  token.push_back('.');
  token += Base64UrlEncode(signature);
  return token;
}

absl::StatusOr<std::string> JwtUntrustedKid(std::string_view token) {
  const auto segments = Split(token);
  if (!segments) return InvalidToken();
  const auto header = DecodeHeader(segments->header);
  if (!header) return InvalidToken();
  auto kid = SafeKid(*header);
  if (!kid) return InvalidToken();
  return *std::move(kid);
}

absl::StatusOr<std::string> JwtUntrustedClaims(std::string_view token) {
  const auto segments = Split(token);
  if (!segments) return InvalidToken();
  auto claims = Base64UrlDecode(segments->payload);
  if (!claims || !ParseObject(*claims)) return InvalidToken();
  return *std::move(claims);
}

absl::StatusOr<std::string> JwtVerifyEdDsa(std::string_view public_key, std::string_view token,
                                           std::string_view expected_typ) {
  if (!EnsureSodium()) return absl::InternalError("libsodium failed to initialise");
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return absl::InvalidArgumentError("Ed25519 public keys are 32 bytes");
  }
  if (expected_typ.empty()) return absl::InvalidArgumentError("expected typ is empty");

  // The header is judged before the signature (RFC 8725 §3.1: the algorithm is ours to choose,
  // not the token's); the payload is not even parsed until the signature holds.
  const auto segments = Split(token);
  if (!segments) return InvalidToken();
  const auto header = DecodeHeader(segments->header);
  if (!header || !HeaderAcceptable(*header, expected_typ)) return InvalidToken();
  const auto signature = Base64UrlDecode(segments->signature);
  if (!signature || signature->size() != kSignatureBytes) return InvalidToken();
  if (crypto_sign_verify_detached(Bytes(*signature), Bytes(segments->signing_input),
                                  segments->signing_input.size(), Bytes(public_key)) != 0) {
    return InvalidToken();
  }
  auto claims = Base64UrlDecode(segments->payload);
  if (!claims || !ParseObject(*claims)) return InvalidToken();
  return *std::move(claims);
}

}  // namespace travio::crypto
