#include "services/identity/api/proto_conversions.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::identity {
namespace {

absl::Status BadEnum(std::string_view field_view, const char* what, int value) {
  const std::string field(field_view);
  return WithFieldErrors(
      absl::InvalidArgumentError(absl::StrCat(field, ": unset or unknown ", what, " ", value)),
      {{field, absl::StrCat("must be a known ", what)}});
}

}  // namespace

int64_t TimeToProto(absl::Time time) { return absl::ToUnixMicros(time); }

absl::Time TimeFromProto(int64_t unix_micros) { return absl::FromUnixMicros(unix_micros); }

v1::Role ToProto(Role role) {
  switch (role) {
    case Role::kOwner:
      return v1::ROLE_OWNER;
    case Role::kAdmin:
      return v1::ROLE_ADMIN;
    case Role::kManager:
      return v1::ROLE_MANAGER;
    case Role::kAgent:
      return v1::ROLE_AGENT;
    case Role::kConductor:
      return v1::ROLE_CONDUCTOR;
    case Role::kViewer:
      return v1::ROLE_VIEWER;
  }
  return v1::ROLE_UNSPECIFIED;
}

absl::StatusOr<Role> FromProto(v1::Role role, std::string_view field) {
  switch (role) {
    case v1::ROLE_OWNER:
      return Role::kOwner;
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    case v1::ROLE_MANAGER:
      return Role::kManager;
    case v1::ROLE_AGENT:
      return Role::kAgent;
    case v1::ROLE_CONDUCTOR:
      return Role::kConductor;
    case v1::ROLE_VIEWER:
      return Role::kViewer;
    default:
      return BadEnum(field, "role", role);
  }
}

v1::InviteStatus ToProto(InviteStatus status) {
  switch (status) {
    case InviteStatus::kPending:
      return v1::INVITE_STATUS_PENDING;
    case InviteStatus::kAccepted:
      return v1::INVITE_STATUS_ACCEPTED;
    case InviteStatus::kRevoked:
      return v1::INVITE_STATUS_REVOKED;
    case InviteStatus::kExpired:
      return v1::INVITE_STATUS_EXPIRED;
  }
  return v1::INVITE_STATUS_UNSPECIFIED;
}

absl::StatusOr<InviteStatus> FromProto(v1::InviteStatus status, std::string_view field) {
  switch (status) {
    case v1::INVITE_STATUS_PENDING:
      return InviteStatus::kPending;
    case v1::INVITE_STATUS_ACCEPTED:
      return InviteStatus::kAccepted;
    case v1::INVITE_STATUS_REVOKED:
      return InviteStatus::kRevoked;
    case v1::INVITE_STATUS_EXPIRED:
      return InviteStatus::kExpired;
    default:
      return BadEnum(field, "invite status", status);
  }
}

v1::ServerInfo ToProto(const ServerInfo& info) {
  v1::ServerInfo proto;
  proto.set_service(info.service);
  proto.set_version(info.version);
  proto.set_commit(info.commit);
  proto.set_instance_id(info.instance_id);
  return proto;
}

ServerInfo FromProto(const v1::ServerInfo& info) {
  return {info.service(), info.version(), info.commit(), info.instance_id()};
}

v1::TokenSettings ToProto(const TokenSettings& settings) {
  v1::TokenSettings proto;
  proto.set_format(settings.format);
  proto.set_issuer(settings.issuer);
  proto.set_audience(settings.audience);
  for (const PublicKey& key : settings.keys) {
    v1::PublicKey* added = proto.add_keys();
    added->set_kid(key.kid);
    added->set_public_key(key.public_key);
  }
  return proto;
}

TokenSettings FromProto(const v1::TokenSettings& settings) {
  TokenSettings result{settings.format(), settings.issuer(), settings.audience(), {}};
  result.keys.reserve(settings.keys_size());
  for (const v1::PublicKey& key : settings.keys()) {
    result.keys.push_back({key.kid(), key.public_key()});
  }
  return result;
}

v1::User ToProto(const User& user) {
  v1::User proto;
  proto.set_id(user.id);
  proto.set_email(user.email);
  proto.set_name(user.name);
  proto.set_phone(user.phone);
  return proto;
}

User FromProto(const v1::User& user) {
  return {user.id(), user.email(), user.name(), user.phone()};
}

v1::TokenPair ToProto(const TokenPair& tokens) {
  v1::TokenPair proto;
  proto.set_access_token(tokens.access_token);
  proto.set_refresh_token(tokens.refresh_token);
  proto.set_expires_in_ms(absl::ToInt64Milliseconds(tokens.expires_in));
  return proto;
}

TokenPair FromProto(const v1::TokenPair& tokens) {
  return {tokens.access_token(), tokens.refresh_token(),
          absl::Milliseconds(tokens.expires_in_ms())};
}

v1::Organization ToProto(const Organization& organization) {
  v1::Organization proto;
  proto.set_id(organization.id);
  proto.set_name(organization.name);
  proto.set_slug(organization.slug);
  proto.set_created_at_us(TimeToProto(organization.created_at));
  return proto;
}

Organization FromProto(const v1::Organization& organization) {
  return {organization.id(), organization.name(), organization.slug(),
          TimeFromProto(organization.created_at_us())};
}

