#include "platform/paging/paging.h"

#include "absl/strings/numbers.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/crypto/encoding.h"

namespace travio {
namespace {

absl::Status InvalidCursor() {
  return WithFieldErrors(
      Error(reasons::kInvalidCursor, "The cursor is not one this list gave out."),
      {{"cursor", "is not valid"}});
}

}  // namespace

absl::StatusOr<std::optional<ListPosition>> PageStart(const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    return WithFieldErrors(Error(reasons::kInvalidLimit, "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  if (page.cursor.empty()) return std::nullopt;
  if (page.cursor.size() > 128) return InvalidCursor();
  const std::optional<std::string> text = crypto::Base64UrlDecode(page.cursor);
  if (!text) return InvalidCursor();
  const std::string& decoded = *text;
  const size_t bar = decoded.find('|');
  int64_t micros = 0;
  if (bar == std::string::npos || !absl::SimpleAtoi(decoded.substr(0, bar), &micros) ||
      micros < 0 || !IsUuid(decoded.substr(bar + 1))) {
    return InvalidCursor();
  }
  return ListPosition{absl::FromUnixMicros(micros), decoded.substr(bar + 1)};
}

std::string CursorAfter(const ListPosition& last) {
  return crypto::Base64UrlEncode(std::to_string(absl::ToUnixMicros(last.at)) + "|" + last.id);
}

}  // namespace travio
