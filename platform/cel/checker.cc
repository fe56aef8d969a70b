#include "platform/cel/checker.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace travio::cel {
namespace {

// The largest type an expression may have; a pricing rule's types are a few nodes each.
constexpr int kMaxTypeNodes = 256;

using Substitution = std::map<std::string, Type>;

// An object is a map with string keys as far as the functions are concerned.
Type AsMap(const Type& type) {
  return type.kind() == Type::Kind::kObject ? Type::Map(Type::String(), Type::Dyn()) : type;
}

bool Bind(const Type& param, const Type& arg, Substitution& substitution) {
  if (param.kind() == Type::Kind::kTypeParam) {
    auto bound = substitution.find(param.name());
    if (bound == substitution.end()) {
      substitution.emplace(param.name(), arg);
      return true;
    }
    Type known = bound->second;
    if (Bind(known, arg, substitution)) return true;
    if (Bind(arg, known, substitution)) {
      substitution[param.name()] = arg;
      return true;
    }
    return false;
  }
  if (param.kind() == Type::Kind::kDyn || arg.kind() == Type::Kind::kDyn ||
      arg.kind() == Type::Kind::kError) {
    return true;
  }
  if (param.kind() == Type::Kind::kObject || arg.kind() == Type::Kind::kObject) {
    if (param.kind() == Type::Kind::kObject && arg.kind() == Type::Kind::kObject) {
      return param.name() == arg.name();
    }
    if (param.kind() == Type::Kind::kObject) return false;
    return Bind(param, AsMap(arg), substitution);
  }
  if (param.kind() != arg.kind()) return false;
  // Types are values of one type, whatever type each names: type(1) == type(1u) is false, not
  // a mistake.
  if (param.kind() == Type::Kind::kType) return true;
  for (size_t i = 0; i < param.params().size() && i < arg.params().size(); ++i) {
    if (!Bind(param.params()[i], arg.params()[i], substitution)) return false;
  }
  return true;
}

Type Substitute(const Type& type, const Substitution& substitution) {
  switch (type.kind()) {
    case Type::Kind::kTypeParam: {
      auto bound = substitution.find(type.name());
      return bound == substitution.end() ? Type::Dyn() : bound->second;
    }
    case Type::Kind::kList:
      return Type::List(Substitute(type.params()[0], substitution));
    case Type::Kind::kMap:
      return Type::Map(Substitute(type.params()[0], substitution),
                       Substitute(type.params()[1], substitution));
    case Type::Kind::kType:
      return Type::TypeOf(Substitute(type.params()[0], substitution));
    default:
      return type;
  }
}

// The most specific type both may be used as.
Type Join(const Type& a, const Type& b) {
  if (a == b) return a;
  if (a.kind() == Type::Kind::kError) return b;
  if (b.kind() == Type::Kind::kError) return a;
  if (a.kind() == b.kind() && a.kind() == Type::Kind::kList) {
    return Type::List(Join(a.params()[0], b.params()[0]));
  }
  if (a.kind() == b.kind() && a.kind() == Type::Kind::kMap) {
    return Type::Map(Join(a.params()[0], b.params()[0]), Join(a.params()[1], b.params()[1]));
  }
  return Type::Dyn();
}

std::optional<Type> TypeNamed(const std::string& name) {
  static const std::pair<const char*, Type::Kind> kSimple[] = {
      {"int", Type::Kind::kInt},        {"uint", Type::Kind::kUint},
      {"double", Type::Kind::kDouble},  {"bool", Type::Kind::kBool},
      {"string", Type::Kind::kString},  {"bytes", Type::Kind::kBytes},
      {"null_type", Type::Kind::kNull},
  };
  for (const auto& [simple, kind] : kSimple) {
    if (name != simple) continue;
    switch (kind) {
      case Type::Kind::kInt:
        return Type::TypeOf(Type::Int());
      case Type::Kind::kUint:
        return Type::TypeOf(Type::Uint());
      case Type::Kind::kDouble:
        return Type::TypeOf(Type::Double());
      case Type::Kind::kBool:
        return Type::TypeOf(Type::Bool());
      case Type::Kind::kString:
        return Type::TypeOf(Type::String());
      case Type::Kind::kBytes:
        return Type::TypeOf(Type::Bytes());
      case Type::Kind::kNull:
        return Type::TypeOf(Type::Null());
      default:
        return Type::TypeOf(Type::Dyn());
    }
  }
  if (name == "list") return Type::TypeOf(Type::List(Type::Dyn()));
  if (name == "map") return Type::TypeOf(Type::Map(Type::Dyn(), Type::Dyn()));
  if (name == "type") return Type::TypeOf(Type::TypeOf(Type::Dyn()));
  if (name == "google.protobuf.Timestamp") return Type::TypeOf(Type::Timestamp());
  if (name == "google.protobuf.Duration") return Type::TypeOf(Type::Duration());
  return std::nullopt;
}

bool ValidMapKey(const Type& type) {
  switch (type.kind()) {
    case Type::Kind::kDyn:
    case Type::Kind::kBool:
    case Type::Kind::kInt:
    case Type::Kind::kUint:
    case Type::Kind::kString:
    case Type::Kind::kTypeParam:
    case Type::Kind::kError:
      return true;
    default:
      return false;
  }
}

Type TypeOfConstant(const Value& value) {
  switch (value.kind()) {
    case Kind::kNull:
      return Type::Null();
    case Kind::kBool:
      return Type::Bool();
    case Kind::kInt:
      return Type::Int();
    case Kind::kUint:
      return Type::Uint();
    case Kind::kDouble:
      return Type::Double();
    case Kind::kString:
      return Type::String();
    case Kind::kBytes:
      return Type::Bytes();
    case Kind::kTimestamp:
      return Type::Timestamp();
    case Kind::kDuration:
      return Type::Duration();
    default:
      return Type::Dyn();
  }
}

class Checker {
 public:
  Checker(const std::map<std::string, Type>& variables, const FunctionRegistry& registry,
          const Source& source)
      : variables_(variables), registry_(registry), source_(source) {}

