#pragma once

// AWS Signature Version 4 for S3 requests (docs.aws.amazon.com, "Authenticating Requests: Using
// the Authorization Header"), on the platform's SHA-256 and HMAC (OpenSSL/libsodium).

#include <map>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace travio::fulfillment {

struct SigV4Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region;
  std::string service = "s3";
};

/// A request to sign. `path` is already URI-encoded as sent; `headers` are every header to
/// sign (names in any case; host, x-amz-date and x-amz-content-sha256 included), `query` the
/// query parameters already encoded.
struct SigV4Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;
  std::string payload_sha256;  // hex
};

/// The request's canonical form (exposed for tests).
std::string CanonicalRequest(const SigV4Request& request);

/// The Authorization header's value for `request` made at `at`.
std::string AuthorizationHeader(const SigV4Request& request, const SigV4Credentials& credentials,
                                absl::Time at);

/// "20130524T000000Z": the form of x-amz-date.
std::string AmzDate(absl::Time at);

/// RFC 3986 percent-encoding of everything but unreserved characters, and of '/' unless
/// `keep_slash` (object keys in paths keep theirs).
std::string UriEncode(std::string_view text, bool keep_slash);

}  // namespace travio::fulfillment
