#pragma once

// The queue's tables: rooms (the durable configuration) and the memory state's journal.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/queue/app/queue_state.h"

namespace travio::queue {

std::vector<db::Migration> QueueMigrations();

/// A room's journaled state.
struct JournaledRoom {
  RoomCounters counters;
  std::vector<QueueTicket> tickets;
};

absl::StatusOr<std::map<std::string, JournaledRoom>> LoadJournal(db::Database& journal);
/// Writes the tickets (whole) and the counters of one change, in one transaction.
absl::Status WriteJournal(db::Database& journal, const std::string& room_id,
                          const std::vector<QueueTicket>& tickets, const RoomCounters& counters);
absl::Status ForgetRoom(db::Database& journal, const std::string& room_id);

}  // namespace travio::queue
