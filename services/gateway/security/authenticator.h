#pragma once

#include <memory>
#include <mutex>

#include "platform/base/clock.h"
#include "platform/http/message.h"
#include "platform/kv/key_value_store.h"
#include "platform/log/logger.h"
#include "services/gateway/security/caller.h"
#include "services/identity/api/access_token.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/api/session_revocations.h"

namespace travio::gateway {

/// Establishes the Caller of a request according to its route's policy: verifies the bearer
/// token locally with identity's published keys, refuses ended sessions, and for org-scoped
/// routes asks identity for the caller's current membership (so a removed member is refused
/// on the very next request).
class Authenticator {
 public:
  Authenticator(std::shared_ptr<identity::IdentityClient> identity, kv::KeyValueStore& hot_state,
                const Clock& clock, log::Logger logger);

  /// The caller, or the problem status to answer with (401, 403, 404, 400).
  absl::StatusOr<Caller> Authenticate(const http::Request& request, const RoutePolicy& policy);

  /// A token identity has just issued through this gateway: its first request skips the
  /// signature check (AccessTokenVerifier::RememberIssued says why that is safe).
  void RememberIssued(std::string_view access_token);
  /// The claims of a valid access token (one identity has just issued, to record whose it is).
  absl::StatusOr<identity::AccessClaims> ClaimsOf(std::string_view access_token) {
    return VerifyBearer(access_token);
  }

  /// How many access-token signatures were checked (tokens not answered from the cache).
  uint64_t signature_checks() const { return verifier_.signature_checks(); }

  /// The verification settings, fetched from identity on first use and on an unknown key.
  absl::StatusOr<identity::TokenSettings> TokenSettings();

 private:
  absl::StatusOr<identity::AccessClaims> VerifyBearer(std::string_view token);
  /// Makes sure keys are loaded and fresh. `unknown_kid` asks for a re-fetch now (a rotation),
  /// allowed at most every kForcedRefreshInterval. One caller fetches; the others carry on with
  /// the keys they have, so a slow identity never stalls every request.
  absl::Status RefreshKeys(bool unknown_kid);

  std::shared_ptr<identity::IdentityClient> identity_;
  identity::SessionRevocations revocations_;
  const Clock& clock_;
  log::Logger logger_;
  identity::AccessTokenVerifier verifier_;
  std::mutex fetch_mutex_;  // held only by the caller fetching
  mutable std::mutex state_mutex_;
  absl::Time fetched_at_ = absl::InfinitePast();
  std::shared_ptr<const identity::TokenSettings> settings_;
};

}  // namespace travio::gateway
