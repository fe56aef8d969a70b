#include "services/queue/storage/sql/sql_room_store.h"

#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/queue/api/queue_client.h"

namespace travio::queue {
namespace {

constexpr char kColumns[] =
    "room_id, org_id, name, mode, opens_at, pre_queue_minutes, admit_per_minute, max_active, "
    "session_minutes, commitment, seed, opened_at, closed, version, created_at, updated_at";

std::optional<absl::Time> OptionalTime(const db::Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return absl::FromUnixMicros(row.Int(column));
}

db::Value OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time) return db::Value{};
  return absl::ToUnixMicros(*time);
}

class SqlRoomStore final : public RoomStore {
 public:
  explicit SqlRoomStore(db::Database& database) : database_(database) {}

  absl::StatusOr<std::optional<Room>> Find(const std::string& room_id) override {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<Room> rooms,
                            Select("WHERE room_id = $1", {db::Value{room_id}}));
    if (rooms.empty()) return std::nullopt;
    return rooms.front();
  }

  absl::StatusOr<std::vector<Room>> ListByOrg(const std::string& org_id) override {
    return Select("WHERE org_id = $1 ORDER BY room_id", {db::Value{org_id}});
  }

  absl::StatusOr<std::vector<Room>> ListOpen() override {
    return Select("WHERE closed = 0 ORDER BY room_id", {});
  }

  absl::Status Put(const Room& room, int64_t expected_version) override {
    const RoomSpec& spec = room.spec;
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      const std::vector<db::Value> values = {spec.room_id,
                                             spec.org_id,
                                             spec.name,
                                             std::string(NameOf(kRoomModeNames, spec.mode)),
                                             OptionalMicros(spec.opens_at),
                                             spec.pre_queue_minutes,
                                             spec.admit_per_minute,
                                             spec.max_active,
                                             spec.session_minutes,
                                             room.commitment,
                                             room.seed,
                                             OptionalMicros(room.opened_at),
                                             int64_t{room.closed ? 1 : 0},
                                             room.version,
                                             absl::ToUnixMicros(room.created_at),
                                             absl::ToUnixMicros(room.updated_at)};
      if (expected_version == 0) {
        absl::StatusOr<db::Result> inserted = tx.Execute(
            std::string("INSERT INTO queue_rooms (") + kColumns +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            values);
        if (inserted.status().code() == absl::StatusCode::kAlreadyExists) {
          return Error(reasons::kRoomTaken, "This room id is taken; choose another.");
        }
        TRAVIO_RETURN_IF_ERROR(inserted.status());
      } else {
        TRAVIO_ASSIGN_OR_RETURN(
            db::Result updated,
            tx.Execute("UPDATE queue_rooms SET name = $3, mode = $4, opens_at = $5, "
                       "pre_queue_minutes = $6, admit_per_minute = $7, max_active = $8, "
                       "session_minutes = $9, version = $10, updated_at = $11 "
                       "WHERE room_id = $1 AND org_id = $2 AND version = $12",
                       {spec.room_id, spec.org_id, spec.name,
                        std::string(NameOf(kRoomModeNames, spec.mode)),
                        OptionalMicros(spec.opens_at), spec.pre_queue_minutes,
                        spec.admit_per_minute, spec.max_active, spec.session_minutes, room.version,
                        absl::ToUnixMicros(room.updated_at), expected_version}));
        if (updated.affected_rows == 0) {
          return Error(reasons::kConcurrentUpdate, "The room changed meanwhile; read it again.");
        }
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("DELETE FROM queue_room_trips WHERE room_id = $1", {spec.room_id}).status());
      }
      for (const std::string& trip_id : spec.trip_ids) {
        absl::StatusOr<db::Result> guarded =
            tx.Execute("INSERT INTO queue_room_trips (trip_id, room_id) VALUES ($1, $2)",
                       {trip_id, spec.room_id});
        if (guarded.status().code() == absl::StatusCode::kAlreadyExists) {
          return Error(reasons::kTripGuarded,
                       "Trip " + trip_id + " is already guarded by another waiting room.");
        }
        TRAVIO_RETURN_IF_ERROR(guarded.status());
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::optional<std::string>> RoomOfTrip(const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT room_id FROM queue_room_trips WHERE trip_id = $1", {trip_id}));
    if (result.rows.empty()) return std::nullopt;
    return result.rows.front().Text(0);
  }

  absl::Status MarkOpened(const std::string& room_id, absl::Time opened_at) override {
    return database_
        .Execute("UPDATE queue_rooms SET opened_at = $2 WHERE room_id = $1 AND opened_at IS NULL",
                 {room_id, absl::ToUnixMicros(opened_at)})
        .status();
  }

  absl::Status Close(const std::string& room_id, absl::Time at) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute("UPDATE queue_rooms SET closed = 1, updated_at = $2, version = version + 1 "
                     "WHERE room_id = $1",
                     {room_id, absl::ToUnixMicros(at)})
              .status());
      return tx.Execute("DELETE FROM queue_room_trips WHERE room_id = $1", {room_id}).status();
    });
  }

 private:
  absl::StatusOr<std::vector<Room>> Select(const std::string& where,
                                           std::vector<db::Value> params) {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, database_.Execute(std::string("SELECT ") + kColumns +
                                                                     " FROM queue_rooms " + where,
                                                                 params));
    std::vector<Room> rooms;
    for (const db::Row& row : result.rows) {
      auto mode = ParseName(kRoomModeNames, row.Text(3));
      if (!mode) return absl::DataLossError("queue_rooms: unknown mode " + row.Text(3));
      Room room{.spec = RoomSpec{.room_id = row.Text(0),
                                 .org_id = row.Text(1),
                                 .name = row.Text(2),
                                 .mode = *mode,
                                 .trip_ids = {},
                                 .opens_at = OptionalTime(row, 4),
                                 .pre_queue_minutes = row.Int(5),
                                 .admit_per_minute = row.Int(6),
                                 .max_active = row.Int(7),
                                 .session_minutes = row.Int(8)},
                .commitment = row.Text(9),
                .seed = row.Text(10),
                .opened_at = OptionalTime(row, 11),
                .closed = row.Int(12) != 0,
                .version = row.Int(13),
                .created_at = absl::FromUnixMicros(row.Int(14)),
                .updated_at = absl::FromUnixMicros(row.Int(15))};
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result trips,
          database_.Execute("SELECT trip_id FROM queue_room_trips WHERE room_id = $1 "
                            "ORDER BY trip_id",
                            {room.spec.room_id}));
      for (const db::Row& trip : trips.rows) room.spec.trip_ids.push_back(trip.Text(0));
      rooms.push_back(std::move(room));
    }
    return rooms;
  }

  db::Database& database_;
};

}  // namespace

std::unique_ptr<RoomStore> MakeSqlRoomStore(db::Database& database) {
  return std::make_unique<SqlRoomStore>(database);
}

}  // namespace travio::queue
