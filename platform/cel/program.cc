#include "platform/cel/program.h"

#include <algorithm>
#include <limits>

#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/cel/checker.h"
#include "platform/cel/conversions.h"
#include "platform/cel/parser.h"
#include "re2/re2.h"

namespace travio::cel {
namespace {

bool IsTypeName(absl::string_view name) {
  static constexpr absl::string_view kNames[] = {"int",
                                                 "uint",
                                                 "double",
                                                 "bool",
                                                 "string",
                                                 "bytes",
                                                 "list",
                                                 "map",
                                                 "null_type",
                                                 "type",
                                                 "google.protobuf.Timestamp",
                                                 "google.protobuf.Duration"};
  for (absl::string_view known : kNames) {
    if (name == known) return true;
  }
  return false;
}

// "a.b.c" when `expr` is a chain of field selections on an identifier.
std::optional<std::string> QualifiedName(const Expr& expr) {
  if (expr.kind == Expr::Kind::kIdent) return expr.name;
  if (expr.kind != Expr::Kind::kSelect || expr.test_only) return std::nullopt;
  auto operand = QualifiedName(*expr.target);
  if (!operand) return std::nullopt;
  return absl::StrCat(*operand, ".", expr.name);
}

// What compiling does besides checking types: qualified type names become identifiers, each
// call finds its candidate overloads, and literal regex patterns are compiled once.
class Preparer {
 public:
  Preparer(const FunctionRegistry& functions, const std::map<std::string, Type>& variables,
           const Source& source)
      : functions_(functions), variables_(variables), source_(source) {}

  std::vector<Issue> Run(Expr& root) {
    Visit(root);
    return std::move(issues_);
  }

 private:
  void Visit(Expr& expr) {
    if (expr.kind == Expr::Kind::kSelect) {
      auto name = QualifiedName(expr);
      if (name && IsTypeName(*name) && !variables_.contains(*name)) {
        int32_t offset = expr.offset;
        expr = std::move(*Expr::Ident(offset, *name));
        return;
      }
      // A variable may have a dotted name ("a.b"): the longest declared prefix of a chain of
      // selections is that variable, and the rest selects from it.
      if (name) {
        std::vector<std::string> parts = absl::StrSplit(*name, '.');
        for (size_t k = parts.size(); k >= 2; --k) {
          std::string prefix = absl::StrJoin(parts.begin(), parts.begin() + k, ".");
          if (!variables_.contains(prefix)) continue;
          Expr* node = &expr;
          for (size_t i = k; i < parts.size(); ++i) node = node->target.get();
          int32_t offset = node->offset;
          *node = std::move(*Expr::Ident(offset, prefix));
          break;
        }
      }
    }
    for (Expr* child : expr.Children()) Visit(*child);
    if (expr.kind != Expr::Kind::kCall) return;
    bool member = expr.target != nullptr;
    expr.overloads = functions_.Find(expr.name, member, expr.args.size() + (member ? 1 : 0));
    if (expr.name == "matches" && !expr.args.empty()) {
      const Expr& pattern = *expr.args.back();
      if (pattern.kind == Expr::Kind::kConstant && pattern.constant.kind() == Kind::kString) {
        RE2::Options options;
        options.set_log_errors(false);
        auto regex = std::make_shared<const RE2>(pattern.constant.string_value(), options);
        if (!regex->ok()) {
          issues_.push_back(Issue{source_.LocationOf(pattern.offset),
                                  absl::StrCat("invalid regular expression: ", regex->error())});
        } else {
          expr.regex = std::move(regex);
        }
      }
    }
  }

  const FunctionRegistry& functions_;
  const std::map<std::string, Type>& variables_;
  const Source& source_;
  std::vector<Issue> issues_;
};

// Evaluates, once when compiling, what does not depend on the variables: lists and maps of
// constants, and calls whose arguments are all constants (every function here is pure), such as
// timestamp('2027-03-18T00:00:00+06:00'). A call that would fail is left to fail when evaluated,
// with its place. Runs after the checker, which has read the types of what it folds.
// A timestamp or duration accessor: `t.getHours()`, `t.getDayOfWeek('Asia/Dhaka')`.
bool IsAccessor(const Expr& expr) {
  return expr.kind == Expr::Kind::kCall && expr.target && absl::StartsWith(expr.name, "get");
}

class Folder {
 public:
  void Run(Expr& root) { Visit(root); }

 private:
  static bool Constant(const Expr* expr) { return expr->kind == Expr::Kind::kConstant; }

