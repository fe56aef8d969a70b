#pragma once

#include <filesystem>
#include <memory>

#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

/// Documents as files under `root` (the monolith's default: <data_dir>/documents): a key is a
/// relative path. Written to a hidden temporary file, flushed and renamed, so readers see whole
/// documents only; files 0600, directories 0700.
std::unique_ptr<DocumentStorage> MakeFileDocumentStorage(std::filesystem::path root);

}  // namespace travio::fulfillment
