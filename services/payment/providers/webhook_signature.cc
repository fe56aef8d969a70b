#include "services/payment/providers/webhook_signature.h"

#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::payment {
namespace {

std::string Mac(std::string_view secret, int64_t seconds, std::string_view body) {
  return crypto::HmacSha256(secret, absl::StrCat(seconds, ".", ToAbsl(body)));
}

absl::Status Bad(std::string_view why) {
  return Error(reasons::kBadSignature,
               absl::StrCat("The webhook signature is not valid: ", ToAbsl(why), "."));
}

}  // namespace

std::string SignWebhook(std::string_view secret, absl::Time at, std::string_view body) {
  const int64_t seconds = absl::ToUnixSeconds(at);
  return absl::StrCat("t=", seconds, ",v1=", crypto::HexEncode(Mac(secret, seconds, body)));
}

absl::Status VerifyWebhook(std::string_view secret, std::string_view header, std::string_view body,
                           absl::Time now, absl::Duration tolerance) {
  std::optional<int64_t> seconds;
  std::vector<std::string> signatures;
  for (absl::string_view part : absl::StrSplit(ToAbsl(header), ',')) {
    std::pair<absl::string_view, absl::string_view> pair =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (pair.first == "t") {
      int64_t value = 0;
      if (!absl::SimpleAtoi(pair.second, &value)) return Bad("the timestamp is not a number");
      seconds = value;
    } else if (pair.first == "v1") {
      signatures.emplace_back(pair.second);
    }
  }
  if (!seconds || signatures.empty()) return Bad("a timestamp and a v1 signature are required");
  if (absl::AbsDuration(now - absl::FromUnixSeconds(*seconds)) > tolerance) {
    return Bad("it is too old or from the future");
  }
  const std::string expected = Mac(secret, *seconds, body);
  for (const std::string& signature : signatures) {
    std::optional<std::string> given = crypto::HexDecode(signature, expected.size());
    if (given && crypto::ConstantTimeEquals(*given, expected)) {
      return absl::OkStatus();
    }
  }
  return Bad("no signature matches");
}

}  // namespace travio::payment
