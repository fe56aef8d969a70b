#include "services/fulfillment/storage/s3/sigv4.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::fulfillment {
namespace {

std::string Scope(const SigV4Credentials& credentials, absl::Time at) {
  return absl::StrCat(absl::FormatTime("%Y%m%d", at, absl::UTCTimeZone()), "/", credentials.region,
                      "/", credentials.service, "/aws4_request");
}

std::map<std::string, std::string> LowerCaseHeaders(const SigV4Request& request) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    headers[absl::AsciiStrToLower(name)] = std::string(absl::StripAsciiWhitespace(value));
  }
  return headers;
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xf]);
    }
  }
  return encoded;
}

std::string AmzDate(absl::Time at) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", at, absl::UTCTimeZone());
}

std::string CanonicalRequest(const SigV4Request& request) {
  std::vector<std::string> query;
  for (const auto& [name, value] : request.query) query.push_back(absl::StrCat(name, "=", value));
  const std::map<std::string, std::string> headers = LowerCaseHeaders(request);
  std::string canonical_headers;
  std::vector<std::string> names;
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&canonical_headers, name, ":", value, "\n");
    names.push_back(name);
  }
  return absl::StrCat(request.method, "\n", request.path, "\n", absl::StrJoin(query, "&"), "\n",
                      canonical_headers, "\n", absl::StrJoin(names, ";"), "\n",
                      request.payload_sha256);
}

std::string AuthorizationHeader(const SigV4Request& request, const SigV4Credentials& credentials,
                                absl::Time at) {
  const std::string scope = Scope(credentials, at);
  const std::string string_to_sign =
      absl::StrCat("AWS4-HMAC-SHA256\n", AmzDate(at), "\n", scope, "\n",
                   crypto::HexEncode(crypto::Sha256(CanonicalRequest(request))));
  std::string key = crypto::HmacSha256(absl::StrCat("AWS4", credentials.secret_key),
                                       absl::FormatTime("%Y%m%d", at, absl::UTCTimeZone()));
  key = crypto::HmacSha256(key, credentials.region);
  key = crypto::HmacSha256(key, credentials.service);
  key = crypto::HmacSha256(key, "aws4_request");
  const std::string signature = crypto::HexEncode(crypto::HmacSha256(key, string_to_sign));
  std::vector<std::string> names;
  for (const auto& [name, value] : LowerCaseHeaders(request)) names.push_back(name);
  return absl::StrCat("AWS4-HMAC-SHA256 Credential=", credentials.access_key, "/", scope,
                      ", SignedHeaders=", absl::StrJoin(names, ";"), ", Signature=", signature);
}

}  // namespace travio::fulfillment
