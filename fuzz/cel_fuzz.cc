// CEL (platform/cel): any text as an expression, compiled against the variables a pricing rule
// sees (checked, or unchecked when the first byte is odd) and evaluated with fixed bindings.
// Beyond "no crash": every issue has a place and a message; an evaluation ends in a value or in
// an evaluation error or an exhausted budget, never anything else; a checked expression whose
// type is concrete evaluates to a value of that type; evaluating twice gives the same answer.
#include <string>

#include "absl/time/time.h"
#include "fuzz/fuzz_keys.h"
#include "platform/cel/functions.h"
#include "platform/cel/program.h"

namespace {

using namespace travio::cel;

Env PricingEnv() {
  Env env;
  env.Declare("price", Type::Int());
  env.Declare("occupancy", Type::Int());
  env.Declare("passengers", Type::Int());
  env.Declare("now", Type::Timestamp());
  env.Declare("trip", Type::Object("trip", {{"id", Type::String()},
                                            {"departure", Type::Timestamp()},
                                            {"hours_to_departure", Type::Int()},
                                            {"bus_class", Type::String()},
                                            {"ac", Type::Bool()}}));
  env.Declare("seat", Type::Map(Type::String(), Type::Dyn()));
  env.Declare("tags", Type::List(Type::String()));
  return env;
}

Activation Bindings() {
  absl::Time departure = absl::FromUnixSeconds(1797000000);
  return Activation{
      {"price", int64_t{120000}},
      {"occupancy", int64_t{73}},
      {"passengers", int64_t{2}},
      {"now", departure - absl::Hours(30)},
      {"trip", Map({{"id", "t1"},
                    {"departure", departure},
                    {"hours_to_departure", int64_t{30}},
                    {"bus_class", "sleeper"},
                    {"ac", true}})},
      {"seat", Map({{"label", "A1"}, {"category", "ladies"}, {"deck", int64_t{1}}})},
      {"tags", List{Value("eid"), Value("weekend")}},
  };
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using travio::fuzz::Violated;
  if (size == 0) return 0;
  static const Env* const env = new Env(PricingEnv());
  static const Activation* const bindings = new Activation(Bindings());
  CompileOptions options;
  options.check = (data[0] & 1) == 0;
  options.limits.max_length = 4096;
  options.limits.max_cost = 20000;
  options.limits.max_iterations = 2000;
  std::string expression(reinterpret_cast<const char*>(data + 1), size - 1);
  Compilation compiled = env->Compile(expression, options);
  if (!compiled.ok()) {
    if (compiled.issues.empty()) Violated("a failed compilation says why");
    for (const Issue& issue : compiled.issues) {
      if (issue.location.line < 1 || issue.location.column < 1 || issue.message.empty()) {
        Violated("an issue has a place and a message");
      }
    }
    return 0;
  }
  absl::StatusOr<Value> first = compiled.program->Evaluate(*bindings);
  absl::StatusOr<Value> second = compiled.program->Evaluate(*bindings);
  if (!first.ok()) {
    auto code = first.status().code();
    if (code != absl::StatusCode::kInvalidArgument &&
        code != absl::StatusCode::kResourceExhausted) {
      Violated("an evaluation fails only as an evaluation error or an exhausted budget");
    }
    if (second.ok() || second.status() != first.status()) Violated("evaluation is repeatable");
    return 0;
  }
  if (!second.ok() || DebugString(*first) != DebugString(*second)) {
    Violated("evaluation is repeatable");
  }
  if (options.check && !Fits(compiled.program->type(), *first)) {
    Violated("a checked expression evaluates to a value of its type");
  }
  return 0;
}
