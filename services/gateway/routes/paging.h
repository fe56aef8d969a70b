#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "platform/http/message.h"
#include "platform/paging/paging.h"

namespace travio::gateway {

/// `?limit=` (api.md "Lists"), `fallback` when absent; kInvalidArgument `invalid_limit` when it
/// is not a number (the range is checked by the service).
absl::StatusOr<int> LimitOf(const http::Request& request, int fallback = 50);

/// `?limit=` and `?cursor=` (api.md "Lists"); the range of limit is checked by the service.
/// kInvalidArgument `invalid_limit` / `invalid_cursor` for values that cannot be read at all.
absl::StatusOr<PageRequest> PageOf(const http::Request& request);

/// `{"items":[...],"next_cursor":...}`, next_cursor null on the last page.
template <typename T, typename ToJson>
nlohmann::json PageJson(const Page<T>& page, ToJson to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)},
          {"next_cursor",
           page.next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(page.next_cursor)}};
}

}  // namespace travio::gateway
