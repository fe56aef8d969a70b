#include "services/queue/storage/queue_rows.h"

#include <bit>

#include "platform/base/status_macros.h"

namespace travio::queue {
namespace {

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

}  // namespace

std::vector<db::Migration> QueueMigrations() {
  return {{1, "rooms, the trips they guard, and the memory state's journal", R"sql(
CREATE TABLE queue_rooms (
  room_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  mode TEXT NOT NULL,
  opens_at BIGINT,
  pre_queue_minutes BIGINT NOT NULL,
  admit_per_minute BIGINT NOT NULL,
  max_active BIGINT NOT NULL,
  session_minutes BIGINT NOT NULL,
  commitment TEXT NOT NULL,
  seed TEXT NOT NULL,
  opened_at BIGINT,
  closed BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE queue_room_trips (
  trip_id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES queue_rooms (room_id)
);
CREATE INDEX queue_room_trips_by_room ON queue_room_trips (room_id);
CREATE TABLE queue_state_rooms (
  room_id TEXT PRIMARY KEY,
  opened BIGINT NOT NULL,
  opened_at BIGINT NOT NULL,
  pre_queue BIGINT NOT NULL,
  issued BIGINT NOT NULL,
  serving BIGINT NOT NULL,
  active BIGINT NOT NULL,
  admitted_total BIGINT NOT NULL,
  expired_total BIGINT NOT NULL,
  waiting BIGINT NOT NULL,
  window_minute BIGINT NOT NULL,
  window_admitted BIGINT NOT NULL
);
CREATE TABLE queue_state_tickets (
  room_id TEXT NOT NULL,
  ticket TEXT NOT NULL,
  subject TEXT NOT NULL,
  position BIGINT NOT NULL,
  status TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  session_ends_at BIGINT NOT NULL,
  lottery BIGINT NOT NULL,
  PRIMARY KEY (room_id, ticket)
);
)sql"}};
}

absl::StatusOr<std::map<std::string, JournaledRoom>> LoadJournal(db::Database& journal) {
  std::map<std::string, JournaledRoom> rooms;
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result counters,
      journal.Execute("SELECT room_id, opened, opened_at, pre_queue, issued, serving, active, "
                      "admitted_total, expired_total, waiting, window_minute, window_admitted "
                      "FROM queue_state_rooms"));
  for (const db::Row& row : counters.rows) {
    rooms[row.Text(0)].counters =
        RoomCounters{.opened = row.Int(1) != 0,
                     .opened_at = FromMicros(row.Int(2)),
                     .pre_queue = row.Int(3),
                     .issued = row.Int(4),
                     .serving = row.Int(5),
                     .active = row.Int(6),
                     .admitted_total = row.Int(7),
                     .expired_total = row.Int(8),
                     .waiting = row.Int(9),
                     .window = InletWindow{.minute = row.Int(10), .admitted = row.Int(11)}};
  }
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result tickets,
      journal.Execute("SELECT room_id, ticket, subject, position, status, joined_at, "
                      "session_ends_at, lottery FROM queue_state_tickets"));
  for (const db::Row& row : tickets.rows) {
    auto status = ParseName(kTicketStatusNames, row.Text(4));
    if (!status) return absl::DataLossError("queue journal: unknown ticket status " + row.Text(4));
    rooms[row.Text(0)].tickets.push_back(
        QueueTicket{.ticket = row.Text(1),
                    .subject = row.Text(2),
                    .position = row.Int(3),
                    .status = *status,
                    .joined_at = FromMicros(row.Int(5)),
                    .last_seen = FromMicros(row.Int(5)),
                    .session_ends_at = FromMicros(row.Int(6)),
                    .lottery = std::bit_cast<uint64_t>(row.Int(7))});
  }
  return rooms;
}

absl::Status WriteJournal(db::Database& journal, const std::string& room_id,
                          const std::vector<QueueTicket>& tickets, const RoomCounters& counters) {
  return journal.InTransaction([&](db::Transaction& tx) -> absl::Status {
    for (const QueueTicket& ticket : tickets) {
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(
                "INSERT INTO queue_state_tickets (room_id, ticket, subject, position, "
                "status, joined_at, session_ends_at, lottery) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                "ON CONFLICT (room_id, ticket) DO UPDATE SET position = excluded.position, "
                "status = excluded.status, session_ends_at = excluded.session_ends_at",
                {room_id, ticket.ticket, ticket.subject, ticket.position,
                 std::string(NameOf(kTicketStatusNames, ticket.status)), Micros(ticket.joined_at),
                 Micros(ticket.session_ends_at), std::bit_cast<int64_t>(ticket.lottery)})
              .status());
    }
    return tx
        .Execute(
            "INSERT INTO queue_state_rooms (room_id, opened, opened_at, pre_queue, issued, "
            "serving, active, admitted_total, expired_total, waiting, window_minute, "
            "window_admitted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
            "ON CONFLICT (room_id) DO UPDATE SET opened = excluded.opened, "
            "opened_at = excluded.opened_at, pre_queue = excluded.pre_queue, "
            "issued = excluded.issued, serving = excluded.serving, active = excluded.active, "
            "admitted_total = excluded.admitted_total, expired_total = excluded.expired_total, "
            "waiting = excluded.waiting, window_minute = excluded.window_minute, "
            "window_admitted = excluded.window_admitted",
            {room_id, int64_t{counters.opened ? 1 : 0}, Micros(counters.opened_at),
             counters.pre_queue, counters.issued, counters.serving, counters.active,
             counters.admitted_total, counters.expired_total, counters.waiting,
             counters.window.minute, counters.window.admitted})
        .status();
  });
}

absl::Status ForgetRoom(db::Database& journal, const std::string& room_id) {
  return journal.InTransaction([&](db::Transaction& tx) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(
        tx.Execute("DELETE FROM queue_state_tickets WHERE room_id = $1", {room_id}).status());
    return tx.Execute("DELETE FROM queue_state_rooms WHERE room_id = $1", {room_id}).status();
  });
}

}  // namespace travio::queue
