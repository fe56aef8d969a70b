#pragma once

#include <memory>

#include "platform/kv/key_value_store.h"
#include "services/inventory/app/hold_store.h"

namespace travio::inventory {

/// The hold store on Redis (hot_state: redis), as Lua scripts that read every key they need
/// before writing any, so a refusal writes nothing. Each trip's keys share the hash tag
/// `{trip:<id>}` (one Cluster slot): `inv:{trip:<id>}:meta` (present while loaded),
/// `:claims` (hash "<seat>|<leg>" -> "h|<hold>|<expires ms>", "b|<booking>" or "k|<block>"),
/// `:holds` (hash hold id -> "<version>|<stored hold>") and `:expiry` (sorted set by expiry).
/// Per holder, `inv:{holder:<subject>}` counts live holds; `inv:{hold:<id>}` finds a hold's
/// trip; `inv:due` scores trips by their earliest hold expiry for the sweeper. Expiry is judged by
/// the server's clock (TIME).
std::unique_ptr<HoldStore> MakeRedisHoldStore(kv::KeyValueStore& redis);

/// The hold script on its own and a trip's four keys (meta, claims, holds, expiry), for the
/// benchmark that sets its rate beside redis-benchmark's SET (bench/redis_hold_bench.cc). ARGV:
/// hold id, ttl in ms, stored hold, from leg, to leg, seats...
const kv::Script& RedisHoldScript();
std::vector<std::string> RedisTripKeys(const std::string& trip_id);

}  // namespace travio::inventory
