#include "services/identity/api/identity_events.h"

#include <nlohmann/json.hpp>

#include "platform/events/json_payload.h"

namespace travio::identity {
namespace {

using events::ReadJsonPayload;
using nlohmann::json;

absl::StatusOr<Role> RoleAt(const json& in, const char* key) {
  const auto role = ParseRole(in.at(key).get<std::string>());
  if (!role) return events::InvalidPayload("identity", "unknown role");
  return *role;
}

std::string Text(const json& in, const char* key) { return in.at(key).get<std::string>(); }

}  // namespace

std::string EncodeUserRegistered(const UserRegistered& event) {
  return json{{"user_id", event.user_id}}.dump();
}
absl::StatusOr<UserRegistered> DecodeUserRegistered(std::string_view payload) {
  return ReadJsonPayload<UserRegistered>("user", payload, [](const json& in) {
    return absl::StatusOr<UserRegistered>(UserRegistered{.user_id = Text(in, "user_id")});
  });
}

std::string EncodeLoginThrottled(const LoginThrottled& event) {
  return json{{"user_id", event.user_id}, {"client_address", event.client_address}}.dump();
}
absl::StatusOr<LoginThrottled> DecodeLoginThrottled(std::string_view payload) {
  return ReadJsonPayload<LoginThrottled>("login", payload, [](const json& in) {
    return absl::StatusOr<LoginThrottled>(LoginThrottled{
        .user_id = Text(in, "user_id"), .client_address = Text(in, "client_address")});
  });
}

std::string EncodeSessionChanged(const SessionChanged& event) {
  return json{{"user_id", event.user_id}, {"session_id", event.session_id}}.dump();
}
absl::StatusOr<SessionChanged> DecodeSessionChanged(std::string_view payload) {
  return ReadJsonPayload<SessionChanged>("session", payload, [](const json& in) {
    return absl::StatusOr<SessionChanged>(
        SessionChanged{.user_id = Text(in, "user_id"), .session_id = Text(in, "session_id")});
  });
}

std::string EncodeOrgCreated(const OrgCreated& event) {
  return json{{"actor_user_id", event.actor_user_id}, {"name", event.name}, {"slug", event.slug}}
      .dump();
}
absl::StatusOr<OrgCreated> DecodeOrgCreated(std::string_view payload) {
  return ReadJsonPayload<OrgCreated>("organization", payload, [](const json& in) {
    return absl::StatusOr<OrgCreated>(OrgCreated{.actor_user_id = Text(in, "actor_user_id"),
                                                 .name = Text(in, "name"),
                                                 .slug = Text(in, "slug")});
  });
}

std::string EncodeInviteCreated(const InviteCreated& event) {
  return json{{"actor_user_id", event.actor_user_id},
              {"invite_id", event.invite_id},
              {"email", event.email},
              {"role", RoleName(event.role)}}
      .dump();
}
absl::StatusOr<InviteCreated> DecodeInviteCreated(std::string_view payload) {
  return ReadJsonPayload<InviteCreated>(
      "invite", payload, [](const json& in) -> absl::StatusOr<InviteCreated> {
        absl::StatusOr<Role> role = RoleAt(in, "role");
        if (!role.ok()) return role.status();
        return InviteCreated{.actor_user_id = Text(in, "actor_user_id"),
                             .invite_id = Text(in, "invite_id"),
                             .email = Text(in, "email"),
                             .role = *role};
      });
}

std::string EncodeInviteChanged(const InviteChanged& event) {
  return json{{"actor_user_id", event.actor_user_id}, {"invite_id", event.invite_id}}.dump();
}
absl::StatusOr<InviteChanged> DecodeInviteChanged(std::string_view payload) {
  return ReadJsonPayload<InviteChanged>("invite", payload, [](const json& in) {
    return absl::StatusOr<InviteChanged>(InviteChanged{.actor_user_id = Text(in, "actor_user_id"),
                                                       .invite_id = Text(in, "invite_id")});
  });
}

std::string EncodeInviteAccepted(const InviteAccepted& event) {
  return json{{"user_id", event.user_id},
              {"invite_id", event.invite_id},
              {"role", RoleName(event.role)},
              {"new_account", event.new_account}}
      .dump();
}
absl::StatusOr<InviteAccepted> DecodeInviteAccepted(std::string_view payload) {
  return ReadJsonPayload<InviteAccepted>(
      "invite", payload, [](const json& in) -> absl::StatusOr<InviteAccepted> {
        absl::StatusOr<Role> role = RoleAt(in, "role");
        if (!role.ok()) return role.status();
        return InviteAccepted{.user_id = Text(in, "user_id"),
                              .invite_id = Text(in, "invite_id"),
                              .role = *role,
                              .new_account = in.at("new_account").get<bool>()};
      });
}

std::string EncodeMemberRoleChanged(const MemberRoleChanged& event) {
  return json{{"actor_user_id", event.actor_user_id},
              {"user_id", event.user_id},
              {"from", RoleName(event.from)},
              {"to", RoleName(event.to)}}
      .dump();
}
absl::StatusOr<MemberRoleChanged> DecodeMemberRoleChanged(std::string_view payload) {
  return ReadJsonPayload<MemberRoleChanged>(
      "member", payload, [](const json& in) -> absl::StatusOr<MemberRoleChanged> {
        absl::StatusOr<Role> from = RoleAt(in, "from");
        absl::StatusOr<Role> to = RoleAt(in, "to");
        if (!from.ok()) return from.status();
        if (!to.ok()) return to.status();
        return MemberRoleChanged{.actor_user_id = Text(in, "actor_user_id"),
                                 .user_id = Text(in, "user_id"),
                                 .from = *from,
                                 .to = *to};
      });
}

std::string EncodeMemberRemoved(const MemberRemoved& event) {
  return json{{"actor_user_id", event.actor_user_id},
              {"user_id", event.user_id},
              {"role", RoleName(event.role)}}
      .dump();
}
absl::StatusOr<MemberRemoved> DecodeMemberRemoved(std::string_view payload) {
  return ReadJsonPayload<MemberRemoved>(
      "member", payload, [](const json& in) -> absl::StatusOr<MemberRemoved> {
        absl::StatusOr<Role> role = RoleAt(in, "role");
        if (!role.ok()) return role.status();
        return MemberRemoved{.actor_user_id = Text(in, "actor_user_id"),
                             .user_id = Text(in, "user_id"),
                             .role = *role};
      });
}

std::string EncodeSigningKeyAdded(const SigningKeyAdded& event) {
  return json{{"kid", event.kid}, {"signing", event.signing}}.dump();
}
absl::StatusOr<SigningKeyAdded> DecodeSigningKeyAdded(std::string_view payload) {
  return ReadJsonPayload<SigningKeyAdded>("key", payload, [](const json& in) {
    return absl::StatusOr<SigningKeyAdded>(
        SigningKeyAdded{.kid = Text(in, "kid"), .signing = in.at("signing").get<bool>()});
  });
}

}  // namespace travio::identity
