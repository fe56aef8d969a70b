#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "services/gateway/security/caller.h"

namespace travio::gateway {

/// What the OpenAPI document says about one operation besides what the route table already
/// knows (method, path, policy).
struct OperationDoc {
  std::string summary;
  std::string tag;
  /// JSON Schema of the request body; null for none.
  nlohmann::json request = nullptr;
  int success_status = 200;
  /// JSON Schema of the success body; null for none (204).
  nlohmann::json response = nullptr;
  /// Error statuses beyond the ones the policy implies (401, 403, 404 for org routes).
  std::vector<int> errors;
  /// A list taking `?limit=` and `?cursor=`.
  bool paginated = false;
};

/// Builds the OpenAPI 3.1 document served at /openapi.json from the gateway's route table, so
/// the document cannot forget a route or misstate who may call it.
class OpenApiDocument {
 public:
  void Add(const std::string& method, const std::string& pattern, const RoutePolicy& policy,
           const OperationDoc& doc);
  /// Routes served outside the table (the /.well-known key documents).
  void AddPlain(const std::string& method, const std::string& pattern, const OperationDoc& doc);
  nlohmann::json Build() const;

 private:
  nlohmann::json paths_ = nlohmann::json::object();
};

/// Schemas shared by operations, referenced as {"$ref": "#/components/schemas/<name>"}.
nlohmann::json SchemaRef(const std::string& name);

}  // namespace travio::gateway
