#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace travio::cel {

/// Where something is in an expression, as people count: lines and columns from 1, columns in
/// characters (code points), not bytes.
struct Location {
  int line = 1;
  int column = 1;
};

/// One problem found in an expression: where, and what is wrong ("undeclared reference to
/// 'trp'").
struct Issue {
  Location location;
  std::string message;
};

/// `line:column: message`, the one text form of an issue.
std::string FormatIssue(const Issue& issue);

/// The text of an expression and the offsets of its lines.
class Source {
 public:
  explicit Source(absl::string_view text);
  const std::string& text() const { return text_; }
  Location LocationOf(int32_t offset) const;

 private:
  std::string text_;
  std::vector<int32_t> line_starts_;
};

}  // namespace travio::cel