  std::vector<Issue> Run(Expr& root) {
    Visit(root);
    return std::move(issues_);
  }

 private:
  void Report(const Expr& at, std::string message) {
    issues_.push_back(Issue{source_.LocationOf(at.offset), std::move(message)});
  }

  Type Error(const Expr& at, std::string message) {
    Report(at, std::move(message));
    return Type::Error();
  }

  const Type* Local(const std::string& name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }

  void Visit(Expr& expr) {
    expr.type = TypeOf(expr);
    // A type is built from its parts' types, so it can double at every level of nested macros
    // (`{a: a}` over `{b: b}` ...) while the source grows by a few characters: past this size
    // the expression is refused before its type fills memory.
    if (expr.type.Nodes(kMaxTypeNodes) > kMaxTypeNodes) {
      expr.type = Error(expr, "the expression's type is too complex");
    }
  }

  Type TypeOf(Expr& expr) {
    switch (expr.kind) {
      case Expr::Kind::kConstant:
        return TypeOfConstant(expr.constant);
      case Expr::Kind::kIdent:
        return Ident(expr);
      case Expr::Kind::kSelect:
        return Select(expr);
      case Expr::Kind::kCall:
        return Call(expr);
      case Expr::Kind::kList: {
        std::optional<Type> element;
        for (auto& item : expr.args) {
          Visit(*item);
          element = element ? Join(*element, item->type) : item->type;
        }
        return Type::List(element.value_or(Type::Dyn()));
      }
      case Expr::Kind::kMap: {
        std::optional<Type> key;
        std::optional<Type> value;
        for (auto& entry : expr.entries) {
          Visit(*entry.key);
          Visit(*entry.value);
          if (!ValidMapKey(entry.key->type)) {
            Report(*entry.key,
                   absl::StrCat("unsupported map key type: ", entry.key->type.DebugString()));
          }
          key = key ? Join(*key, entry.key->type) : entry.key->type;
          value = value ? Join(*value, entry.value->type) : entry.value->type;
        }
        return Type::Map(key.value_or(Type::Dyn()), value.value_or(Type::Dyn()));
      }
      case Expr::Kind::kComprehension:
        return Comprehension(expr);
    }
    return Type::Dyn();
  }

  Type Ident(const Expr& expr) {
    if (const Type* local = Local(expr.name)) return *local;
    auto variable = variables_.find(expr.name);
    if (variable != variables_.end()) return variable->second;
    if (auto type = TypeNamed(expr.name)) return *type;
    return Error(expr, absl::StrCat("undeclared reference to '", expr.name, "'"));
  }

