#include "platform/module/registry.h"

#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace travio::module {

absl::Status Registry::Add(ModuleSpec spec) {
  if (spec.name.empty() || spec.name == "all") {
    return absl::InvalidArgumentError(absl::StrCat("invalid module name \"", spec.name, "\""));
  }
  if (specs_.count(spec.name)) {
    return absl::AlreadyExistsError(absl::StrCat("module ", spec.name, " registered twice"));
  }
  // Calls to a service go to its configured peer through this client: one made for another
  // service would send them to the wrong interface.
  if (!spec.remote_client.empty() && spec.remote_client.service() != spec.name) {
    return absl::InvalidArgumentError(absl::StrCat("module ", spec.name,
                                                   " names the remote client of service ",
                                                   spec.remote_client.service()));
  }
  const std::string name = spec.name;
  specs_.emplace(name, std::move(spec));
  return absl::OkStatus();
}

absl::Status Registry::Validate() const {
  for (const auto& [name, spec] : specs_) {
    for (const auto& list : {spec.dependencies, spec.calls}) {
      for (const std::string& other : list) {
        if (!specs_.count(other)) {
          return absl::InvalidArgumentError(
              absl::StrCat("module ", name, " refers to unknown module ", other));
        }
      }
    }
  }
  // A dependency cycle could never start; detect it with a depth-first walk.
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::function<absl::Status(const std::string&)> visit = [&](const std::string& name) {
    if (state[name] == 1) {
      return absl::InvalidArgumentError(absl::StrCat("dependency cycle through ", name));
    }
    if (state[name] == 2) return absl::OkStatus();
    state[name] = 1;
    for (const std::string& dependency : specs_.at(name).dependencies) {
      if (auto status = visit(dependency); !status.ok()) return status;
    }
    state[name] = 2;
    return absl::OkStatus();
  };
  for (const auto& [name, spec] : specs_) {
    if (auto status = visit(name); !status.ok()) return status;
  }
  return absl::OkStatus();
}

std::vector<std::string> Registry::TransitiveDependencies(const std::string& name) const {
  std::set<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& current) {
    for (const std::string& dependency : specs_.at(current).dependencies) {
      if (seen.insert(dependency).second) visit(dependency);
    }
  };
  visit(name);
  return {seen.begin(), seen.end()};
}

absl::StatusOr<std::vector<const ModuleSpec*>> Registry::Resolve(const std::string& target) const {
  std::set<std::string> wanted;
  for (absl::string_view part : absl::StrSplit(target, ',', absl::SkipWhitespace())) {
    const std::string name(absl::StripAsciiWhitespace(part));
    if (name == "all") {
      for (const auto& [module, spec] : specs_) wanted.insert(module);
      continue;
    }
    if (!specs_.count(name)) {
      std::vector<std::string> known;
      for (const auto& [module, spec] : specs_) known.push_back(module);
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown target \"", name, "\"; targets are all, ", absl::StrJoin(known, ", ")));
    }
    wanted.insert(name);
    for (const std::string& dependency : TransitiveDependencies(name)) wanted.insert(dependency);
  }
  if (wanted.empty()) return absl::InvalidArgumentError("no target given");

  // Order: hard dependencies first; among modules present, callees before callers, so a
  // caller's factory finds its callee's local client exported. In a call cycle the later
  // module's Bind fails with a clear error rather than getting a half-built callee.
  std::vector<const ModuleSpec*> order;
  std::map<std::string, int> state;
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (state[name] != 0) return;
    state[name] = 1;
    const ModuleSpec& spec = specs_.at(name);
    for (const std::string& dependency : spec.dependencies) visit(dependency);
    for (const std::string& callee : spec.calls) {
      if (wanted.count(callee)) visit(callee);
    }
    state[name] = 2;
    order.push_back(&spec);
  };
  for (const std::string& name : wanted) visit(name);
  return order;
}

}  // namespace travio::module
