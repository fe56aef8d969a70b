#pragma once

// Shared by the CEL unit tests: compile and evaluate in one call.

#include <string>

#include "absl/status/statusor.h"
#include "platform/cel/program.h"

namespace travio::cel::testing {

inline absl::StatusOr<Value> RunCel(const std::string& expression, const Activation& bindings = {},
                                    Env env = Env(), CompileOptions options = {}) {
  for (const auto& [name, value] : bindings) {
    if (!env.variables().contains(name)) env.Declare(name, Type::Dyn());
  }
  Compilation compiled = env.Compile(expression, options);
  if (!compiled.ok()) return absl::InvalidArgumentError(compiled.ErrorText());
  return compiled.program->Evaluate(bindings);
}

// The first compile problem, "line:column: message", or "" when it compiles.
inline std::string CompileError(const std::string& expression, Env env = Env(),
                                CompileOptions options = {}) {
  Compilation compiled = env.Compile(expression, options);
  return compiled.ok() ? "" : FormatIssue(compiled.issues.front());
}

inline Value Map(std::vector<std::pair<Value, Value>> entries) {
  return Value(cel::Map(std::move(entries)));
}

}  // namespace travio::cel::testing
