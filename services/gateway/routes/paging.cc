#include "services/gateway/routes/paging.h"

#include <algorithm>
#include <string>

#include "platform/base/errors.h"

namespace travio::gateway {

absl::StatusOr<PageRequest> PageOf(const http::Request& request) {
  PageRequest page;
  if (auto limit = request.Query("limit")) {
    if (limit->empty() || limit->size() > 4 ||
        !std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return WithFieldErrors(Error(absl::StatusCode::kInvalidArgument, "invalid_limit",
                                   "limit must be between 1 and 200."),
                             {{"limit", "must be between 1 and 200"}});
    }
    page.limit = std::stoi(*limit);
  }
  auto cursor = request.Query("cursor");
  if (!cursor && request.query.find("cursor=") != std::string::npos) {
    // Present but not decodable: the same answer as a cursor we never issued.
    return WithFieldErrors(Error(absl::StatusCode::kInvalidArgument, "invalid_cursor",
                                 "The cursor is not one this list gave out."),
                           {{"cursor", "is not valid"}});
  }
  page.cursor = cursor.value_or("");
  return page;
}

}  // namespace travio::gateway
