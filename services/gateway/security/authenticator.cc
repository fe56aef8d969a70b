#include "services/gateway/security/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"

namespace travio::gateway {
namespace {

// Keys are re-fetched this often, so a retired (or compromised and removed) key stops being
// accepted and published within this time.
constexpr absl::Duration kKeysMaxAge = absl::Seconds(60);
// An unknown key id makes the gateway ask identity for its keys again (a rotation), but at
// most this often, so a flood of forged kids cannot turn into a flood of calls.
constexpr absl::Duration kForcedRefreshInterval = absl::Seconds(10);

absl::Status Unauthenticated(std::string_view message = "Sign in first.") {
  return Error(reasons::kUnauthenticated, message);
}

absl::Status InvalidToken() {
  return Error(reasons::kInvalidToken, "The access token is invalid or expired.");
}

// The token of an `Authorization: Bearer <token>` header; nullopt when there is no header.
absl::StatusOr<std::optional<std::string>> BearerToken(const http::Request& request) {
  auto header = request.Header("Authorization");
  if (!header) return std::nullopt;
  const std::string_view value = ToStd(absl::StripAsciiWhitespace(*header));
  if (value.size() < 7 || !absl::EqualsIgnoreCase(ToAbsl(value.substr(0, 7)), "Bearer ")) {
    return Unauthenticated("Use Authorization: Bearer <access token>.");
  }
  return std::string(absl::StripLeadingAsciiWhitespace(ToAbsl(value.substr(7))));
}

}  // namespace

Authenticator::Authenticator(std::shared_ptr<identity::IdentityClient> identity,
                             kv::KeyValueStore& hot_state, const Clock& clock, log::Logger logger)
    : identity_(std::move(identity)),
      // The gateway only reads revocations; the lifetime matters to the writer.
      revocations_(hot_state, absl::ZeroDuration()),
      clock_(clock),
      logger_(std::move(logger)),
      verifier_(clock) {}

absl::Status Authenticator::RefreshKeys(bool unknown_kid) {
  const absl::Time now = clock_.Now();
  bool have_keys = false;
  {
    std::lock_guard lock(state_mutex_);
    have_keys = settings_ != nullptr;
    const absl::Duration age = now - fetched_at_;
    const bool due =
        !have_keys || age >= kKeysMaxAge || (unknown_kid && age >= kForcedRefreshInterval);
    if (!due) return absl::OkStatus();
  }
  // Without keys every caller must wait for the first fetch; with keys, only one fetches.
  std::unique_lock fetching(fetch_mutex_, std::defer_lock);
  if (have_keys) {
    if (!fetching.try_lock()) return absl::OkStatus();
  } else {
    fetching.lock();
    std::lock_guard lock(state_mutex_);
    if (settings_ != nullptr) return absl::OkStatus();  // another caller fetched meanwhile
  }
  auto settings = identity_->GetTokenSettings();
  std::lock_guard lock(state_mutex_);
  fetched_at_ = clock_.Now();
  if (!settings.ok()) {
    logger_.Warn("cannot fetch token keys from identity",
                 {{"error", settings.status().ToString()}});
    // Keep the keys we have until identity answers again; without any, nothing verifies.
    if (settings_ != nullptr) return absl::OkStatus();
    fetched_at_ = absl::InfinitePast();
    return Error(reasons::kIdentityUnavailable, "Sign-in is temporarily unavailable.");
  }
  settings_ = std::make_shared<const identity::TokenSettings>(*settings);
  verifier_.Update(*std::move(settings));
  return absl::OkStatus();
}

absl::StatusOr<identity::TokenSettings> Authenticator::TokenSettings() {
  TRAVIO_RETURN_IF_ERROR(RefreshKeys(/*unknown_kid=*/false));
  std::lock_guard lock(state_mutex_);
  return *settings_;
}

void Authenticator::RememberIssued(std::string_view access_token) {
  // Without keys there is nothing to judge its kid by: it verifies on first use instead.
  if (!RefreshKeys(/*unknown_kid=*/false).ok()) return;
  verifier_.RememberIssued(access_token);
}

absl::StatusOr<identity::AccessClaims> Authenticator::VerifyBearer(std::string_view token) {
  TRAVIO_RETURN_IF_ERROR(RefreshKeys(/*unknown_kid=*/false));
  auto claims = verifier_.Verify(token);
  if (!claims.ok() && IsReason(claims.status(), reasons::kUnknownKey)) {
    TRAVIO_RETURN_IF_ERROR(RefreshKeys(/*unknown_kid=*/true));
    claims = verifier_.Verify(token);
  }
  if (!claims.ok()) return InvalidToken();
  // Identity gives every account token a session, so logout can end it; one without is not
  // identity's.
  if (!claims->guest() && claims->session_id.empty()) return InvalidToken();
  if (!claims->session_id.empty()) {
    auto revoked = revocations_.IsRevoked(claims->session_id);
    if (!revoked.ok()) {
      // Cannot tell whether the session ended: refuse rather than guess.
      logger_.Error("session revocation list unavailable",
                    {{"error", revoked.status().ToString()}});
      return Error(reasons::kAuthUnavailable, "Sign-in is temporarily unavailable.");
    }
    if (*revoked) return InvalidToken();
  }
  return claims;
}

absl::StatusOr<Caller> Authenticator::Authenticate(const http::Request& request,
                                                   const RoutePolicy& policy) {
  Caller caller;
  // Sign-in routes never read Authorization: a stale token a client still attaches must not
  // stop it from refreshing, logging out or signing in again.
  if (policy.access == Access::kAnonymous) return caller;
  TRAVIO_ASSIGN_OR_RETURN(auto token, BearerToken(request));
  if (token) {
    TRAVIO_ASSIGN_OR_RETURN(caller.claims, VerifyBearer(*token));
  }
  if (policy.access == Access::kPublic) return caller;
  if (!caller.authenticated()) return Unauthenticated();
  if (policy.access == Access::kAuthenticated) return caller;
  if (caller.guest()) {
    return Error(reasons::kAccountRequired,
                 "Guest tokens cannot do this; sign in with an account.");
  }
  if (policy.access == Access::kAccount) return caller;

  std::string org_id;
  if (policy.access == Access::kOrgInPath) {
    org_id = request.PathParam("org_id");
  } else if (auto header = request.Header("X-Org-Id")) {
    org_id = std::string(absl::StripAsciiWhitespace(*header));
    if (org_id.empty()) {
      return Error(reasons::kInvalidOrgId, "X-Org-Id must be an organization id.");
    }
  }
  if (!org_id.empty() && !IsUuid(org_id)) {
    // Not an id of anything: the same answer as someone else's organization.
    return Error(reasons::kOrgNotFound, "No such organization.");
  }
  TRAVIO_ASSIGN_OR_RETURN(identity::Membership membership,
                          identity_->ResolveMembership(caller.user_id(), org_id));
  if (policy.permission && !identity::RoleAllows(membership.role, *policy.permission)) {
    return Error(reasons::kForbidden, "Your role in this organization does not allow this.");
  }
  caller.membership = std::move(membership);
  return caller;
}

}  // namespace travio::gateway
