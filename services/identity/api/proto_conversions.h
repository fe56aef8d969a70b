#pragma once

// Conversions between identity's C++ API (api/identity_client.h) and its proto messages, shared
// by the gRPC service (rpc/identity_grpc_service.cc) and the gRPC client
// (api/grpc_identity_client.cc). Includes generated headers, so only targets that link
// travio_identity_proto include it.
//
// Times cross as unix microseconds, durations as milliseconds. Proto to C++ conversions of
// messages holding an enum fail with kInvalidArgument (the field named in a field error) when
// the enum is unset or unknown; the others cannot fail.

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/identity/api/access.h"
#include "services/identity/api/identity_client.h"
#include "travio/identity/v1/identity_service.pb.h"

namespace travio::identity {

int64_t TimeToProto(absl::Time time);
absl::Time TimeFromProto(int64_t unix_micros);

v1::Role ToProto(Role role);
/// kInvalidArgument naming `field` for ROLE_UNSPECIFIED or an unknown value.
absl::StatusOr<Role> FromProto(v1::Role role, std::string_view field);

v1::InviteStatus ToProto(InviteStatus status);
/// kInvalidArgument naming `field` for INVITE_STATUS_UNSPECIFIED or an unknown value.
absl::StatusOr<InviteStatus> FromProto(v1::InviteStatus status, std::string_view field);

v1::ServerInfo ToProto(const ServerInfo& info);
ServerInfo FromProto(const v1::ServerInfo& info);

v1::TokenSettings ToProto(const TokenSettings& settings);
TokenSettings FromProto(const v1::TokenSettings& settings);

v1::User ToProto(const User& user);
User FromProto(const v1::User& user);

v1::TokenPair ToProto(const TokenPair& tokens);
TokenPair FromProto(const v1::TokenPair& tokens);

v1::Organization ToProto(const Organization& organization);
Organization FromProto(const v1::Organization& organization);

v1::Membership ToProto(const Membership& membership);
absl::StatusOr<Membership> FromProto(const v1::Membership& membership);

v1::Me ToProto(const Me& me);
absl::StatusOr<Me> FromProto(const v1::Me& me);

v1::Member ToProto(const Member& member);
absl::StatusOr<Member> FromProto(const v1::Member& member);

v1::Invite ToProto(const Invite& invite);
absl::StatusOr<Invite> FromProto(const v1::Invite& invite);

/// The actor travels inside requests as their `actor` field; errors name `actor.role`.
v1::Actor ToProto(const Actor& actor);
absl::StatusOr<Actor> FromProto(const v1::Actor& actor);

v1::RegisterRequest ToProto(const RegisterRequest& request);
RegisterRequest FromProto(const v1::RegisterRequest& request);

v1::LoginRequest ToProto(const LoginRequest& request);
LoginRequest FromProto(const v1::LoginRequest& request);

v1::AcceptInviteRequest ToProto(const AcceptInviteRequest& request);
AcceptInviteRequest FromProto(const v1::AcceptInviteRequest& request);

v1::AcceptedInvite ToProto(const AcceptedInvite& accepted);
absl::StatusOr<AcceptedInvite> FromProto(const v1::AcceptedInvite& accepted);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::identity::FromProto;
}  // namespace v1

}  // namespace travio::identity
