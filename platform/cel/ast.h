#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "platform/cel/type.h"
#include "platform/cel/value.h"

namespace re2 {
class RE2;
}

namespace travio::cel {

struct Overload;

/// One node of a parsed expression. Operators are calls of their internal names (`_+_`,
/// `_[_]`, `!_`, `@in`, `_?_:_`); the macros (`all`, `exists`, `map`, ...) are expanded by the
/// parser into comprehensions, as the CEL specification defines them.
struct Expr {
  enum class Kind { kConstant, kIdent, kSelect, kCall, kList, kMap, kComprehension };

  struct Entry {
    std::unique_ptr<Expr> key;
    std::unique_ptr<Expr> value;
  };

  Kind kind = Kind::kConstant;
  /// Byte offset into the source of the token the node stands for (an operator's own symbol).
  int32_t offset = 0;
  /// Levels of the tree below and including this node.
  int32_t depth = 1;

  Value constant;                // kConstant
  std::string name;              // kIdent: the name; kSelect: the field; kCall: the function
  bool test_only = false;        // kSelect inside has()
  std::unique_ptr<Expr> target;  // kSelect: the operand; kCall: the receiver of a member call
  std::vector<std::unique_ptr<Expr>> args;  // kCall: arguments; kList: elements
  std::vector<Entry> entries;               // kMap

  // kComprehension: for iter_var in iter_range, starting from accu_var = accu_init, while
  // loop_condition, accu_var = loop_step; then result.
  std::string iter_var;
  std::string accu_var;
  std::unique_ptr<Expr> iter_range;
  std::unique_ptr<Expr> accu_init;
  std::unique_ptr<Expr> loop_condition;
  std::unique_ptr<Expr> loop_step;
  std::unique_ptr<Expr> result;

  // Filled when the expression is compiled.
  Type type = Type::Dyn();
  /// kCall: the overloads of its name, arity and call style, found once when compiled.
  std::vector<const Overload*> overloads;
  /// A `matches` call whose pattern is a literal: the pattern compiled once.
  std::shared_ptr<const re2::RE2> regex;

  /// Every direct child: the receiver or operand, the arguments or elements, the map entries
  /// (key, value), the comprehension's parts. For passes over the tree.
  std::vector<Expr*> Children();
  std::vector<const Expr*> Children() const;

  static std::unique_ptr<Expr> Constant(int32_t offset, Value value);
  static std::unique_ptr<Expr> Ident(int32_t offset, std::string name);
  static std::unique_ptr<Expr> Call(int32_t offset, std::string function,
                                    std::vector<std::unique_ptr<Expr>> args);
};

}  // namespace travio::cel
