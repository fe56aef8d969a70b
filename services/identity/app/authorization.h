#pragma once

#include "absl/status/statusor.h"
#include "services/identity/app/ports.h"

namespace travio::identity {

/// The actor's role as stored now, not as the caller claimed it, provided it holds `needed`:
/// a role changed between the gateway's check and this transaction is honoured.
/// kNotFound `org_not_found` for a non-member, kPermissionDenied `forbidden` otherwise.
absl::StatusOr<Role> CurrentRole(IdentityUnit& unit, const Actor& actor, Permission needed);

}  // namespace travio::identity
