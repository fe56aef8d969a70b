#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace travio::config {

enum class KeyType { kString, kInt, kBool, kDuration };

/// One configuration key: its dotted name (`http.addr`), type, default and a one-line
/// description that `travio config print` and docs/configuration show.
struct KeySpec {
  std::string name;
  KeyType type = KeyType::kString;
  std::string default_value;
  std::string description;
  /// Redacted when printed (passwords, DSNs, key material).
  bool secret = false;
  /// When not empty, the only values accepted.
  std::vector<std::string> allowed = {};
  /// Inclusive bounds: the value for kInt, milliseconds for kDuration.
  std::optional<int64_t> min = std::nullopt;
  std::optional<int64_t> max = std::nullopt;
};

/// Every key the binary understands. Modules add their section's keys at registration, so one
/// config file can configure every process of a deployment.
class Schema {
 public:
  /// Fails when the name is taken or malformed, or the default does not fit the type.
  absl::Status Add(KeySpec spec);
  const KeySpec* Find(const std::string& name) const;
  const std::map<std::string, KeySpec>& keys() const { return keys_; }

  /// The environment variable that overrides `name`: `inventory.hold_ttl` ->
  /// `TRAVIO_INVENTORY_HOLD_TTL`.
  static std::string EnvironmentName(const std::string& name);

 private:
  std::map<std::string, KeySpec> keys_;
};

/// Checks `value` against the key's type, allowed values and bounds.
absl::Status ValidateValue(const KeySpec& spec, const std::string& value);

}  // namespace travio::config
