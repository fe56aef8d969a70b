#include "services/gateway/routes/paging.h"

#include <algorithm>
#include <string>

#include "platform/base/errors.h"

namespace travio::gateway {

absl::StatusOr<int> LimitOf(const http::Request& request, int fallback) {
  auto limit = request.Query("limit");
  if (!limit) return fallback;
  if (limit->empty() || limit->size() > 4 ||
      !std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return WithFieldErrors(Error(reasons::kInvalidLimit, "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  return std::stoi(*limit);
}

absl::StatusOr<PageRequest> PageOf(const http::Request& request) {
  PageRequest page;
  auto limit = LimitOf(request, page.limit);
  if (!limit.ok()) return limit.status();
  page.limit = *limit;
  auto cursor = request.Query("cursor");
  if (!cursor && request.query.find("cursor=") != std::string::npos) {
    // Present but not decodable: the same answer as a cursor we never issued.
    return WithFieldErrors(
        Error(reasons::kInvalidCursor, "The cursor is not one this list gave out."),
        {{"cursor", "is not valid"}});
  }
  page.cursor = cursor.value_or("");
  return page;
}

}  // namespace travio::gateway
