#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/audit/api/audit_client.h"
#include "services/gateway/security/secure_routes.h"
#include "services/identity/api/identity_client.h"

namespace travio::gateway {

/// api.md's "Back office" for audit (owners and admins): the organization's log, newest first,
/// with filters and a cursor, actors and targets by id and name; and its verification.
absl::Status AddAuditRoutes(SecureRoutes& routes, std::shared_ptr<audit::AuditClient> audit,
                            std::shared_ptr<identity::IdentityClient> identity);

}  // namespace travio::gateway