v1::Membership ToProto(const Membership& membership) {
  v1::Membership proto;
  proto.set_org_id(membership.org_id);
  proto.set_org_name(membership.org_name);
  proto.set_role(ToProto(membership.role));
  return proto;
}

absl::StatusOr<Membership> FromProto(const v1::Membership& membership) {
  auto role = FromProto(membership.role(), "role");
  if (!role.ok()) return role.status();
  return Membership{membership.org_id(), membership.org_name(), *role};
}

v1::Me ToProto(const Me& me) {
  v1::Me proto;
  *proto.mutable_user() = ToProto(me.user);
  for (const Membership& membership : me.memberships) {
    *proto.add_memberships() = ToProto(membership);
  }
  return proto;
}

absl::StatusOr<Me> FromProto(const v1::Me& me) {
  Me result{FromProto(me.user()), {}};
  result.memberships.reserve(me.memberships_size());
  for (const v1::Membership& membership : me.memberships()) {
    auto role = FromProto(membership.role(), "memberships.role");
    if (!role.ok()) return role.status();
    result.memberships.push_back({membership.org_id(), membership.org_name(), *role});
  }
  return result;
}

v1::Member ToProto(const Member& member) {
  v1::Member proto;
  proto.set_user_id(member.user_id);
  proto.set_email(member.email);
  proto.set_name(member.name);
  proto.set_role(ToProto(member.role));
  proto.set_joined_at_us(absl::ToUnixMicros(member.joined_at));
  return proto;
}

absl::StatusOr<Member> FromProto(const v1::Member& member) {
  auto role = FromProto(member.role(), "role");
  if (!role.ok()) return role.status();
  return Member{member.user_id(), member.email(), member.name(), *role,
                absl::FromUnixMicros(member.joined_at_us())};
}

v1::Invite ToProto(const Invite& invite) {
  v1::Invite proto;
  proto.set_id(invite.id);
  proto.set_org_id(invite.org_id);
  proto.set_email(invite.email);
  proto.set_role(ToProto(invite.role));
  proto.set_status(ToProto(invite.status));
  proto.set_created_at_us(TimeToProto(invite.created_at));
  proto.set_expires_at_us(TimeToProto(invite.expires_at));
  proto.set_email_sent(invite.email_sent);
  return proto;
}

absl::StatusOr<Invite> FromProto(const v1::Invite& invite) {
  auto role = FromProto(invite.role(), "role");
  if (!role.ok()) return role.status();
  auto status = FromProto(invite.status(), "status");
  if (!status.ok()) return status.status();
  return Invite{invite.id(),
                invite.org_id(),
                invite.email(),
                *role,
                *status,
                TimeFromProto(invite.created_at_us()),
                TimeFromProto(invite.expires_at_us()),
                invite.email_sent()};
}

v1::Actor ToProto(const Actor& actor) {
  v1::Actor proto;
  proto.set_user_id(actor.user_id);
  proto.set_org_id(actor.org_id);
  proto.set_role(ToProto(actor.role));
  return proto;
}

absl::StatusOr<Actor> FromProto(const v1::Actor& actor) {
  auto role = FromProto(actor.role(), "actor.role");
  if (!role.ok()) return role.status();
  return Actor{actor.user_id(), actor.org_id(), *role};
}

v1::RegisterRequest ToProto(const RegisterRequest& request) {
  v1::RegisterRequest proto;
  proto.set_email(request.email);
  proto.set_password(request.password);
  proto.set_name(request.name);
  proto.set_phone(request.phone);
  return proto;
}

RegisterRequest FromProto(const v1::RegisterRequest& request) {
  return {request.email(), request.password(), request.name(), request.phone()};
}

v1::LoginRequest ToProto(const LoginRequest& request) {
  v1::LoginRequest proto;
  proto.set_email(request.email);
  proto.set_password(request.password);
  proto.set_client_address(request.client_address);
  return proto;
}

LoginRequest FromProto(const v1::LoginRequest& request) {
  return {request.email(), request.password(), request.client_address()};
}

v1::AcceptInviteRequest ToProto(const AcceptInviteRequest& request) {
  v1::AcceptInviteRequest proto;
  proto.set_token(request.token);
  proto.set_user_id(request.user_id);
  proto.set_name(request.name);
  proto.set_password(request.password);
  return proto;
}

AcceptInviteRequest FromProto(const v1::AcceptInviteRequest& request) {
  return {request.token(), request.user_id(), request.name(), request.password()};
}

v1::AcceptedInvite ToProto(const AcceptedInvite& accepted) {
  v1::AcceptedInvite proto;
  proto.set_org_id(accepted.org_id);
  proto.set_role(ToProto(accepted.role));
  if (accepted.created_user) *proto.mutable_created_user() = ToProto(*accepted.created_user);
  if (accepted.tokens) *proto.mutable_tokens() = ToProto(*accepted.tokens);
  return proto;
}

absl::StatusOr<AcceptedInvite> FromProto(const v1::AcceptedInvite& accepted) {
  auto role = FromProto(accepted.role(), "role");
  if (!role.ok()) return role.status();
  AcceptedInvite result{accepted.org_id(), *role, std::nullopt, std::nullopt};
  if (accepted.has_created_user()) result.created_user = FromProto(accepted.created_user());
  if (accepted.has_tokens()) result.tokens = FromProto(accepted.tokens());
  return result;
}

}  // namespace travio::identity
