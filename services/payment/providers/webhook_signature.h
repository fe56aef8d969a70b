#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace travio::payment {

/// Signatures of provider webhooks, the scheme Bangladesh's hosted-payment gateways and the
/// sandbox share: header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
/// provider's secret (libsodium), so a body cannot be replayed under another timestamp.
std::string SignWebhook(std::string_view secret, absl::Time at, std::string_view body);

/// OK when `header` carries a valid signature of `body` made within `tolerance` of `now`;
/// kInvalidArgument `bad_signature` otherwise (malformed header, wrong signature, compared in
/// constant time, or too old or too far ahead). Several v1 entries are allowed (a secret being
/// rotated): any valid one passes.
absl::Status VerifyWebhook(std::string_view secret, std::string_view header, std::string_view body,
                           absl::Time now, absl::Duration tolerance = absl::Minutes(5));

}  // namespace travio::payment
