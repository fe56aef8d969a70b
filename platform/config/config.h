#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/config/schema.h"

namespace travio::config {

/// Where the values come from, lowest precedence first: defaults, YAML files in order,
/// `TRAVIO_*` environment variables, then command-line settings.
struct Sources {
  std::vector<std::string> files;
  /// The process environment as NAME=VALUE entries (usually `environ`).
  std::vector<std::string> environment;
  /// Settings from flags, keyed by config key.
  std::map<std::string, std::string> flags;
};

/// The effective configuration. Immutable once loaded.
class Config {
 public:
  /// Loads and validates everything. Unknown keys in files or `TRAVIO_*` variables, values of
  /// the wrong type, and unreadable files are errors that name the offender (and the key
  /// probably meant, for a typo). Variables starting with TRAVIO_TEST_ are left to tests.
  static absl::StatusOr<Config> Load(const Schema& schema, const Sources& sources);

  /// Typed accessors. The key must be declared in the schema (a programming error otherwise).
  const std::string& String(const std::string& key) const;
  int64_t Int(const std::string& key) const;
  bool Bool(const std::string& key) const;
  absl::Duration Duration(const std::string& key) const;

  /// Where the effective value of `key` came from: "default", "file <path>", "env <NAME>" or
  /// "flag".
  const std::string& Origin(const std::string& key) const;

  /// The effective configuration as YAML with each key's description, secrets redacted.
  std::string Print() const;

  const Schema& schema() const { return *schema_; }

 private:
  struct Entry {
    std::string value;
    std::string origin;
  };
  const Entry& Get(const std::string& key) const;

  const Schema* schema_ = nullptr;
  std::map<std::string, Entry> values_;
};

}  // namespace travio::config
