#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::zip {

/// A ZIP archive (deflated entries, UTF-8 names) holding `files` (name -> content), built in
/// memory. No files give an empty archive. kInvalidArgument for an empty file name;
/// kInternal when libzip fails.
absl::StatusOr<std::string> ZipFiles(const std::map<std::string, std::string>& files);

/// The files of a ZIP archive (name -> content); directory entries are left out.
/// kInvalidArgument when `archive` is not a readable ZIP archive (garbage, truncated, a
/// failed checksum, an unsupported compression or encryption, two entries of one name);
/// kInternal when libzip fails otherwise.
absl::StatusOr<std::map<std::string, std::string>> UnzipFiles(std::string_view archive);

}  // namespace travio::zip
