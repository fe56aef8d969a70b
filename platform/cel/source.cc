#include "platform/cel/source.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace travio::cel {

std::string FormatIssue(const Issue& issue) {
  return absl::StrCat(issue.location.line, ":", issue.location.column, ": ", issue.message);
}

Source::Source(absl::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(static_cast<int32_t>(i + 1));
  }
}

Location Source::LocationOf(int32_t offset) const {
  offset = std::clamp<int32_t>(offset, 0, static_cast<int32_t>(text_.size()));
  auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  int line = static_cast<int>(next_line - line_starts_.begin());
  int32_t start = *(next_line - 1);
  int column = 1;
  for (int32_t i = start; i < offset; ++i) {
    // Count the first byte of each UTF-8 sequence, not its continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return Location{line, column};
}

}  // namespace travio::cel
