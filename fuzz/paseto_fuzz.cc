// PASETO v4 (platform/crypto/paseto.h): any text as a token to open, and any payload, footer
// and implicit assertion signed or sealed and opened again. Opening never crashes; what was
// signed or sealed comes back unchanged; a token opened under another implicit assertion fails.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz/fuzz_keys.h"
#include "platform/crypto/paseto.h"

namespace travio::fuzz {
namespace {

const FuzzKeys& Keys() {
  static const FuzzKeys keys;
  return keys;
}

void OpenAnything(const std::string& token) {
  const std::string local_key(32, '\x2a');
  (void)crypto::V4PublicVerify(Keys().public_key, token);
  (void)crypto::V4PublicVerify(Keys().public_key, token, "travio-queue-token");
  (void)crypto::V4LocalDecrypt(local_key, token);
  (void)crypto::UntrustedFooter(token);
}

void RoundTrip(FuzzedDataProvider& input) {
  const std::string payload = input.ConsumeRandomLengthString(4096);
  const std::string footer = input.ConsumeRandomLengthString(512);
  const std::string assertion = input.ConsumeRandomLengthString(64);
  absl::StatusOr<std::string> signed_token =
      crypto::V4PublicSign(Keys().secret_key, payload, footer, assertion);
  if (!signed_token.ok()) return;
  absl::StatusOr<crypto::PasetoMessage> opened =
      crypto::V4PublicVerify(Keys().public_key, *signed_token, assertion);
  if (!opened.ok() || opened->payload != payload || opened->footer != footer) {
    Violated("sign then verify is exact");
  }
  if (crypto::V4PublicVerify(Keys().public_key, *signed_token, assertion + "x").ok()) {
    Violated("another implicit assertion fails");
  }
  const std::string local_key(32, '\x2a');
  absl::StatusOr<std::string> sealed =
      crypto::V4LocalEncrypt(local_key, payload, footer, assertion);
  if (!sealed.ok()) return;
  absl::StatusOr<crypto::PasetoMessage> unsealed =
      crypto::V4LocalDecrypt(local_key, *sealed, assertion);
  if (!unsealed.ok() || unsealed->payload != payload || unsealed->footer != footer) {
    Violated("seal then open is exact");
  }
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  if (input.ConsumeBool()) {
    travio::fuzz::OpenAnything(input.ConsumeRemainingBytesAsString());
  } else {
    travio::fuzz::RoundTrip(input);
  }
  return 0;
}
