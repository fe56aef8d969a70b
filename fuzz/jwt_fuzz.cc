// EdDSA JWTs (platform/crypto/jwt.h): any text as a token, and any claims text and kid signed
// and verified again. Reading never crashes; what was signed comes back unchanged; a token
// never passes as another `typ`.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz/fuzz_keys.h"
#include "platform/crypto/jwt.h"

namespace travio::fuzz {
namespace {

const FuzzKeys& Keys() {
  static const FuzzKeys keys;
  return keys;
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using travio::fuzz::Keys;
  FuzzedDataProvider input(data, size);
  if (input.ConsumeBool()) {
    const std::string token = input.ConsumeRemainingBytesAsString();
    (void)travio::crypto::JwtUntrustedKid(token);
    (void)travio::crypto::JwtVerifyEdDsa(Keys().public_key, token, "at+jwt");
    return 0;
  }
  const std::string kid = input.ConsumeRandomLengthString(160);
  const std::string typ = input.ConsumeRandomLengthString(16);
  const std::string claims = input.ConsumeRemainingBytesAsString();
  absl::StatusOr<std::string> token =
      travio::crypto::JwtSignEdDsa(Keys().secret_key, kid, typ, claims);
  if (!token.ok()) return 0;
  absl::StatusOr<std::string> verified =
      travio::crypto::JwtVerifyEdDsa(Keys().public_key, *token, typ);
  if (!verified.ok() || *verified != claims) travio::fuzz::Violated("sign then verify is exact");
  if (travio::crypto::JwtVerifyEdDsa(Keys().public_key, *token, typ + "x").ok()) {
    travio::fuzz::Violated("a token never passes as another typ");
  }
  absl::StatusOr<std::string> read_kid = travio::crypto::JwtUntrustedKid(*token);
  if (!read_kid.ok() || *read_kid != kid) travio::fuzz::Violated("the kid reads back");
  return 0;
}
