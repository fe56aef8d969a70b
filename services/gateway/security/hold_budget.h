#pragma once

// The live holds of one client address and one traveller on one trip, counted exactly: each
// key holds the live holds as "hold:expires_ms:seats" entries, and one atomic script (Lua on
// Redis, its native twin in memory) drops the expired ones, checks both caps and records the
// new hold, or forgets a released one. Both keys share the trip's hash tag.

#include "platform/kv/key_value_store.h"

namespace travio::gateway {

/// KEYS: the address's key, the subject's key. ARGV "take": now ms, hold id, expires ms, seats,
/// address cap, subject cap; replies {1} when recorded, {0, which (1 address, 2 subject),
/// ms until one of its holds ends}. ARGV "drop": hold id; replies {1}.
const kv::Script& HoldBudgetScript();

}  // namespace travio::gateway
