#pragma once

#include <memory>
#include <vector>

#include "platform/cel/ast.h"
#include "platform/cel/source.h"

namespace travio::cel {

struct ParseOptions {
  /// Longest expression accepted, in bytes.
  size_t max_length = 16384;
  /// Deepest nesting of the syntax tree (each operator, call, index, select, literal and
  /// macro is a level). The specification asks for at least 12 nested calls and 32 terms of
  /// `&&` in a row; the cap keeps evaluation's recursion shallow.
  int max_depth = 100;
  /// Expand `has`, `all`, `exists`, `exists_one`, `map` and `filter`; off, they are plain calls.
  bool macros = true;
};

struct ParseResult {
  std::unique_ptr<Expr> expr;  // null when there are issues
  std::vector<Issue> issues;
};

/// Parses a CEL expression (the grammar of the specification's langdef.md, without message
/// construction or optional syntax). Stops at the first problem.
ParseResult Parse(const Source& source, const ParseOptions& options = {});

}  // namespace travio::cel
