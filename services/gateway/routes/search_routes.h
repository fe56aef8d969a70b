#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/security/secure_routes.h"
#include "services/search/api/search_client.h"

namespace travio::gateway {

/// api.md's "Search (public)": trip search and station lookup.
absl::Status AddSearchRoutes(SecureRoutes& routes, std::shared_ptr<search::SearchClient> search);

}  // namespace travio::gateway
