#include "platform/config/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace travio::config {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Suggestion(const Schema& schema, const std::string& unknown) {
  std::string best;
  size_t best_distance = 4;  // farther than this is not a typo
  for (const auto& [name, spec] : schema.keys()) {
    const size_t distance = EditDistance(unknown, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  return best.empty() ? "" : absl::StrCat(" (did you mean ", best, "?)");
}

absl::Status Flatten(const YAML::Node& node, const std::string& prefix, const std::string& file,
                     std::map<std::string, std::string>& out) {
  if (node.IsMap()) {
    for (const auto& item : node) {
      const std::string key = item.first.as<std::string>();
      auto status = Flatten(item.second, prefix.empty() ? key : prefix + "." + key, file, out);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }
  if (node.IsScalar()) {
    out[prefix] = node.Scalar();
    return absl::OkStatus();
  }
  if (node.IsNull()) {
    out[prefix] = "";
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(file, ": ", prefix, ": expected a single value, not a list"));
}

}  // namespace

absl::StatusOr<Config> Config::Load(const Schema& schema, const Sources& sources) {
  Config config;
  config.schema_ = &schema;
  for (const auto& [name, spec] : schema.keys()) {
    config.values_[name] = {spec.default_value, "default"};
  }
  auto set = [&](const std::string& key, const std::string& value,
                 const std::string& origin) -> absl::Status {
    const KeySpec* spec = schema.Find(key);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": unknown config key \"", key, "\"", Suggestion(schema, key)));
    }
    if (auto status = ValidateValue(*spec, value); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": ", status.message()));
    }
    config.values_[key] = {value, origin};
    return absl::OkStatus();
  };

  for (const std::string& file : sources.files) {
    std::map<std::string, std::string> flat;
    try {
      std::ifstream in(file);
      if (!in) return absl::NotFoundError(absl::StrCat("cannot read config file ", file));
      const YAML::Node root = YAML::Load(in);
      if (!root.IsNull()) {
        if (!root.IsMap()) {
          return absl::InvalidArgumentError(absl::StrCat(file, ": expected a mapping of keys"));
        }
        if (auto status = Flatten(root, "", file, flat); !status.ok()) return status;
      }
    } catch (const YAML::Exception& e) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": ", e.what()));
    }
    for (const auto& [key, value] : flat) {
      if (auto status = set(key, value, "file " + file); !status.ok()) return status;
    }
  }

  std::map<std::string, std::string> by_env_name;
  for (const auto& [name, spec] : schema.keys()) by_env_name[Schema::EnvironmentName(name)] = name;
  for (const std::string& entry : sources.environment) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (!absl::StartsWith(kv.first, "TRAVIO_") || absl::StartsWith(kv.first, "TRAVIO_TEST_")) {
      continue;
    }
    auto it = by_env_name.find(kv.first);
    if (it == by_env_name.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "environment: unknown variable ", kv.first,
          " (every TRAVIO_* variable must name a config key; see travio config print)"));
    }
    if (auto status = set(it->second, kv.second, "env " + kv.first); !status.ok()) return status;
  }

  for (const auto& [key, value] : sources.flags) {
    if (auto status = set(key, value, "flag"); !status.ok()) return status;
  }
  return config;
}

const Config::Entry& Config::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) {
    // Reading an undeclared key is a programming error, caught by any test that loads it.
    std::fprintf(stderr, "config key %s is not declared\n", key.c_str());
    std::abort();
  }
  return it->second;
}

const std::string& Config::String(const std::string& key) const { return Get(key).value; }

int64_t Config::Int(const std::string& key) const {
  int64_t value = 0;
  (void)absl::SimpleAtoi(Get(key).value, &value);  // validated at load
  return value;
}

bool Config::Bool(const std::string& key) const { return Get(key).value == "true"; }

absl::Duration Config::Duration(const std::string& key) const {
  absl::Duration value;
  (void)absl::ParseDuration(Get(key).value, &value);  // validated at load
  return value;
}

const std::string& Config::Origin(const std::string& key) const { return Get(key).origin; }

std::string Config::Print() const {
  // Keys are sorted, so keys of one section are adjacent; nesting follows the dotted names.
  std::ostringstream out;
  std::vector<std::string> open;  // the sections currently open
  for (const auto& [name, spec] : schema_->keys()) {
    std::vector<std::string> parts = absl::StrSplit(name, '.');
    size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) {
      ++common;
    }
    open.resize(common);
    for (size_t i = common; i + 1 < parts.size(); ++i) {
      out << std::string(2 * i, ' ') << parts[i] << ":\n";
      open.push_back(parts[i]);
    }
    const Entry& entry = values_.at(name);
    const std::string indent(2 * (parts.size() - 1), ' ');
    std::string shown = entry.value;
    if (spec.secret && !shown.empty()) shown = "<redacted>";
    YAML::Emitter quoted;
    quoted << YAML::DoubleQuoted << shown;
    out << indent << "# " << spec.description;
    if (spec.min || spec.max) {
      const char* unit = spec.type == KeyType::kDuration ? "ms" : "";
      out << " [" << (spec.min ? std::to_string(*spec.min) + unit : "") << ".."
          << (spec.max ? std::to_string(*spec.max) + unit : "") << "]";
    }
    out << "\n";
    out << indent << parts.back() << ": " << quoted.c_str();
    if (entry.origin != "default") out << "  # from " << entry.origin;
    out << "\n";
  }
  return out.str();
}

}  // namespace travio::config
