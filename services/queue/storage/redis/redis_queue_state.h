#pragma once

#include <memory>

#include "platform/kv/key_value_store.h"
#include "services/queue/app/queue_state.h"

namespace travio::queue {

/// The queue state on Redis (hot_state: redis), standalone or Cluster: every key of a room
/// shares the hash tag `{room:<id>}`, and each operation is one Lua script. Keys, under
/// `queue:{room:<id>}:`: `meta` (hash of the counters), `tickets` (hash ticket ->
/// "subject|position|status|joined|seen|ends|lottery", times in microseconds), `subjects`
/// (hash subject -> live ticket), `pre` (sorted set of the pre-queue by lottery: after the
/// opening a pre-queue ticket's position is its rank, so drawing 100,000 places writes
/// nothing), `pos` (hash position -> ticket, for arrivals after the opening) and `sessions`
/// (sorted set of admitted tickets by the end of their session). Lotteries are below 2^53
/// (exact in Lua's numbers).
std::unique_ptr<QueueState> MakeRedisQueueState(kv::KeyValueStore& redis);

}  // namespace travio::queue
