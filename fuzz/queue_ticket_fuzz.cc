// Waiting-room tickets and room ids as travellers send them (POST .../join, GET
// .../status?ticket=), through the queue's use cases over its real memory state and SQL rooms.
// Any room id, ticket and caller: nothing crashes; nothing answers an internal error; a ticket
// never tells its place, or hands its queue token, to another caller; every token handed out
// verifies and names its own caller and room.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <filesystem>
#include <map>

#include "fuzz/fuzz_keys.h"
#include "platform/base/clock.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/queue/api/queue_token.h"
#include "services/queue/app/queue_service.h"
#include "services/queue/storage/keys/file_token_keys.h"
#include "services/queue/storage/memory/memory_queue_state.h"
#include "services/queue/storage/queue_rows.h"
#include "services/queue/storage/sql/sql_room_store.h"

namespace travio::fuzz {
namespace {

class EveryTripIsOwned final : public queue::TripOwners {
 public:
  absl::StatusOr<bool> Owns(const std::string&, const std::string&) override { return true; }
};

template <typename T>
T Must(absl::StatusOr<T> value) {
  if (!value.ok()) Violated("the queue starts");
  return *std::move(value);
}

// One queue for the whole run; rooms and tickets accumulate as a busy queue's would.
struct Queue {
  ManualClock clock;
  std::filesystem::path dir;
  std::unique_ptr<db::Database> database;
  std::unique_ptr<queue::QueueState> state;
  std::unique_ptr<queue::RoomStore> rooms;
  std::unique_ptr<queue::TokenKeys> keys;
  EveryTripIsOwned trips;
  std::unique_ptr<queue::QueueService> service;
  std::vector<std::pair<std::string, std::string>> tickets;  // (ticket, its caller)
  std::map<std::string, std::string> owners;                 // ticket -> its caller

  Queue() {
    char pattern[] = "/tmp/travio-fuzz-queue.XXXXXX";
    if (mkdtemp(pattern) == nullptr) Violated("a temporary directory");
    dir = pattern;
    database = Must(db::OpenSqlite({.path = (dir / "queue.db").string()}));
    if (!db::ApplyMigrations(*database, "queue", queue::QueueMigrations()).ok())
      Violated("migrations");
    state = Must(queue::OpenMemoryQueueState(nullptr, clock.Now()));
    rooms = queue::MakeSqlRoomStore(*database);
    keys = Must(queue::LoadOrCreateTokenKeys(dir / "keys"));
    service = std::make_unique<queue::QueueService>(
        queue::QueueService::Ports{.rooms = *rooms,
                                   .state = *state,
                                   .trips = trips,
                                   .keys = *keys,
                                   .clock = clock,
                                   .logger = log::Logger::ToStderr(log::Level::kError)},
        queue::QueueSettings{});
    Must(service->PutRoom({.room_id = "walk-in",
                           .org_id = "org",
                           .name = "walk in",
                           .mode = queue::RoomMode::kOnDemand,
                           .trip_ids = {"0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234"},
                           .admit_per_minute = 30,
                           .max_active = 3,
                           .session_minutes = 10}));
    Must(service->PutRoom({.room_id = "eid-drop",
                           .org_id = "org",
                           .name = "drop",
                           .mode = queue::RoomMode::kScheduled,
                           .trip_ids = {"0192f0c4-6c1b-7c3e-9a2b-5d7e8f901235"},
                           .opens_at = clock.Now() + absl::Minutes(5),
                           .pre_queue_minutes = 10,
                           .admit_per_minute = 60,
                           .max_active = 5,
                           .session_minutes = 10}));
  }
  ~Queue() { std::filesystem::remove_all(dir); }
};

bool Expected(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kInvalidArgument:
      return true;
    default:
      return false;
  }
}

void CheckPlace(Queue& queue, const absl::StatusOr<queue::QueuePlace>& place,
                const std::string& room_id, const std::string& caller) {
  if (!Expected(place.status())) {
    std::fprintf(stderr, "%s\n", place.status().ToString().c_str());
    Violated("join and status answer no internal errors");
  }
  if (!place.ok()) return;
  if (place->room_id != room_id) Violated("a place is in the room asked about");
  if (!place->admitted) return;
  absl::StatusOr<queue::QueueTokenClaims> claims =
      queue::VerifyQueueToken(place->queue_token, queue.keys->public_keys(), queue.clock.Now());
  if (!claims.ok() || claims->subject != caller || claims->room_id != room_id ||
      claims->token_id != place->ticket) {
    Violated("a queue token verifies and names its caller, room and ticket");
  }
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace travio;
  static fuzz::Queue queue;
  FuzzedDataProvider input(data, size);
  const char* const callers[] = {"guest:a", "guest:b", "user-1"};
  const char* const rooms[] = {"walk-in", "eid-drop", "nobody-s-room"};
  while (input.remaining_bytes() > 0) {
    const std::string room_id =
        input.ConsumeBool() ? input.PickValueInArray(rooms) : input.ConsumeRandomLengthString(80);
    const std::string caller = input.ConsumeBool() ? std::string(input.PickValueInArray(callers))
                                                   : input.ConsumeRandomLengthString(64);
    switch (input.ConsumeIntegralInRange(0, 4)) {
      case 0: {
        absl::StatusOr<queue::QueuePlace> place = queue.service->Join(room_id, caller);
        fuzz::CheckPlace(queue, place, room_id, caller);
        if (place.ok() && queue.owners.emplace(place->ticket, caller).second &&
            queue.tickets.size() < 10'000) {
          queue.tickets.emplace_back(place->ticket, caller);
        }
        break;
      }
      case 1: {
        // A known ticket asked about by anyone, or any text as a ticket.
        std::string ticket = input.ConsumeRandomLengthString(64);
        if (!queue.tickets.empty() && input.ConsumeBool()) {
          ticket = queue.tickets[input.ConsumeIntegralInRange<size_t>(0, queue.tickets.size() - 1)]
                       .first;
        }
        absl::StatusOr<queue::QueuePlace> place = queue.service->Status(room_id, ticket, caller);
        fuzz::CheckPlace(queue, place, room_id, caller);
        if (place.ok() && queue.owners[ticket] != caller)
          fuzz::Violated("no ticket answers another caller");
        break;
      }
      case 3: {
        // The caller places an order on a guarded trip (or any trip): its session ends.
        const std::string trip = input.ConsumeBool() ? "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234"
                                                     : input.ConsumeRandomLengthString(40);
        if (!fuzz::Expected(queue.service->OnOrderPlaced(caller, trip))) {
          fuzz::Violated("an order ends a session without internal errors");
        }
        break;
      }
      case 2:
        if (!fuzz::Expected(queue.service->Tick()))
          fuzz::Violated("the inlet has no internal errors");
        break;
      default:
        queue.clock.Advance(absl::Seconds(input.ConsumeIntegralInRange(0, 900)));
        break;
    }
  }
  return 0;
}
