#pragma once

#include <memory>

#include "absl/status/status.h"
#include "platform/http/router.h"
#include "services/audit/api/audit_client.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/gateway/security/queue_guard.h"
#include "services/gateway/security/secure_routes.h"
#include "services/identity/api/identity_client.h"

namespace travio::gateway {

/// The "Identity and organizations" routes of api.md and the public key documents under
/// /.well-known, each declared with its policy. `/.well-known/travio-keys` publishes the queue's
/// keys too (`"use":"queue"`, from `queue_guard`) beside the access-token keys
/// (`"use":"access"`).
absl::Status AddIdentityRoutes(SecureRoutes& routes, http::Router& router,
                               Authenticator& authenticator,
                               std::shared_ptr<identity::IdentityClient> identity,
                               std::shared_ptr<QueueGuard> queue_guard,
                               std::shared_ptr<fulfillment::FulfillmentClient> tickets,
                               std::shared_ptr<audit::AuditClient> audit = nullptr);

}  // namespace travio::gateway
