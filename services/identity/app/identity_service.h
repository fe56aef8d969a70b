#pragma once

#include <memory>
#include <string>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/crypto/password.h"
#include "platform/crypto/password_hasher.h"
#include "platform/events/contract.h"
#include "platform/log/logger.h"
#include "services/identity/api/access_token.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/app/ports.h"
#include "services/notification/api/notification_client.h"

namespace travio::identity {

struct IdentitySettings {
  TokenFormat token_format = TokenFormat::kPaseto;
  std::string issuer = "travio";
  std::string audience = "travio-api";
  absl::Duration access_token_ttl = absl::Minutes(15);
  absl::Duration refresh_token_ttl = absl::Hours(24 * 14);
  /// The longest a session lives from sign-in, however often it is refreshed.
  absl::Duration session_max_age = absl::Hours(24 * 90);
  absl::Duration guest_token_ttl = absl::Hours(2);
  absl::Duration invite_ttl = absl::Hours(24 * 7);
  /// Invites (new and re-sent) one organization may send per hour, so Travio's mail cannot be
  /// turned into a spam relay.
  int64_t invites_per_hour = 100;
  /// How soon one invite may be re-sent.
  absl::Duration resend_interval = absl::Minutes(1);
  crypto::PasswordCost password_cost;
  /// Threads that hash passwords, and requests that may wait for one (crypto::PasswordHasher):
  /// a flood of sign-ins fills these, not the callers' threads.
  int password_threads = 2;
  int password_queue = 16;
  /// Base URL of the web UI, for links in emails.
  std::string public_url = "http://localhost:8080";
};

/// Identity's use cases. It is also the in-process IdentityClient other modules get in the
/// monolith; the gRPC service forwards to it in microservices mode.
class IdentityService final : public IdentityClient {
 public:
  struct Ports {
    IdentityStore& store;
    const KeyRing& keys;
    LoginThrottle& throttle;
    SessionRevoker& revoker;
    RateLimiter& limits;
    std::shared_ptr<notification::NotificationClient> mail;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };

  static absl::StatusOr<std::unique_ptr<IdentityService>> Create(Ports ports,
                                                                 IdentitySettings settings,
                                                                 std::string instance_id);

  /// Writes an audit event for every published key not seen before (key rotation).
  absl::Status RecordKeys();

  absl::StatusOr<ServerInfo> GetServerInfo() override;
  absl::StatusOr<TokenSettings> GetTokenSettings() override;
  absl::StatusOr<User> Register(const RegisterRequest& request) override;
  absl::StatusOr<TokenPair> Login(const LoginRequest& request) override;
  absl::StatusOr<TokenPair> IssueGuestToken() override;
  absl::StatusOr<TokenPair> Refresh(const std::string& refresh_token) override;
  absl::Status Logout(const std::string& refresh_token) override;
  absl::StatusOr<Me> GetMe(const std::string& user_id) override;
  absl::StatusOr<Organization> CreateOrganization(const std::string& user_id,
                                                  const std::string& name,
                                                  const std::string& slug) override;
  absl::StatusOr<Organization> GetOrganization(const std::string& org_id) override;
  absl::StatusOr<Membership> ResolveMembership(const std::string& user_id,
                                               const std::string& org_id) override;
  absl::StatusOr<Invite> CreateInvite(const Actor& actor, const std::string& email,
                                      const std::string& role) override;
  absl::StatusOr<Page<Invite>> ListInvites(const Actor& actor, const PageRequest& page) override;
  absl::Status RevokeInvite(const Actor& actor, const std::string& invite_id) override;
  absl::StatusOr<Invite> ResendInvite(const Actor& actor, const std::string& invite_id) override;
  absl::StatusOr<AcceptedInvite> AcceptInvite(const AcceptInviteRequest& request) override;
  absl::StatusOr<Page<Member>> ListMembers(const Actor& actor, const PageRequest& page) override;
  absl::StatusOr<std::vector<Member>> ListOwners(const std::string& org_id) override;
  absl::StatusOr<Member> ChangeRole(const Actor& actor, const std::string& user_id,
                                    const std::string& role) override;
  absl::Status RemoveMember(const Actor& actor, const std::string& user_id) override;

 private:
  IdentityService(Ports ports, IdentitySettings settings, std::string instance_id,
                  std::string dummy_hash);

  /// The first refresh token of a new login session (family) of `user_id`.
  RefreshTokenRecord NewSession(const std::string& user_id);
  /// Stores a new session: its family and its first refresh token.
  absl::Status StoreNewSession(IdentityUnit& unit, const RefreshTokenRecord& first);
  /// The token pair of a refresh record already stored.
  absl::StatusOr<TokenPair> IssuePair(const RefreshTokenRecord& record);
  absl::StatusOr<std::string> AccessToken(const std::string& subject, const std::string& session_id,
                                          absl::Duration ttl);
  absl::StatusOr<std::string> EncodeRefreshToken(const RefreshTokenRecord& record);
  absl::StatusOr<std::string> DecodeRefreshToken(std::string_view token);
  // The header of an audit event about `aggregate_id` (services/identity/api/identity_events.h).
  events::Header Audit(std::string aggregate_id, std::string org_id) const;
  bool SendInviteEmail(const Invite& invite, const std::string& token, const std::string& org_name);

  Ports ports_;
  IdentitySettings settings_;
  std::string instance_id_;
  // Verified against when the email is unknown, so that case costs the same as a wrong
  // password and timing does not reveal which accounts exist.
  std::string dummy_hash_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
};

}  // namespace travio::identity
