#pragma once

#include <memory>

#include "platform/base/clock.h"
#include "platform/kv/key_value_store.h"

namespace travio::kv {

/// An in-process KeyValueStore; expiry follows the injected clock. Expired keys are dropped
/// lazily on access and by a periodic sweep inside writes.
std::unique_ptr<KeyValueStore> MakeMemoryStore(const Clock& clock);

}  // namespace travio::kv
