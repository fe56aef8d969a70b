#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/module/module.h"

namespace travio::module {

/// The one list of modules the binary knows, filled explicitly in cmd/travio/modules.cc.
class Registry {
 public:
  /// Fails on a duplicate name.
  absl::Status Add(ModuleSpec spec);

  /// Checks that every dependency and call names a registered module and that dependencies
  /// have no cycle. Run once after registration.
  absl::Status Validate() const;

  /// The modules to run for a `--target` value ("all", or comma-separated names), with their
  /// dependencies added transitively, in start order: dependencies first, then callees before
  /// callers among the modules present.
  absl::StatusOr<std::vector<const ModuleSpec*>> Resolve(const std::string& target) const;

  /// Every module's own dependencies, transitively closed, sorted by name.
  std::vector<std::string> TransitiveDependencies(const std::string& name) const;

  const std::map<std::string, ModuleSpec>& specs() const { return specs_; }

 private:
  std::map<std::string, ModuleSpec> specs_;
};

}  // namespace travio::module
