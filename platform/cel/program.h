#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/cel/ast.h"
#include "platform/cel/functions.h"
#include "platform/cel/source.h"
#include "platform/cel/type.h"
#include "platform/cel/value.h"

namespace travio::cel {

/// What one expression may cost. Each is reported as a clear error when exceeded.
struct Limits {
  size_t max_length = 16384;       // bytes of source
  int max_depth = 100;             // levels of the syntax tree
  int64_t max_iterations = 10000;  // comprehension steps per evaluation, all macros together
  int64_t max_cost = 100000;       // steps per evaluation: one per node evaluated, plus work
                                   // proportional to long strings, lists, maps and regexes
  /// Regex patterns (`matches`) and time-zone names (the timestamp accessors) must be literals
  /// (after constant folding), checked when compiled: nothing outside the expression's text can
  /// make the evaluator compile a pattern or look up a zone (each kept in caches, and costly).
  bool literal_patterns_only = false;
};

/// The values of the variables for one evaluation, by name.
using Activation = absl::flat_hash_map<std::string, Value>;

struct EvaluationOptions {
  /// The zone of timestamp accessors called without one. The specification says UTC; an
  /// application may choose the zone its users think in (a rule's boarding station).
  absl::TimeZone time_zone = absl::UTCTimeZone();
  /// When set, the steps the evaluation took are added to it (a caller's budget across many
  /// evaluations).
  int64_t* cost = nullptr;
};

/// A compiled expression: parsed, checked and ready to be evaluated any number of times, from
/// any number of threads at once.
class Program {
 public:
  Program(std::unique_ptr<Expr> root, std::shared_ptr<const Source> source,
          std::shared_ptr<const FunctionRegistry> functions, Limits limits);
  ~Program();

  /// The expression's value. An evaluation error (division by zero, overflow, a missing key)
  /// is kInvalidArgument with its place ("1:7: division by zero"); exceeding the iteration or
  /// cost budget is kResourceExhausted.
  absl::StatusOr<Value> Evaluate(const Activation& activation,
                                 const EvaluationOptions& options = {}) const;

  /// The compiled syntax tree, for tools that inspect what an expression reads.
  const Expr* root() const { return root_.get(); }
  /// The type the checker found (dyn when unchecked).
  const Type& type() const { return root_->type; }
  const std::string& text() const { return source_->text(); }

 private:
  std::unique_ptr<Expr> root_;
  std::shared_ptr<const Source> source_;
  std::shared_ptr<const FunctionRegistry> functions_;
  Limits limits_;
};

struct Compilation {
  std::shared_ptr<const Program> program;  // null when there are issues
  std::vector<Issue> issues;

  bool ok() const { return program != nullptr; }
  /// Every issue as "line:column: message", one per line.
  std::string ErrorText() const;
};

struct CompileOptions {
  Limits limits;
  /// Type-check against the declared variables; off, names are looked up when evaluated (the
  /// conformance suite's `disable_check` cases).
  bool check = true;
  bool macros = true;
  /// When set, the expression must have this type (or dyn, checked when evaluated).
  std::optional<Type> result;
};

/// The variables an expression may name and the functions it may call.
class Env {
 public:
  Env();
  explicit Env(std::shared_ptr<const FunctionRegistry> functions);

  Env& Declare(std::string name, Type type);
  const std::map<std::string, Type>& variables() const { return variables_; }

  Compilation Compile(absl::string_view expression, const CompileOptions& options = {}) const;

 private:
  std::shared_ptr<const FunctionRegistry> functions_;
  std::map<std::string, Type> variables_;
};

}  // namespace travio::cel
