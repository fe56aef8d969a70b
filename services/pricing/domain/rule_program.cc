#include "services/pricing/domain/rule_program.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::pricing {
namespace {

// Whether `expr` uses the variable `seat` other than as `seat.category` or `seat.deck`.
bool ReadsSeatLabel(const cel::Expr& expr) {
  if (expr.kind == cel::Expr::Kind::kSelect && expr.target &&
      expr.target->kind == cel::Expr::Kind::kIdent && expr.target->name == "seat") {
    return expr.name != "category" && expr.name != "deck";
  }
  if (expr.kind == cel::Expr::Kind::kIdent) return expr.name == "seat";
  const std::vector<const cel::Expr*> children = expr.Children();
  return std::any_of(children.begin(), children.end(),
                     [](const cel::Expr* child) { return ReadsSeatLabel(*child); });
}

}  // namespace

cel::Env RuleEnv() {
  using cel::Type;
  cel::Env env;
  env.Declare("price", Type::Int());
  env.Declare("trip", Type::Object("trip", {{"id", Type::String()},
                                            {"route_id", Type::String()},
                                            {"departure", Type::Timestamp()},
                                            {"hours_to_departure", Type::Int()},
                                            {"bus_class", Type::String()},
                                            {"ac", Type::Bool()}}));
  env.Declare("journey", Type::Object("journey", {{"from", Type::String()},
                                                  {"to", Type::String()},
                                                  {"legs", Type::Int()}}));
  env.Declare("seat", Type::Object("seat", {{"label", Type::String()},
                                            {"category", Type::String()},
                                            {"deck", Type::Int()}}));
  env.Declare("occupancy", Type::Int());
  env.Declare("passengers", Type::Int());
  env.Declare("now", Type::Timestamp());
  return env;
}

absl::StatusOr<CompiledRule> CompileRule(const cel::Env& env, const PricingRule& rule,
                                         const cel::Limits& limits) {
  std::vector<FieldError> errors;
  auto compile = [&](const char* field, const std::string& text,
                     cel::Type result) -> std::shared_ptr<const cel::Program> {
    cel::CompileOptions options;
    options.limits = limits;
    // Rules run on every hold and search: no pattern or zone they did not write out.
    options.limits.literal_patterns_only = true;
    options.result = std::move(result);
    cel::Compilation compiled = env.Compile(text, options);
    for (const cel::Issue& issue : compiled.issues) {
      errors.push_back({field, issue.message, issue.location.line, issue.location.column});
    }
    return compiled.program;
  };
  CompiledRule out;
  out.rule = rule;
  out.when = compile("when", rule.spec.when, cel::Type::Bool());
  out.adjust = compile("adjust", rule.spec.adjust, cel::Type::Int());
  if (!errors.empty()) {
    const FieldError& first = errors.front();
    return WithFieldErrors(
        Error(reasons::kInvalidExpression,
              absl::StrCat("The rule's ", first.field, " expression is not valid at line ",
                           first.line, ", column ", first.column, ": ", first.message)),
        errors);
  }
  out.reads_seat_label = ReadsSeatLabel(*out.when->root()) || ReadsSeatLabel(*out.adjust->root());
  return out;
}

}  // namespace travio::pricing
