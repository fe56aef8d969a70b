#pragma once

// Small helpers the route tables share: binding handler methods, policies, and the JSON Schema
// shapes their OpenAPI entries use.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "services/gateway/openapi/openapi.h"
#include "services/gateway/security/secure_routes.h"

namespace travio::gateway {

/// A SecureHandler calling `method` on the shared handler object.
template <typename Handlers>
SecureHandler Bind(const std::shared_ptr<Handlers>& handlers,
                   http::Response (Handlers::*method)(http::Request&, const Caller&)) {
  return [handlers, method](http::Request& request, const Caller& caller) {
    return ((*handlers).*method)(request, caller);
  };
}

/// Members of the organization in X-Org-Id (or their only one) whose role holds `permission`.
inline RoutePolicy OrgPolicy(identity::Permission permission) {
  return RoutePolicy{.access = Access::kOrg, .permission = permission};
}

inline nlohmann::json TextSchema(int max_length) {
  return {{"type", "string"}, {"maxLength", max_length}};
}

/// A closed object: the listed properties, `required` among them, nothing else.
inline nlohmann::json ObjectSchema(nlohmann::json properties, std::vector<std::string> required) {
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

/// api.md's list shape, `{"items":[<schema>...],"next_cursor":...}`.
inline nlohmann::json ListSchema(const std::string& schema) {
  return {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", SchemaRef(schema)}}},
            {"next_cursor", {{"type", {"string", "null"}}}}}},
          {"required", {"items", "next_cursor"}}};
}

}  // namespace travio::gateway
