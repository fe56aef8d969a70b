#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/identity/app/ports.h"

namespace travio::identity {

/// Checks a page request: limit 1 to 200 (kInvalidArgument `invalid_limit`), and a cursor this
/// service issued (kInvalidArgument `invalid_cursor`). Returns where the page starts.
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

}  // namespace travio::identity
