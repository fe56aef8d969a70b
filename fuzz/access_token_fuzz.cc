// Access tokens (services/identity/api/access_token.h), as the gateway verifies every bearer:
// any text as a token, and any claims text validly signed as a PASETO v4.public or an EdDSA
// JWT, so the claims reader behind the signature is reached. Verification never crashes, and
// whatever it accepts has the issuer, audience and validity window it demands.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz/fuzz_keys.h"
#include "platform/base/clock.h"
#include "platform/crypto/jwt.h"
#include "platform/crypto/paseto.h"
#include "services/identity/api/access_token.h"

namespace travio::fuzz {
namespace {

constexpr char kIssuer[] = "https://travio.example";
constexpr char kAudience[] = "travio-api";

struct Verifiers {
  ManualClock clock{absl::FromUnixSeconds(1'800'000'000)};
  FuzzKeys keys;
  identity::AccessTokenVerifier paseto{clock};
  identity::AccessTokenVerifier jwt{clock};
  Verifiers() {
    paseto.Update({.format = "paseto",
                   .issuer = kIssuer,
                   .audience = kAudience,
                   .keys = {{.kid = "k1", .public_key = keys.public_key}}});
    jwt.Update({.format = "jwt",
                .issuer = kIssuer,
                .audience = kAudience,
                .keys = {{.kid = "k1", .public_key = keys.public_key}}});
  }
};

const Verifiers& Get() {
  static const Verifiers verifiers;
  return verifiers;
}

void CheckAccepted(const absl::StatusOr<identity::AccessClaims>& claims) {
  if (!claims.ok()) return;
  const absl::Time now = Get().clock.Now();
  if (claims->issuer != kIssuer || claims->audience != kAudience || claims->subject.empty() ||
      claims->expires_at + absl::Seconds(30) < now ||
      claims->not_before - absl::Seconds(30) > now) {
    Violated("an accepted access token has the issuer, audience and window");
  }
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace travio;
  const fuzz::Verifiers& verifiers = fuzz::Get();
  FuzzedDataProvider input(data, size);
  const int mode = input.ConsumeIntegralInRange(0, 2);
  if (mode == 0) {
    const std::string token = input.ConsumeRemainingBytesAsString();
    fuzz::CheckAccepted(verifiers.paseto.Verify(token));
    fuzz::CheckAccepted(verifiers.jwt.Verify(token));
    return 0;
  }
  const std::string kid = input.ConsumeBool() ? "k1" : input.ConsumeRandomLengthString(32);
  const std::string claims = input.ConsumeRemainingBytesAsString();
  if (mode == 1) {
    absl::StatusOr<std::string> token = crypto::V4PublicSign(
        verifiers.keys.secret_key, claims, absl::StrCat("{\"kid\":\"", kid, "\"}"));
    if (token.ok()) fuzz::CheckAccepted(verifiers.paseto.Verify(*token));
  } else {
    absl::StatusOr<std::string> token =
        crypto::JwtSignEdDsa(verifiers.keys.secret_key, kid, "at+jwt", claims);
    if (token.ok()) fuzz::CheckAccepted(verifiers.jwt.Verify(*token));
  }
  return 0;
}
