#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::identity {

/// A slug given by the caller: 3 to 63 of [a-z0-9-], not starting or ending with '-'. Upper
/// case is folded. kInvalidArgument (field `slug`) otherwise.
absl::StatusOr<std::string> NormalizeSlug(std::string_view slug);

/// A slug made from an organization's name ("Green Line Paribahan" -> "green-line-paribahan");
/// "org" when nothing usable is left (a name in Bengali script, say).
std::string SlugFromName(std::string_view name);

}  // namespace travio::identity
