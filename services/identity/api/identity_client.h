#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/paging/paging.h"
#include "services/identity/api/access.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::identity {

/// Describes the process that served a call.
struct ServerInfo {
  std::string service;
  std::string version;
  std::string commit;
  std::string instance_id;
};

struct User {
  std::string id;
  std::string email;
  std::string name;
  std::string phone;
};

/// What login, refresh and invite acceptance hand out.
struct TokenPair {
  std::string access_token;
  std::string refresh_token;  // empty for guest tokens
  absl::Duration expires_in;
};

struct Organization {
  std::string id;
  std::string name;
  std::string slug;
  absl::Time created_at;
};

/// A caller's membership of one organization.
struct Membership {
  std::string org_id;
  std::string org_name;
  Role role = Role::kViewer;
};

struct Me {
  User user;
  std::vector<Membership> memberships;
};

struct Member {
  std::string user_id;
  std::string email;
  std::string name;
  Role role = Role::kViewer;
  absl::Time joined_at;
};

/// Which page of a list (api.md: `?limit=` default 50, max 200, and `?cursor=`).
using travio::Page;
using travio::PageRequest;

enum class InviteStatus { kPending, kAccepted, kRevoked, kExpired };
// Defined here, with the type: the gateway writes it and must not need identity's app layer.
inline std::string_view InviteStatusName(InviteStatus status) {
  switch (status) {
    case InviteStatus::kPending:
      return "pending";
    case InviteStatus::kAccepted:
      return "accepted";
    case InviteStatus::kRevoked:
      return "revoked";
    case InviteStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

struct Invite {
  std::string id;
  std::string org_id;
  std::string email;
  Role role = Role::kViewer;
  InviteStatus status = InviteStatus::kPending;
  absl::Time created_at;
  absl::Time expires_at;
  /// Whether the invite email was handed to the mail transport when it was (re)sent.
  bool email_sent = false;
};

/// Who acts on an organization: set by the gateway after it checked the membership.
struct Actor {
  std::string user_id;
  std::string org_id;
  Role role = Role::kViewer;
};

struct RegisterRequest {
  std::string email;
  std::string password;
  std::string name;
  std::string phone;
};

struct LoginRequest {
  std::string email;
  std::string password;
  /// The client's network address, for per-address throttling.
  std::string client_address;
};

struct AcceptInviteRequest {
  std::string token;
  /// The signed-in caller accepting; empty when the invitee creates an account now.
  std::string user_id;
  /// For a new account: its name and password (the email is the invite's).
  std::string name;
  std::string password;
};

struct AcceptedInvite {
  std::string org_id;
  Role role = Role::kViewer;
  /// Set when the invite created the account: the new user's id and tokens.
  std::optional<User> created_user;
  std::optional<TokenPair> tokens;
};

/// A public key that verifies access tokens.
struct PublicKey {
  std::string kid;
  std::string public_key;  // 32 raw bytes of an Ed25519 public key
};

/// How access tokens are issued and what verifies them.
struct TokenSettings {
  std::string format;  // "paseto" (v4.public) or "jwt" (EdDSA)
  std::string issuer;
  std::string audience;
  std::vector<PublicKey> keys;
};

/// What other services may ask of identity. Implemented in-process by the identity module and
/// over gRPC by IdentityClient::OverGrpc; both return the same codes and reasons.
///
/// Every call may fail with kUnavailable / kDeadlineExceeded when identity cannot be reached,
/// and with kInvalidArgument (field errors attached) for malformed input.
class IdentityClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "identity";
  /// The client of a remote identity service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<IdentityClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                  const rpc::CallPolicy& policy);

  virtual ~IdentityClient() = default;

  virtual absl::StatusOr<ServerInfo> GetServerInfo() = 0;
  /// The keys and rules the gateway verifies access tokens with.
  virtual absl::StatusOr<TokenSettings> GetTokenSettings() = 0;

  /// kAlreadyExists `email_taken`; kFailedPrecondition `weak_password`.
  virtual absl::StatusOr<User> Register(const RegisterRequest& request) = 0;
  /// kUnauthenticated `invalid_credentials` (the same for an unknown email);
  /// kResourceExhausted `too_many_attempts` with the wait attached (RetryAfterOf in
  /// platform/base/errors.h).
  virtual absl::StatusOr<TokenPair> Login(const LoginRequest& request) = 0;
  virtual absl::StatusOr<TokenPair> IssueGuestToken() = 0;
  /// Spends `refresh_token` and issues a new pair. kUnauthenticated `invalid_refresh_token`;
  /// presenting a spent token revokes its whole family.
  virtual absl::StatusOr<TokenPair> Refresh(const std::string& refresh_token) = 0;
  /// Ends the refresh token's session; its access tokens stop working at once. Idempotent.
  virtual absl::Status Logout(const std::string& refresh_token) = 0;

  virtual absl::StatusOr<Me> GetMe(const std::string& user_id) = 0;

  /// The caller becomes its owner. kAlreadyExists `slug_taken`.
  virtual absl::StatusOr<Organization> CreateOrganization(const std::string& user_id,
                                                          const std::string& name,
                                                          const std::string& slug) = 0;
  /// kNotFound `org_not_found`.
  virtual absl::StatusOr<Organization> GetOrganization(const std::string& org_id) = 0;
  /// The caller's membership of `org_id`, or of their only organization when `org_id` is
  /// empty. kNotFound `org_not_found` for a non-member (never says whether the org exists);
  /// kFailedPrecondition `org_required` when the caller belongs to several and named none.
  virtual absl::StatusOr<Membership> ResolveMembership(const std::string& user_id,
                                                       const std::string& org_id) = 0;

  /// kPermissionDenied when the actor may not grant `role`; kFailedPrecondition
  /// `invalid_role`; kAlreadyExists `already_member`.
  virtual absl::StatusOr<Invite> CreateInvite(const Actor& actor, const std::string& email,
                                              const std::string& role) = 0;
  /// Oldest first. kInvalidArgument `invalid_cursor` / `invalid_limit`.
  virtual absl::StatusOr<Page<Invite>> ListInvites(const Actor& actor, const PageRequest& page) = 0;
  /// kNotFound `invite_not_found`; kFailedPrecondition `invite_not_pending`.
  virtual absl::Status RevokeInvite(const Actor& actor, const std::string& invite_id) = 0;
  /// Issues a new token (the old one stops working), a fresh expiry, and emails it again.
  virtual absl::StatusOr<Invite> ResendInvite(const Actor& actor, const std::string& invite_id) = 0;
  /// kNotFound `invite_not_found`; kFailedPrecondition `invite_expired` / `invite_revoked` /
  /// `invite_used` (410); kPermissionDenied `email_mismatch`; kAlreadyExists `already_member`;
  /// kAlreadyExists `email_taken` when creating an account for an email that has one.
  virtual absl::StatusOr<AcceptedInvite> AcceptInvite(const AcceptInviteRequest& request) = 0;

  /// In joining order. kInvalidArgument `invalid_cursor` / `invalid_limit`.
  virtual absl::StatusOr<Page<Member>> ListMembers(const Actor& actor, const PageRequest& page) = 0;
  /// kNotFound `member_not_found`; kFailedPrecondition `last_owner` (409); kPermissionDenied
  /// when an admin touches an owner.
  virtual absl::StatusOr<Member> ChangeRole(const Actor& actor, const std::string& user_id,
                                            const std::string& role) = 0;
  virtual absl::Status RemoveMember(const Actor& actor, const std::string& user_id) = 0;
  /// The organization's owners, in joining order: whom other services write to about the
  /// organization's account (its subscription and invoices). No public route answers it.
  /// kNotFound `org_not_found`.
  virtual absl::StatusOr<std::vector<Member>> ListOwners(const std::string& org_id) = 0;
};

}  // namespace travio::identity