  void Visit(Expr& expr) {
    for (Expr* child : expr.Children()) Visit(*child);
    if (expr.kind != Expr::Kind::kList && expr.kind != Expr::Kind::kCall) return;
    // Accessors without a zone read the evaluation's zone: never constants.
    if (expr.kind == Expr::Kind::kCall && (expr.overloads.empty() || IsAccessor(expr))) return;
    // A list's children are its elements; a call's, its receiver and arguments.
    const std::vector<const Expr*> operands = std::as_const(expr).Children();
    if (!std::all_of(operands.begin(), operands.end(), Constant)) return;
    if (expr.kind == Expr::Kind::kList) {
      List list;
      for (const Expr* element : operands) list.push_back(element->constant);
      Replace(expr, Value(std::move(list)));
      return;
    }
    absl::InlinedVector<Value, 4> args;
    for (const Expr* operand : operands) args.push_back(operand->constant);
    const Overload* overload = ChooseOverload(expr.overloads, args);
    // The operators the evaluator runs itself (&&, ||, ?:) are left to it.
    if (overload == nullptr || overload->implementation == nullptr) return;
    // Constants come from the source, so their work is bounded by its length.
    int64_t cost = 0;
    const absl::TimeZone utc = absl::UTCTimeZone();
    CallContext context{expr, utc, cost, std::numeric_limits<int64_t>::max()};
    Value result = overload->implementation(args, context);
    if (!result.is_error()) Replace(expr, std::move(result));
  }

  static void Replace(Expr& expr, Value value) {
    Type type = expr.type;
    int32_t offset = expr.offset;
    expr = std::move(*Expr::Constant(offset, std::move(value)));
    expr.type = std::move(type);
  }
};

// After folding: compiles the patterns folding made constant, and (with
// Limits::literal_patterns_only) refuses patterns and zone names that are not literals, or zone
// names no zone answers to.
std::vector<Issue> LiteralArguments(Expr& root, const Limits& limits, const Source& source) {
  std::vector<Issue> issues;
  std::vector<Expr*> pending = {&root};
  while (!pending.empty()) {
    Expr& expr = *pending.back();
    pending.pop_back();
    for (Expr* child : expr.Children()) pending.push_back(child);
    if (expr.kind != Expr::Kind::kCall || expr.args.empty()) continue;
    const Expr& last = *expr.args.back();
    const bool literal =
        last.kind == Expr::Kind::kConstant && last.constant.kind() == Kind::kString;
    if (expr.name == "matches") {
      if (literal && expr.regex == nullptr) {
        RE2::Options options;
        options.set_log_errors(false);
        auto regex = std::make_shared<const RE2>(last.constant.string_value(), options);
        if (regex->ok()) {
          expr.regex = std::move(regex);
        } else {
          issues.push_back(Issue{source.LocationOf(last.offset),
                                 absl::StrCat("invalid regular expression: ", regex->error())});
        }
      }
      if (!literal && limits.literal_patterns_only) {
        issues.push_back(Issue{source.LocationOf(last.offset),
                               "matches() takes a literal pattern here ('^A[0-9]+$')"});
      }
    } else if (IsAccessor(expr) && limits.literal_patterns_only) {
      if (!literal) {
        issues.push_back(Issue{source.LocationOf(last.offset),
                               "a time zone must be written as a literal ('Asia/Dhaka')"});
      } else if (!ParseTimeZone(last.constant.string_value()).ok()) {
        issues.push_back(
            Issue{source.LocationOf(last.offset),
                  absl::StrCat("unknown time zone \"", last.constant.string_value(), "\"")});
      }
    }
  }
  return issues;
}

class Evaluation {
 public:
  Evaluation(const Activation& activation, const Source& source, const Limits& limits,
             const EvaluationOptions& options)
      : activation_(activation), source_(source), limits_(limits), options_(options) {}

  absl::StatusOr<Value> Run(const Expr& root) {
    Value value = Eval(root);
    if (options_.cost != nullptr) *options_.cost += cost_;
    if (!budget_.ok()) return budget_;
    if (value.is_error()) return value.error();
    return value;
  }

 private:
  Value ErrorAt(const Expr& at, absl::string_view message) {
    Location location = source_.LocationOf(at.offset);
    return Value::Error(absl::InvalidArgumentError(
        absl::StrCat(location.line, ":", location.column, ": ", message)));
  }

  Value Exhausted(absl::Status status) {
    if (budget_.ok()) budget_ = std::move(status);
    return Value::Error(budget_);
  }

  Value OverCost() {
    return Exhausted(absl::ResourceExhaustedError(
        absl::StrCat("evaluation cost exceeded the budget of ", limits_.max_cost, " steps")));
  }

