#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/base/errors.h"
#include "platform/http/message.h"

namespace travio::gateway {

/// A station code as the API takes it: 1 to 16 of A-Z, 0-9, '-' and '_'.
bool IsStationCode(const std::string& code);

/// Reads the string fields of a JSON request body and collects every problem at once, so a
/// client sees all its mistakes in one 400: missing required fields, wrong types, values over
/// their length limit, and fields the route does not know.
class JsonBody {
 public:
  /// Parses the body (must be a JSON object); an empty body counts as {} when `may_be_empty`.
  static absl::StatusOr<JsonBody> Parse(const http::Request& request, bool may_be_empty = false);

  /// A required string field of at most `max_bytes`.
  std::string Required(const std::string& name, size_t max_bytes = 256);
  /// An optional string field; empty when absent.
  std::string Optional(const std::string& name, size_t max_bytes = 256);
  bool Has(const std::string& name) const { return body_.contains(name); }
  /// A boolean field; `fallback` when absent.
  bool Bool(const std::string& name, bool fallback);
  std::optional<bool> OptionalBool(const std::string& name);
  /// An integer field in [min, max].
  int64_t Int(const std::string& name, int64_t min, int64_t max);
  std::optional<int64_t> OptionalInt(const std::string& name, int64_t min, int64_t max);
  /// A number field in [min, max].
  double Number(const std::string& name, double min, double max);
  /// An array of at most `max_items` strings of at most `max_bytes` each; empty when absent.
  std::vector<std::string> Strings(const std::string& name, size_t max_items, size_t max_bytes);
  std::optional<std::vector<std::string>> OptionalStrings(const std::string& name, size_t max_items,
                                                          size_t max_bytes);
  /// A field of any JSON type, for the route to read itself; null when absent (an error when
  /// `required`).
  nlohmann::json Raw(const std::string& name, bool required);
  /// Records a problem the route found in a field it read with Raw.
  void AddError(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }

  /// OK, or kInvalidArgument `validation_failed` with every field error. Also refuses fields
  /// nobody asked for.
  absl::Status Finish();

 private:
  explicit JsonBody(nlohmann::json body) : body_(std::move(body)) {}
  std::string Read(const std::string& name, size_t max_bytes, bool required);

  nlohmann::json body_;
  std::vector<std::string> known_;
  std::vector<FieldError> errors_;
};

}  // namespace travio::gateway
