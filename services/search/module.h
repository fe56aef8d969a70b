#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::search {

/// Registers the search module: the trip search read model and station lookup.
absl::Status RegisterSearchModule(module::Registry& registry);

}  // namespace travio::search
