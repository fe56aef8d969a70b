#pragma once

// Types of the audit events identity writes to its outbox, for the audit service to come.
// Payloads are JSON objects naming the actor and the target; never secrets.
namespace travio::identity::audit {

inline constexpr char kUserRegistered[] = "identity.user_registered.v1";
inline constexpr char kLoginThrottled[] = "identity.login_throttled.v1";
inline constexpr char kRefreshTokenReused[] = "identity.refresh_token_reused.v1";
inline constexpr char kSessionEnded[] = "identity.session_ended.v1";
inline constexpr char kOrgCreated[] = "identity.org_created.v1";
inline constexpr char kInviteCreated[] = "identity.invite_created.v1";
inline constexpr char kInviteResent[] = "identity.invite_resent.v1";
inline constexpr char kInviteRevoked[] = "identity.invite_revoked.v1";
inline constexpr char kInviteAccepted[] = "identity.invite_accepted.v1";
inline constexpr char kMemberRoleChanged[] = "identity.member_role_changed.v1";
inline constexpr char kMemberRemoved[] = "identity.member_removed.v1";
inline constexpr char kSigningKeyAdded[] = "identity.signing_key_added.v1";

}  // namespace travio::identity::audit
