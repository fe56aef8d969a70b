#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "platform/db/database.h"
#include "services/queue/app/queue_state.h"

namespace travio::queue {

/// The monolith's queue state: every room in memory, each change written to `journal`
/// (`queue_state_rooms` and `queue_state_tickets` in the queue's embedded database) before it
/// takes effect, so a restarted monolith replays it: no counter moves backwards and nobody
/// loses their place (everyone counts as seen at the restart). Polls change memory only. A
/// null `journal` keeps nothing (tests of the rules alone).
absl::StatusOr<std::unique_ptr<QueueState>> OpenMemoryQueueState(db::Database* journal,
                                                                 absl::Time now);

}  // namespace travio::queue