  Value Eval(const Expr& expr) {
    if (!budget_.ok()) return Value::Error(budget_);
    if (++cost_ > limits_.max_cost) return OverCost();
    switch (expr.kind) {
      case Expr::Kind::kConstant:
        return expr.constant;
      case Expr::Kind::kIdent:
        return Ident(expr);
      case Expr::Kind::kSelect:
        return Select(expr);
      case Expr::Kind::kCall:
        return Call(expr);
      case Expr::Kind::kList: {
        List list;
        list.reserve(expr.args.size());
        for (const auto& element : expr.args) {
          Value value = Eval(*element);
          if (value.is_error()) return value;
          list.push_back(std::move(value));
        }
        return list;
      }
      case Expr::Kind::kMap:
        return MakeMap(expr);
      case Expr::Kind::kComprehension:
        return Comprehension(expr);
    }
    return ErrorAt(expr, "unknown expression");
  }

  Value Ident(const Expr& expr) {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->first == expr.name) return it->second;
    }
    auto bound = activation_.find(expr.name);
    if (bound != activation_.end()) return bound->second;
    if (IsTypeName(expr.name)) return TypeValue{expr.name};
    return ErrorAt(expr, absl::StrCat("no value for '", expr.name, "'"));
  }

  Value Select(const Expr& expr) {
    Value operand = Eval(*expr.target);
    if (operand.is_error()) return operand;
    if (operand.kind() != Kind::kMap) {
      return ErrorAt(expr, absl::StrCat("type '", TypeName(operand.kind()),
                                        "' does not support field selection"));
    }
    cost_ += static_cast<int64_t>(operand.map_value().size() / 8);
    const Value* field = operand.map_value().FindField(expr.name);
    if (expr.test_only) return field != nullptr;
    if (field == nullptr) return ErrorAt(expr, absl::StrCat("no such key: '", expr.name, "'"));
    return *field;
  }

  Value MakeMap(const Expr& expr) {
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve(expr.entries.size());
    for (const auto& entry : expr.entries) {
      Value key = Eval(*entry.key);
      if (key.is_error()) return key;
      Value value = Eval(*entry.value);
      if (value.is_error()) return value;
      Kind kind = key.kind();
      if (kind != Kind::kBool && kind != Kind::kInt && kind != Kind::kUint &&
          kind != Kind::kString) {
        return ErrorAt(*entry.key, absl::StrCat("unsupported map key type: ", TypeName(kind)));
      }
      for (const auto& [existing, unused] : entries) {
        if (Equal(existing, key)) {
          return ErrorAt(*entry.key, absl::StrCat("repeated map key ", DebugString(key)));
        }
      }
      entries.emplace_back(std::move(key), std::move(value));
    }
    return Map(std::move(entries));
  }

  Value NoOverload(const Expr& expr, std::span<const Value> args) {
    return ErrorAt(expr, absl::StrCat("no matching overload for '", expr.name, "' applied to ",
                                      DescribeArguments(args, expr.target != nullptr)));
  }

  Value Call(const Expr& expr) {
    if (expr.name == "_&&_" || expr.name == "_||_") return Logical(expr);
    if (expr.name == "_?_:_") {
      Value condition = Eval(*expr.args[0]);
      if (condition.is_error()) return condition;
      if (condition.kind() != Kind::kBool) return NoOverload(expr, {&condition, 1});
      return Eval(*expr.args[condition.bool_value() ? 1 : 2]);
    }
    if (expr.name == "@not_strictly_false") {
      Value value = Eval(*expr.args[0]);
      return value.kind() == Kind::kBool ? value : Value(true);
    }
    absl::InlinedVector<Value, 4> args;
    if (expr.target) {
      args.push_back(Eval(*expr.target));
      if (args.back().is_error()) return args.back();
    }
    for (const auto& arg : expr.args) {
      args.push_back(Eval(*arg));
      if (args.back().is_error()) return args.back();
    }
    const Overload* overload = ChooseOverload(expr.overloads, args);
    if (overload == nullptr) {
      if (expr.overloads.empty()) {
        return ErrorAt(expr, absl::StrCat("no such function '", expr.name, "'"));
      }
      return NoOverload(expr, args);
    }
    CallContext context{expr, options_.time_zone, cost_, limits_.max_cost};
    Value result = overload->implementation(args, context);
    // What the call charged counts at once: it may be the expression's last step.
    if (cost_ > limits_.max_cost) return OverCost();
    if (result.is_error()) return ErrorAt(expr, result.error().message());
    return result;
  }

  // `&&` and `||` are commutative with respect to errors: a side that decides the result
  // wins over an error on the other side, whichever side it is on.
  Value Logical(const Expr& expr) {
    bool decisive = expr.name == "_||_";
    Value left = Eval(*expr.args[0]);
    if (left.kind() == Kind::kBool && left.bool_value() == decisive) return left;
    Value right = Eval(*expr.args[1]);
    if (!budget_.ok()) return Value::Error(budget_);
    if (right.kind() == Kind::kBool && right.bool_value() == decisive) return right;
    if (left.is_error()) return left;
    if (right.is_error()) return right;
    if (left.kind() == Kind::kBool && right.kind() == Kind::kBool) return !decisive;
    Value pair[] = {left, right};
    return NoOverload(expr, pair);
  }

