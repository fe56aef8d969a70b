#pragma once

#include <memory>

#include "platform/kv/key_value_store.h"
#include "services/fraud/app/ports.h"

namespace travio::fraud {

/// The counters in the hot-state store, every key under `fraud:`.
std::unique_ptr<RiskCounters> MakeKeyValueRiskCounters(kv::KeyValueStore& store);

}  // namespace travio::fraud
