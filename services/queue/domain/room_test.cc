#include "services/queue/domain/room.h"

#include <gtest/gtest.h>

namespace travio::queue {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'767'225'600);

RoomSpec Drop() {
  return RoomSpec{.room_id = "eid-dhaka-ctg",
                  .org_id = "org",
                  .name = "Eid drop",
                  .mode = RoomMode::kScheduled,
                  .trip_ids = {"trip-1"},
                  .opens_at = kNow + absl::Hours(1),
                  .pre_queue_minutes = 15,
                  .admit_per_minute = 100,
                  .max_active = 500,
                  .session_minutes = 10};
}

std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> fields;
  for (const FieldError& error : errors) fields.push_back(error.field);
  return fields;
}

TEST(Room, StatusFollowsTheClock) {
  Room room{.spec = Drop(), .created_at = kNow};
  EXPECT_EQ(StatusAt(room, kNow), RoomStatus::kScheduled);
  EXPECT_EQ(StatusAt(room, kNow + absl::Minutes(45)), RoomStatus::kPreQueue);
  EXPECT_EQ(StatusAt(room, kNow + absl::Minutes(60)), RoomStatus::kOpen);
  room.closed = true;
  EXPECT_EQ(StatusAt(room, kNow + absl::Minutes(60)), RoomStatus::kClosed);
  Room on_demand{.spec = Drop(), .created_at = kNow};
  on_demand.spec.mode = RoomMode::kOnDemand;
  EXPECT_EQ(StatusAt(on_demand, kNow), RoomStatus::kOpen);
}

TEST(Room, ValidatesEveryField) {
  EXPECT_TRUE(Validate(Drop(), kNow, nullptr).empty());
  RoomSpec bad = Drop();
  bad.room_id = "-Bad";
  bad.name = "";
  bad.trip_ids = {};
  bad.admit_per_minute = 0;
  bad.max_active = -1;
  bad.session_minutes = 0;
  bad.pre_queue_minutes = 100000;
  bad.opens_at = kNow - absl::Minutes(1);
  EXPECT_EQ(
      Fields(Validate(bad, kNow, nullptr)),
      (std::vector<std::string>{"room_id", "name", "trip_ids", "admit_per_minute", "max_active",
                                "session_minutes", "pre_queue_minutes", "opens_at"}));
  RoomSpec on_demand = Drop();
  on_demand.mode = RoomMode::kOnDemand;
  EXPECT_EQ(Fields(Validate(on_demand, kNow, nullptr)), std::vector<std::string>{"opens_at"});
  on_demand.opens_at.reset();
  on_demand.pre_queue_minutes = 0;
  EXPECT_TRUE(Validate(on_demand, kNow, nullptr).empty());
  EXPECT_TRUE(IsRoomId("eid-2027"));
  EXPECT_FALSE(IsRoomId("ab"));
  EXPECT_FALSE(IsRoomId("has space"));
}

TEST(Room, ItsOpeningIsFixedOnceThePreQueueHasBegun) {
  const Room existing{.spec = Drop(), .created_at = kNow};
  RoomSpec moved = Drop();
  moved.opens_at = kNow + absl::Hours(2);
  EXPECT_TRUE(Validate(moved, kNow, &existing).empty());  // still scheduled: may move
  EXPECT_EQ(Fields(Validate(moved, kNow + absl::Minutes(50), &existing)),
            std::vector<std::string>{"opens_at"});
  RoomSpec faster = Drop();
  faster.admit_per_minute = 200;  // the pace may always change
  EXPECT_TRUE(Validate(faster, kNow + absl::Minutes(70), &existing).empty());
}

}  // namespace
}  // namespace travio::queue
