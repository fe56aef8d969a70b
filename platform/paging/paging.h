#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace travio {

/// A request for one page of a list (api.md "Lists": `?limit=` and `?cursor=`).
/// The most items one page may ask for (api.md "Lists").
inline constexpr int kMaxPageLimit = 200;

struct PageRequest {
  int limit = 50;
  /// Opaque, from a previous page's next_cursor; empty for the first page.
  std::string cursor;
};

template <typename T>
struct Page {
  std::vector<T> items;
  /// Empty on the last page.
  std::string next_cursor;
};

/// Where a page of a list ends: the (time, id) of its last item, lists being ordered by both.
/// `at` may also be any other int64 sort key stored as unix microseconds.
struct ListPosition {
  absl::Time at;
  std::string id;
};

/// Checks a page request: limit 1 to 200 (kInvalidArgument `invalid_limit`), and a cursor this
/// process issued (kInvalidArgument `invalid_cursor`). Returns where the page starts.
absl::StatusOr<std::optional<ListPosition>> PageStart(const PageRequest& page);

/// The opaque cursor of a page ending at `last`. Opaque to clients (base64url), not secret.
std::string CursorAfter(const ListPosition& last);

/// Cuts the `limit + 1` rows a store returned down to a page; the extra row only says that
/// another page exists.
template <typename T, typename PositionOf>
Page<T> MakePage(std::vector<T> rows, int limit, PositionOf position_of) {
  Page<T> page;
  const bool more = rows.size() > static_cast<size_t>(limit);
  if (more) rows.resize(static_cast<size_t>(limit));
  if (more && !rows.empty()) page.next_cursor = CursorAfter(position_of(rows.back()));
  page.items = std::move(rows);
  return page;
}

}  // namespace travio
