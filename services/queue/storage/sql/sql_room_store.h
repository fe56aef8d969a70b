#pragma once

#include <memory>

#include "platform/db/database.h"
#include "services/queue/app/ports.h"

namespace travio::queue {

/// Rooms in `queue_rooms`, the trips they guard in `queue_room_trips` (a trip's primary key
/// there makes two rooms guarding one trip impossible).
std::unique_ptr<RoomStore> MakeSqlRoomStore(db::Database& database);

}  // namespace travio::queue
