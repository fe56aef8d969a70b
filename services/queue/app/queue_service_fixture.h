#pragma once

// What the queue's use-case tests share: the service over its real adapters (the memory state,
// SQLite rooms, a key file) with a fake list of trip owners and a manual clock.

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/queue/app/queue_service.h"
#include "services/queue/storage/keys/file_token_keys.h"
#include "services/queue/storage/memory/memory_queue_state.h"
#include "services/queue/storage/queue_rows.h"
#include "services/queue/storage/sql/sql_room_store.h"

namespace travio::queue {

class FakeTripOwners final : public TripOwners {
 public:
  absl::StatusOr<bool> Owns(const std::string& org_id, const std::string& trip_id) override {
    return trips.contains({org_id, trip_id});
  }
  std::set<std::pair<std::string, std::string>> trips;
};

class QueueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::OpenSqlite({(dir_.path() / "queue.db").string()}));
    const std::vector<db::Migration> migrations = QueueMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "queue", migrations));
    ASSERT_OK_AND_ASSIGN(state_, OpenMemoryQueueState(database_.get(), clock_.Now()));
    rooms_ = MakeSqlRoomStore(*database_);
    ASSERT_OK_AND_ASSIGN(keys_, LoadOrCreateTokenKeys(dir_.path() / "keys"));
    trips_.trips = {{"org-a", "trip-1"}, {"org-a", "trip-2"}, {"org-b", "trip-9"}};
    service_ = std::make_unique<QueueService>(
        QueueService::Ports{.rooms = *rooms_,
                            .state = *state_,
                            .trips = trips_,
                            .keys = *keys_,
                            .clock = clock_,
                            .logger = log::Logger::ToStderr(log::Level::kError),
                            .metrics = &metrics_},
        QueueSettings{.position_ttl = absl::Minutes(2)});
  }

  RoomSpec Scheduled(const std::string& room_id = "eid-drop") const {
    return RoomSpec{.room_id = room_id,
                    .org_id = "org-a",
                    .name = "Eid drop",
                    .mode = RoomMode::kScheduled,
                    .trip_ids = {"trip-1"},
                    .opens_at = clock_.Now() + absl::Minutes(30),
                    .pre_queue_minutes = 10,
                    .admit_per_minute = 60,
                    .max_active = 100,
                    .session_minutes = 10};
  }

  RoomSpec OnDemand(const std::string& room_id) const {
    RoomSpec spec = Scheduled(room_id);
    spec.mode = RoomMode::kOnDemand;
    spec.opens_at.reset();
    spec.pre_queue_minutes = 0;
    return spec;
  }

  testing::TempDir dir_{"queue-service"};
  ManualClock clock_;
  metrics::Registry metrics_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<QueueState> state_;
  std::unique_ptr<RoomStore> rooms_;
  std::unique_ptr<TokenKeys> keys_;
  FakeTripOwners trips_;
  std::unique_ptr<QueueService> service_;
};

}  // namespace travio::queue