  Value Comprehension(const Expr& expr) {
    Value range = Eval(*expr.iter_range);
    if (range.is_error()) return range;
    std::vector<Value> keys;
    const List* items = nullptr;
    if (range.kind() == Kind::kList) {
      items = &range.list_value();
    } else if (range.kind() == Kind::kMap) {
      for (const auto& [key, unused] : range.map_value().entries()) keys.push_back(key);
      items = &keys;
    } else {
      return ErrorAt(*expr.iter_range, absl::StrCat("cannot iterate over a value of type '",
                                                    TypeName(range.kind()), "'"));
    }
    Value accumulator = Eval(*expr.accu_init);
    size_t accu_index = locals_.size();
    locals_.emplace_back(expr.accu_var, std::move(accumulator));
    size_t iter_index = locals_.size();
    locals_.emplace_back(expr.iter_var, Value());
    for (const Value& item : *items) {
      if (++iterations_ > limits_.max_iterations) {
        locals_.resize(accu_index);
        return Exhausted(absl::ResourceExhaustedError(absl::StrCat(
            "comprehensions exceeded the budget of ", limits_.max_iterations, " iterations")));
      }
      locals_[iter_index].second = item;
      Value go_on = Eval(*expr.loop_condition);
      if (!budget_.ok()) break;
      if (go_on.kind() != Kind::kBool) {
        locals_.resize(accu_index);
        return go_on.is_error() ? go_on : ErrorAt(expr, "loop condition is not a bool");
      }
      if (!go_on.bool_value()) break;
      locals_[accu_index].second = Eval(*expr.loop_step);
    }
    locals_.pop_back();
    Value result = Eval(*expr.result);
    locals_.pop_back();
    return result;
  }

  const Activation& activation_;
  const Source& source_;
  const Limits& limits_;
  const EvaluationOptions& options_;
  std::vector<std::pair<absl::string_view, Value>> locals_;
  int64_t cost_ = 0;
  int64_t iterations_ = 0;
  absl::Status budget_;
};

}  // namespace

Program::Program(std::unique_ptr<Expr> root, std::shared_ptr<const Source> source,
                 std::shared_ptr<const FunctionRegistry> functions, Limits limits)
    : root_(std::move(root)),
      source_(std::move(source)),
      functions_(std::move(functions)),
      limits_(limits) {}

Program::~Program() = default;

absl::StatusOr<Value> Program::Evaluate(const Activation& activation,
                                        const EvaluationOptions& options) const {
  return Evaluation(activation, *source_, limits_, options).Run(*root_);
}

std::string Compilation::ErrorText() const {
  return absl::StrJoin(
      issues, "\n", [](std::string* out, const Issue& issue) { out->append(FormatIssue(issue)); });
}

Env::Env() : Env(StandardLibrary()) {}

Env::Env(std::shared_ptr<const FunctionRegistry> functions) : functions_(std::move(functions)) {}

Env& Env::Declare(std::string name, Type type) {
  variables_[std::move(name)] = std::move(type);
  return *this;
}

Compilation Env::Compile(absl::string_view expression, const CompileOptions& options) const {
  Compilation compilation;
  auto source = std::make_shared<const Source>(expression);
  ParseOptions parse_options{.max_length = options.limits.max_length,
                             .max_depth = options.limits.max_depth,
                             .macros = options.macros};
  ParseResult parsed = Parse(*source, parse_options);
  if (!parsed.issues.empty()) {
    compilation.issues = std::move(parsed.issues);
    return compilation;
  }
  compilation.issues = Preparer(*functions_, variables_, *source).Run(*parsed.expr);
  if (options.check) {
    std::vector<Issue> checked = Check(*parsed.expr, variables_, *functions_, *source);
    compilation.issues.insert(compilation.issues.end(), checked.begin(), checked.end());
    if (compilation.issues.empty() && options.result &&
        !IsAssignable(*options.result, parsed.expr->type)) {
      compilation.issues.push_back(Issue{
          Location{1, 1}, absl::StrCat("expression must be of type ", options.result->DebugString(),
                                       ", not ", parsed.expr->type.DebugString())});
    }
  }
  if (!compilation.issues.empty()) return compilation;
  Folder().Run(*parsed.expr);
  compilation.issues = LiteralArguments(*parsed.expr, options.limits, *source);
  if (!compilation.issues.empty()) return compilation;
  compilation.program = std::make_shared<const Program>(std::move(parsed.expr), std::move(source),
                                                        functions_, options.limits);
  return compilation;
}

}  // namespace travio::cel
