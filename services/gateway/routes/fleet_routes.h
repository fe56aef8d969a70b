#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/catalog/api/catalog_client.h"
#include "services/gateway/security/secure_routes.h"
#include "services/identity/api/identity_client.h"
#include "services/operator/api/operator_client.h"

namespace travio::gateway {

/// The "Operator: fleet and staff" routes of api.md: buses, staff, and crew assignments (which
/// the catalog owns, since duties are checked against trip times).
absl::Status AddFleetRoutes(SecureRoutes& routes, std::shared_ptr<fleet::OperatorClient> fleet,
                            std::shared_ptr<catalog::CatalogClient> catalog,
                            std::shared_ptr<identity::IdentityClient> identity);

}  // namespace travio::gateway
