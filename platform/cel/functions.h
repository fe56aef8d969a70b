#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "platform/cel/type.h"
#include "platform/cel/value.h"

namespace travio::cel {

struct Expr;

/// What a function's implementation may see of the call besides its arguments.
struct CallContext {
  const Expr& call;
  /// The zone of timestamp accessors called without one (UTC unless the caller chose another).
  const absl::TimeZone& time_zone;
  /// Work done beyond one step, added to the evaluation's cost (long concatenations, regexes).
  int64_t& cost;
  /// The evaluation's budget: work that would pass it is refused before it is done.
  int64_t max_cost;

  /// Charges `work` up front; false when it passes the budget (the evaluation then fails on
  /// its cost, and the function returns without doing the work).
  bool Charge(int64_t work) {
    cost += work;
    return cost <= max_cost;
  }
  /// What is left of the budget, the bound of a walk whose cost is not yet known.
  int64_t Remaining() const { return std::max<int64_t>(0, max_cost - cost); }
};

/// A function's implementation: arguments in order (a member call's receiver first). Errors are
/// returned as error values.
using Implementation = Value (*)(std::span<const Value> args, CallContext& context);

/// One signature of a function, used by both the checker (the types) and the evaluator (the
/// implementation, chosen by the kinds of the argument values).
struct Overload {
  std::string function;
  bool member = false;
  std::vector<Type> params;  // the receiver first for member functions
  Type result;
  /// Null for the operators the evaluator runs itself (`&&`, `||`, `?:`,
  /// `@not_strictly_false`): they see errors instead of propagating them.
  Implementation implementation = nullptr;

  /// Whether a value of this kind can be passed where `params[index]` is expected.
  bool Accepts(size_t index, const Value& value) const;
};

/// Every function an expression can call, by name. Built once and shared by the programs
/// compiled against it.
class FunctionRegistry {
 public:
  void Add(Overload overload);
  /// Overloads of `function` called as a member (`x.f()`) or globally (`f(x)`) with `arity`
  /// arguments, counting a receiver.
  std::vector<const Overload*> Find(absl::string_view function, bool member, size_t arity) const;
  bool Has(absl::string_view function) const;

 private:
  std::map<std::string, std::vector<Overload>, std::less<>> overloads_;
};

/// The first of `overloads` that accepts the kinds of `args`, or nullptr.
const Overload* ChooseOverload(const std::vector<const Overload*>& overloads,
                               std::span<const Value> args);

/// Whether a value of this kind can be passed where `type` is expected (dyn and type
/// parameters take anything; an object is a map).
bool Fits(const Type& type, const Value& value);

/// CEL's standard library: operators, size, strings, regexes, conversions, timestamps and
/// durations (see docs/architecture.md for what is and is not in it).
std::shared_ptr<const FunctionRegistry> StandardLibrary();

/// The kinds of values, as type names: "(int, double)" in no-matching-overload messages.
std::string DescribeArguments(std::span<const Value> args, bool member);

}  // namespace travio::cel
