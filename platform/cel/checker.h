#pragma once

#include <map>
#include <string>
#include <vector>

#include "platform/cel/ast.h"
#include "platform/cel/functions.h"
#include "platform/cel/source.h"

namespace travio::cel {

/// Checks the types of a parsed expression against the declared variables and the functions of
/// `registry`, filling each node's `type`. Returns the problems found (an undeclared name, a
/// call no overload accepts, a field an object does not have), each with its place.
std::vector<Issue> Check(Expr& root, const std::map<std::string, Type>& variables,
                         const FunctionRegistry& registry, const Source& source);

/// Whether a value of type `from` may be used where `to` is expected (dyn goes both ways).
bool IsAssignable(const Type& to, const Type& from);

}  // namespace travio::cel
