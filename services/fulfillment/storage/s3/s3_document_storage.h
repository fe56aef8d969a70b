#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

struct S3Settings {
  std::string endpoint;  // "https://s3.example.com", "http://127.0.0.1:4569": no path
  std::string bucket;
  std::string region;
  std::string access_key;
  std::string secret_key;
  /// Per request, connection included.
  long timeout_ms = 10000;
};

/// Documents as objects of an S3 bucket (or any S3-compatible store), path-style
/// (`<endpoint>/<bucket>/<key>`), each request signed with AWS Signature V4 and sent with
/// libcurl; the payload's SHA-256 is signed too. No proxy from the environment is used.
/// kInvalidArgument for settings that cannot work (no endpoint, bucket or keys; a URL with a
/// path, credentials or another scheme).
absl::StatusOr<std::unique_ptr<DocumentStorage>> MakeS3DocumentStorage(const S3Settings& settings,
                                                                       const Clock& clock);

}  // namespace travio::fulfillment