  Type Select(Expr& expr) {
    Visit(*expr.target);
    const Type& operand = expr.target->type;
    Type field = Type::Dyn();
    switch (operand.kind()) {
      case Type::Kind::kObject:
        if (const Type* known = operand.Field(expr.name)) {
          field = *known;
        } else {
          return Error(expr,
                       absl::StrCat("undefined field '", expr.name, "' of ", operand.name(),
                                    " (it has ", absl::StrJoin(FieldNames(operand), ", "), ")"));
        }
        break;
      case Type::Kind::kMap:
        if (!IsAssignable(operand.params()[0], Type::String())) {
          return Error(expr, absl::StrCat("type '", operand.DebugString(),
                                          "' does not support field selection"));
        }
        field = operand.params()[1];
        break;
      case Type::Kind::kDyn:
      case Type::Kind::kError:
        break;
      default:
        return Error(expr, absl::StrCat("type '", operand.DebugString(),
                                        "' does not support field selection"));
    }
    return expr.test_only ? Type::Bool() : field;
  }

  static std::vector<std::string> FieldNames(const Type& object) {
    std::vector<std::string> names;
    for (const auto& [name, type] : object.fields()) names.push_back(name);
    return names;
  }

  Type Call(Expr& expr) {
    std::vector<Type> args;
    if (expr.target) {
      Visit(*expr.target);
      args.push_back(expr.target->type);
    }
    for (auto& arg : expr.args) {
      Visit(*arg);
      args.push_back(arg->type);
    }
    for (const Type& arg : args) {
      if (arg.kind() == Type::Kind::kError) return Type::Error();
    }
    bool member = expr.target != nullptr;
    if (!registry_.Has(expr.name)) {
      return Error(expr, absl::StrCat("undeclared reference to '", expr.name, "'"));
    }
    std::optional<Type> result;
    for (const Overload* overload : registry_.Find(expr.name, member, args.size())) {
      Substitution substitution;
      bool matches = true;
      for (size_t i = 0; i < args.size() && matches; ++i) {
        matches = Bind(overload->params[i], args[i], substitution);
      }
      if (!matches) continue;
      Type type = Substitute(overload->result, substitution);
      result = result ? (*result == type ? *result : Type::Dyn()) : type;
    }
    if (!result) {
      std::string described = absl::StrJoin(
          args, ", ", [](std::string* out, const Type& type) { out->append(type.DebugString()); });
      if (member) {
        std::string receiver = args[0].DebugString();
        std::vector<Type> rest(args.begin() + 1, args.end());
        described = absl::StrCat(receiver, ".(",
                                 absl::StrJoin(rest, ", ",
                                               [](std::string* out, const Type& type) {
                                                 out->append(type.DebugString());
                                               }),
                                 ")");
        return Error(expr, absl::StrCat("no matching overload for '", expr.name, "' applied to ",
                                        described));
      }
      return Error(expr, absl::StrCat("no matching overload for '", expr.name, "' applied to (",
                                      described, ")"));
    }
    return *result;
  }

  Type Comprehension(Expr& expr) {
    Visit(*expr.iter_range);
    const Type& range = expr.iter_range->type;
    Type element = Type::Dyn();
    switch (range.kind()) {
      case Type::Kind::kList:
      case Type::Kind::kMap:
        element = range.params()[0];
        break;
      case Type::Kind::kObject:
        element = Type::String();
        break;
      case Type::Kind::kDyn:
      case Type::Kind::kError:
        break;
      default:
        Report(*expr.iter_range, absl::StrCat("expression of type '", range.DebugString(),
                                              "' cannot be the range of a comprehension "
                                              "(it must be a list or a map)"));
    }
    Visit(*expr.accu_init);
    scope_.emplace_back(expr.accu_var, expr.accu_init->type);
    scope_.emplace_back(expr.iter_var, element);
    Visit(*expr.loop_condition);
    Visit(*expr.loop_step);
    scope_.pop_back();
    // The accumulator takes the type of what the step makes of it.
    scope_.back().second = Join(expr.accu_init->type, expr.loop_step->type);
    Visit(*expr.result);
    scope_.pop_back();
    return expr.result->type;
  }

  const std::map<std::string, Type>& variables_;
  const FunctionRegistry& registry_;
  const Source& source_;
  std::vector<std::pair<std::string, Type>> scope_;
  std::vector<Issue> issues_;
};

}  // namespace

bool IsAssignable(const Type& to, const Type& from) {
  Substitution substitution;
  return Bind(to, from, substitution);
}

std::vector<Issue> Check(Expr& root, const std::map<std::string, Type>& variables,
                         const FunctionRegistry& registry, const Source& source) {
  return Checker(variables, registry, source).Run(root);
}

}  // namespace travio::cel
