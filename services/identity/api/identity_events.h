#pragma once

// The events identity publishes (platform/events/contract.h): what happened to accounts,
// sessions, organizations, invites and members, for the audit log. Payloads name the actor and
// the target; never a secret.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "platform/events/contract.h"
#include "services/identity/api/access.h"

namespace travio::identity {

/// identity.user_registered.v1
struct UserRegistered {
  std::string user_id;
  bool operator==(const UserRegistered&) const = default;
};
std::string EncodeUserRegistered(const UserRegistered& event);
absl::StatusOr<UserRegistered> DecodeUserRegistered(std::string_view payload);
inline constexpr events::Contract<UserRegistered> kUserRegistered{
    "identity.user_registered.v1", &EncodeUserRegistered, &DecodeUserRegistered};

/// identity.login_throttled.v1: a burst of failed logins (user_id empty for an unknown email).
struct LoginThrottled {
  std::string user_id;
  std::string client_address;
  bool operator==(const LoginThrottled&) const = default;
};
std::string EncodeLoginThrottled(const LoginThrottled& event);
absl::StatusOr<LoginThrottled> DecodeLoginThrottled(std::string_view payload);
inline constexpr events::Contract<LoginThrottled> kLoginThrottled{
    "identity.login_throttled.v1", &EncodeLoginThrottled, &DecodeLoginThrottled};

/// A session (a family of refresh tokens) of a user.
struct SessionChanged {
  std::string user_id;
  std::string session_id;
  bool operator==(const SessionChanged&) const = default;
};
std::string EncodeSessionChanged(const SessionChanged& event);
absl::StatusOr<SessionChanged> DecodeSessionChanged(std::string_view payload);
/// A spent refresh token came back: its whole session was revoked.
inline constexpr events::Contract<SessionChanged> kRefreshTokenReused{
    "identity.refresh_token_reused.v1", &EncodeSessionChanged, &DecodeSessionChanged};
/// The user logged out.
inline constexpr events::Contract<SessionChanged> kSessionEnded{
    "identity.session_ended.v1", &EncodeSessionChanged, &DecodeSessionChanged};

/// identity.org_created.v1 (the organization is the aggregate).
struct OrgCreated {
  std::string actor_user_id;
  std::string name;
  std::string slug;
  bool operator==(const OrgCreated&) const = default;
};
std::string EncodeOrgCreated(const OrgCreated& event);
absl::StatusOr<OrgCreated> DecodeOrgCreated(std::string_view payload);
inline constexpr events::Contract<OrgCreated> kOrgCreated{"identity.org_created.v1",
                                                          &EncodeOrgCreated, &DecodeOrgCreated};

/// identity.invite_created.v1
struct InviteCreated {
  std::string actor_user_id;
  std::string invite_id;
  std::string email;
  Role role = Role::kViewer;
  bool operator==(const InviteCreated&) const = default;
};
std::string EncodeInviteCreated(const InviteCreated& event);
absl::StatusOr<InviteCreated> DecodeInviteCreated(std::string_view payload);
inline constexpr events::Contract<InviteCreated> kInviteCreated{
    "identity.invite_created.v1", &EncodeInviteCreated, &DecodeInviteCreated};

/// An invite an admin acted on.
struct InviteChanged {
  std::string actor_user_id;
  std::string invite_id;
  bool operator==(const InviteChanged&) const = default;
};
std::string EncodeInviteChanged(const InviteChanged& event);
absl::StatusOr<InviteChanged> DecodeInviteChanged(std::string_view payload);
inline constexpr events::Contract<InviteChanged> kInviteResent{
    "identity.invite_resent.v1", &EncodeInviteChanged, &DecodeInviteChanged};
inline constexpr events::Contract<InviteChanged> kInviteRevoked{
    "identity.invite_revoked.v1", &EncodeInviteChanged, &DecodeInviteChanged};

/// identity.invite_accepted.v1: `user_id` joined with `role` (with an account made for it when
/// `new_account`).
struct InviteAccepted {
  std::string user_id;
  std::string invite_id;
  Role role = Role::kViewer;
  bool new_account = false;
  bool operator==(const InviteAccepted&) const = default;
};
std::string EncodeInviteAccepted(const InviteAccepted& event);
absl::StatusOr<InviteAccepted> DecodeInviteAccepted(std::string_view payload);
inline constexpr events::Contract<InviteAccepted> kInviteAccepted{
    "identity.invite_accepted.v1", &EncodeInviteAccepted, &DecodeInviteAccepted};

/// identity.member_role_changed.v1
struct MemberRoleChanged {
  std::string actor_user_id;
  std::string user_id;
  Role from = Role::kViewer;
  Role to = Role::kViewer;
  bool operator==(const MemberRoleChanged&) const = default;
};
std::string EncodeMemberRoleChanged(const MemberRoleChanged& event);
absl::StatusOr<MemberRoleChanged> DecodeMemberRoleChanged(std::string_view payload);
inline constexpr events::Contract<MemberRoleChanged> kMemberRoleChanged{
    "identity.member_role_changed.v1", &EncodeMemberRoleChanged, &DecodeMemberRoleChanged};

/// identity.member_removed.v1: `user_id`, who had `role`, left the organization.
struct MemberRemoved {
  std::string actor_user_id;
  std::string user_id;
  Role role = Role::kViewer;
  bool operator==(const MemberRemoved&) const = default;
};
std::string EncodeMemberRemoved(const MemberRemoved& event);
absl::StatusOr<MemberRemoved> DecodeMemberRemoved(std::string_view payload);
inline constexpr events::Contract<MemberRemoved> kMemberRemoved{
    "identity.member_removed.v1", &EncodeMemberRemoved, &DecodeMemberRemoved};

/// identity.signing_key_added.v1: a key that verifies access tokens was published (`signing`:
/// it also signs new ones).
struct SigningKeyAdded {
  std::string kid;
  bool signing = false;
  bool operator==(const SigningKeyAdded&) const = default;
};
std::string EncodeSigningKeyAdded(const SigningKeyAdded& event);
absl::StatusOr<SigningKeyAdded> DecodeSigningKeyAdded(std::string_view payload);
inline constexpr events::Contract<SigningKeyAdded> kSigningKeyAdded{
    "identity.signing_key_added.v1", &EncodeSigningKeyAdded, &DecodeSigningKeyAdded};

}  // namespace travio::identity
