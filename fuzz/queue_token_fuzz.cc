// Queue tokens (services/queue/api/queue_token.h), as the gateway checks `Queue-Token` on
// holds: any text, and any claims and footer validly signed with the queue token's implicit
// assertion. Verification never crashes, accepts nothing expired, and accepts nothing signed
// for another purpose (an access token of the same key).
#include <fuzzer/FuzzedDataProvider.h>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_keys.h"
#include "platform/crypto/paseto.h"
#include "services/queue/api/queue_token.h"

namespace travio::fuzz {
namespace {

const FuzzKeys& Keys() {
  static const FuzzKeys keys;
  return keys;
}

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

void CheckAccepted(const absl::StatusOr<queue::QueueTokenClaims>& claims) {
  if (!claims.ok()) return;
  if (claims->expires_at <= kNow) Violated("no expired token passes");
  if (claims->subject.empty() || claims->room_id.empty() || claims->token_id.empty()) {
    Violated("an accepted token names its caller, room and ticket");
  }
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace travio;
  const std::vector<queue::QueueKey> keys = {{"q1", fuzz::Keys().public_key}};
  FuzzedDataProvider input(data, size);
  const int mode = input.ConsumeIntegralInRange(0, 2);
  if (mode == 0) {
    fuzz::CheckAccepted(
        queue::VerifyQueueToken(input.ConsumeRemainingBytesAsString(), keys, fuzz::kNow));
    return 0;
  }
  const std::string footer =
      input.ConsumeBool() ? std::string("{\"kid\":\"q1\"}") : input.ConsumeRandomLengthString(64);
  const std::string claims = input.ConsumeRemainingBytesAsString();
  // Mode 1 signs for the queue; mode 2 signs the same bytes without the queue's assertion,
  // as another kind of token of the same key would be.
  absl::StatusOr<std::string> token = crypto::V4PublicSign(fuzz::Keys().secret_key, claims, footer,
                                                           mode == 1 ? "travio-queue-token" : "");
  if (!token.ok()) return 0;
  absl::StatusOr<queue::QueueTokenClaims> verified =
      queue::VerifyQueueToken(*token, keys, fuzz::kNow);
  fuzz::CheckAccepted(verified);
  if (mode == 2 && verified.ok()) fuzz::Violated("a token for another purpose never passes");
  return 0;
}
