#include "services/queue/app/queue_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/queue/api/queue_token.h"
#include "services/queue/app/queue_service_fixture.h"
#include "services/queue/domain/inlet.h"

namespace travio::queue {
namespace {

using testing::StatusIs;

TEST_F(QueueServiceTest, RoomsGuardOnlyTheirOperatorsTripsOneRoomPerTrip) {
  RoomSpec foreign = Scheduled();
  foreign.trip_ids = {"trip-9"};
  absl::StatusOr<RoomView> refused = service_->PutRoom(foreign);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
  ASSERT_EQ(FieldErrorsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FieldErrorsOf(refused.status())[0].field, "trip_ids[0]");

  ASSERT_OK_AND_ASSIGN(RoomView room, service_->PutRoom(Scheduled()));
  EXPECT_EQ(room.status, RoomStatus::kScheduled);
  EXPECT_EQ(room.commitment.size(), 64u);
  EXPECT_TRUE(room.seed.empty());  // secret until the opening
  RoomSpec second = Scheduled("other-room");
  EXPECT_THAT(service_->PutRoom(second),
              StatusIs(absl::StatusCode::kAlreadyExists, "trip_guarded"));
  RoomSpec stolen = Scheduled();
  stolen.org_id = "org-b";
  stolen.trip_ids = {"trip-9"};
  EXPECT_THAT(service_->PutRoom(stolen), StatusIs(absl::StatusCode::kAlreadyExists, "room_taken"));
  // Another organization sees no such room.
  EXPECT_THAT(service_->GetRoom("org-b", "eid-drop"),
              StatusIs(absl::StatusCode::kNotFound, "room_not_found"));
  EXPECT_THAT(service_->DeleteRoom("org-b", "eid-drop"),
              StatusIs(absl::StatusCode::kNotFound, "room_not_found"));
  ASSERT_OK_AND_ASSIGN(auto guard, service_->GuardOf("trip-1"));
  ASSERT_TRUE(guard.has_value());
  EXPECT_EQ(guard->room_id, "eid-drop");
  ASSERT_OK_AND_ASSIGN(auto unguarded, service_->GuardOf("trip-2"));
  EXPECT_FALSE(unguarded.has_value());
  // Deleting frees the trip; the id stays taken.
  ASSERT_OK(service_->DeleteRoom("org-a", "eid-drop"));
  ASSERT_OK_AND_ASSIGN(auto freed, service_->GuardOf("trip-1"));
  EXPECT_FALSE(freed.has_value());
  EXPECT_THAT(service_->Join("eid-drop", "guest-1"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "room_closed"));
  EXPECT_THAT(service_->PutRoom(Scheduled()),
              StatusIs(absl::StatusCode::kAlreadyExists, "room_taken"));
  ASSERT_OK(service_->PutRoom(Scheduled("eid-drop-2")).status());
}

TEST_F(QueueServiceTest, AnOrganizationHasABoundedNumberOfOpenRooms) {
  QueueService capped(QueueService::Ports{.rooms = *rooms_,
                                          .state = *state_,
                                          .trips = trips_,
                                          .keys = *keys_,
                                          .clock = clock_,
                                          .logger = log::Logger::ToStderr(log::Level::kError)},
                      QueueSettings{.max_rooms_per_org = 2});
  RoomSpec second = Scheduled("room-two");
  second.trip_ids = {"trip-2"};
  ASSERT_OK(capped.PutRoom(Scheduled("room-one")).status());
  ASSERT_OK(capped.PutRoom(second).status());
  RoomSpec third = Scheduled("room-three");
  third.trip_ids = {"trip-2"};
  EXPECT_THAT(capped.PutRoom(third),
              StatusIs(absl::StatusCode::kFailedPrecondition, "too_many_rooms"));
  // Changing an existing room is not a new room; closing one makes place.
  RoomSpec faster = Scheduled("room-one");
  faster.admit_per_minute = 120;
  EXPECT_OK(capped.PutRoom(faster).status());
  ASSERT_OK(capped.DeleteRoom("org-a", "room-one"));
  third.trip_ids = {"trip-1"};
  EXPECT_OK(capped.PutRoom(third).status());
}

TEST_F(QueueServiceTest, AScheduledRoomDrawsItsPreQueueAndAdmitsWithSignedTokens) {
  ASSERT_OK(service_->PutRoom(Scheduled()).status());
  // Too early: the doors open ten minutes before the drop.
  absl::StatusOr<QueuePlace> early = service_->Join("eid-drop", "guest-1");
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kFailedPrecondition, "room_not_open"));
  EXPECT_EQ(RetryAfterOf(early.status()), absl::Minutes(20));
  clock_.Advance(absl::Minutes(21));
  ASSERT_OK_AND_ASSIGN(QueuePlace first, service_->Join("eid-drop", "guest-1"));
  EXPECT_FALSE(first.admitted);
  EXPECT_FALSE(first.position.has_value());  // not drawn yet
  EXPECT_EQ(first.opens_at, clock_.Now() + absl::Minutes(9));
  EXPECT_GE(first.eta_s, 9 * 60);
  ASSERT_OK_AND_ASSIGN(QueuePlace again, service_->Join("eid-drop", "guest-1"));
  EXPECT_EQ(again.ticket, first.ticket);
  ASSERT_OK_AND_ASSIGN(QueuePlace second, service_->Join("eid-drop", "guest-2"));
  // Someone else's ticket is not yours.
  EXPECT_THAT(service_->Status("eid-drop", first.ticket, "guest-2"),
              StatusIs(absl::StatusCode::kPermissionDenied, "forbidden"));
  EXPECT_THAT(service_->Status("eid-drop", "no-such-ticket", "guest-2"),
              StatusIs(absl::StatusCode::kNotFound, "queue_ticket_not_found"));

  // Both keep polling until the opening (a caller silent for two minutes loses its place).
  for (int minute = 0; minute < 9; ++minute) {
    clock_.Advance(absl::Minutes(1));
    ASSERT_OK(service_->Status("eid-drop", first.ticket, "guest-1").status());
    ASSERT_OK(service_->Status("eid-drop", second.ticket, "guest-2").status());
  }
  ASSERT_OK(service_->Tick());
  const absl::Time opened_at = clock_.Now();
  // Each learns the draw at its own moment in the 20 s after the opening (the test below).
  clock_.Advance(absl::Seconds(20));
  ASSERT_OK_AND_ASSIGN(QueuePlace one, service_->Status("eid-drop", first.ticket, "guest-1"));
  ASSERT_OK_AND_ASSIGN(QueuePlace two, service_->Status("eid-drop", second.ticket, "guest-2"));
  // One place a second (60 a minute): whoever was drawn first is in, the other waits.
  const QueuePlace& in = one.admitted ? one : two;
  const QueuePlace& out = one.admitted ? two : one;
  ASSERT_TRUE(in.admitted);
  ASSERT_FALSE(out.admitted);
  EXPECT_EQ(out.position, 2);
  EXPECT_EQ(out.ahead, 0);
  EXPECT_GT(out.retry_after, absl::ZeroDuration());
  // The token is bound to its caller and room, and verifies with the published keys.
  ASSERT_OK_AND_ASSIGN(std::vector<QueueKey> keys, service_->VerificationKeys());
  ASSERT_OK_AND_ASSIGN(QueueTokenClaims claims,
                       VerifyQueueToken(in.queue_token, keys, clock_.Now()));
  EXPECT_EQ(claims.subject, one.admitted ? "guest-1" : "guest-2");
  EXPECT_EQ(claims.room_id, "eid-drop");
  EXPECT_EQ(claims.token_id, in.ticket);
  EXPECT_EQ(claims.expires_at, opened_at + absl::Minutes(10));
  EXPECT_EQ(in.expires_at, claims.expires_at);
  // After the opening anyone can audit the draw: the seed matches the commitment.
  ASSERT_OK_AND_ASSIGN(RoomView opened, service_->GetRoom("org-a", "eid-drop"));
  EXPECT_EQ(opened.status, RoomStatus::kOpen);
  ASSERT_EQ(opened.seed.size(), 64u);
  EXPECT_EQ(crypto::HexEncode(crypto::Sha256(opened.seed)), opened.commitment);
  EXPECT_EQ(opened.active, 1);
  EXPECT_EQ(opened.waiting, 1);
  // Stopping to poll loses the place.
  clock_.Advance(absl::Minutes(3));
  EXPECT_THAT(service_->Status("eid-drop", out.ticket, one.admitted ? "guest-2" : "guest-1"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "queue_ticket_expired"));
  EXPECT_NE(metrics_.Render().find("travio_queue_admitted_total{room=\"eid-drop\"} 1"),
            std::string::npos);
}

TEST_F(QueueServiceTest, APreQueueIsSentBackSpreadAndLearnsItsAdmissionNoEarlierThanTold) {
  RoomSpec spec = Scheduled();
  spec.admit_per_minute = 6000;  // everyone drawn is admitted at the opening
  ASSERT_OK(service_->PutRoom(spec).status());
  clock_.Advance(absl::Minutes(21));
  std::vector<std::pair<std::string, std::string>> joined;  // ticket, subject
  for (int i = 0; i < 20; ++i) {
    const std::string subject = absl::StrCat("guest-", i);
    ASSERT_OK_AND_ASSIGN(QueuePlace place, service_->Join("eid-drop", subject));
    joined.emplace_back(place.ticket, subject);
  }
  // Just before the opening (as close as a caller polling every 2 s gets), each is told to
  // come back at the opening plus its own offset: not all in the opening's first second.
  for (int minute = 0; minute < 8; ++minute) {  // polling, so as not to lose their places
    clock_.Advance(absl::Minutes(1));
    for (const auto& [ticket, subject] : joined) {
      ASSERT_OK(service_->Status("eid-drop", ticket, subject).status());
    }
  }
  clock_.Advance(absl::Milliseconds(58'500));  // 1.5 s before the opening
  std::set<int64_t> seconds_told;
  for (const auto& [ticket, subject] : joined) {
    ASSERT_OK_AND_ASSIGN(QueuePlace place, service_->Status("eid-drop", ticket, subject));
    const absl::Duration offset = PreQueueReturnOffset(ticket, absl::Seconds(20));
    // Rounded up to whole seconds before the opening: back after it, never before.
    EXPECT_EQ(place.retry_after, absl::Seconds(2) + offset);
    seconds_told.insert(absl::ToInt64Seconds(place.retry_after));
  }
  EXPECT_GT(seconds_told.size(), 5u);
  clock_.Advance(absl::Milliseconds(1'500));
  ASSERT_OK(service_->Tick());  // the opening: the draw
  const absl::Time opened = clock_.Now();
  // The inlet ticks every second and admits all twenty within the first seconds; a bot polling
  // every 100 ms learns of its admission no earlier than its moment (nor than the admission).
  std::map<std::string, absl::Time> first_seen_admitted;
  for (int step = 1; step <= 250; ++step) {
    clock_.Advance(absl::Milliseconds(100));
    if (step % 10 == 0) {
      ASSERT_OK(service_->Tick());
    }
    for (const auto& [ticket, subject] : joined) {
      if (first_seen_admitted.contains(ticket)) continue;
      ASSERT_OK_AND_ASSIGN(QueuePlace place, service_->Status("eid-drop", ticket, subject));
      if (place.admitted) {
        EXPECT_FALSE(place.queue_token.empty());
        first_seen_admitted[ticket] = clock_.Now();
      } else {
        EXPECT_TRUE(place.queue_token.empty());
      }
    }
  }
  ASSERT_EQ(first_seen_admitted.size(), joined.size());
  int later_than_the_first_tick = 0;
  for (const auto& [ticket, seen] : first_seen_admitted) {
    const absl::Duration offset = PreQueueReturnOffset(ticket, absl::Seconds(20));
    EXPECT_GE(seen, opened + offset) << ticket;
    EXPECT_LE(seen, opened + std::max(offset, absl::Seconds(1)) + absl::Seconds(1)) << ticket;
    later_than_the_first_tick += seen > opened + absl::Seconds(2);
  }
  EXPECT_GT(later_than_the_first_tick, 10);  // most moments fall after the admissions
}

TEST_F(QueueServiceTest, AnOnDemandRoomLetsCallersStraightThroughBelowItsLimits) {
  RoomSpec spec = OnDemand("busy-day");
  spec.max_active = 1;
  ASSERT_OK(service_->PutRoom(spec).status());
  ASSERT_OK_AND_ASSIGN(QueuePlace first, service_->Join("busy-day", "guest-1"));
  EXPECT_TRUE(first.admitted);
  EXPECT_FALSE(first.queue_token.empty());
  clock_.Advance(absl::Seconds(5));
  ASSERT_OK_AND_ASSIGN(QueuePlace second, service_->Join("busy-day", "guest-2"));
  EXPECT_FALSE(second.admitted);  // one active at most
  EXPECT_EQ(second.position, 2);
  // An order placed by the first ends its session: the next caller is admitted.
  ASSERT_OK(service_->OnOrderPlaced("guest-1", "trip-1"));
  ASSERT_OK(service_->OnOrderPlaced("guest-1", "trip-2"));  // an unguarded trip: nothing
  clock_.Advance(absl::Seconds(1));
  ASSERT_OK(service_->Tick());
  ASSERT_OK_AND_ASSIGN(QueuePlace admitted, service_->Status("busy-day", second.ticket, "guest-2"));
  EXPECT_TRUE(admitted.admitted);
  EXPECT_THAT(service_->Status("busy-day", first.ticket, "guest-1"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "queue_ticket_expired"));
}

// Found by fuzz/queue_ticket_fuzz.cc: between the end of a session and the inlet's next tick,
// status and join handed the caller a token that had already expired.
TEST_F(QueueServiceTest, ASessionThatRanOutIsOverBeforeTheInletNotices) {
  RoomSpec spec = OnDemand("walk-in");
  ASSERT_OK(service_->PutRoom(spec).status());
  ASSERT_OK_AND_ASSIGN(QueuePlace first, service_->Join("walk-in", "guest:1"));
  ASSERT_TRUE(first.admitted);
  clock_.Advance(absl::Minutes(spec.session_minutes) + absl::Seconds(1));  // no tick since
  EXPECT_THAT(service_->Status("walk-in", first.ticket, "guest:1"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "queue_ticket_expired"));
  ASSERT_OK_AND_ASSIGN(QueuePlace again, service_->Join("walk-in", "guest:1"));
  EXPECT_NE(again.ticket, first.ticket);
  ASSERT_TRUE(again.admitted);
  EXPECT_GT(again.expires_at, clock_.Now());
  ASSERT_OK(VerifyQueueToken(again.queue_token, keys_->public_keys(), clock_.Now()).status());
}

// Found by fuzz/queue_ticket_fuzz.cc: a subject that was not UTF-8 made signing its token
// throw, and an empty one got a token no verifier accepts.
TEST_F(QueueServiceTest, CallersWhoAreNoIdentityCannotJoinOrPoll) {
  RoomSpec spec = OnDemand("walk-in");
  ASSERT_OK(service_->PutRoom(spec).status());
  for (const std::string& subject :
       {std::string(), std::string("guest:\xf2\x80"), std::string("guest 1"), std::string(129, 'g'),
        std::string("guest:\n1")}) {
    EXPECT_THAT(service_->Join("walk-in", subject),
                StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
    EXPECT_THAT(service_->Status("walk-in", "any-ticket", subject),
                StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
  }
  ASSERT_OK_AND_ASSIGN(RoomView room, service_->GetRoom("org-a", "walk-in"));
  EXPECT_EQ(room.waiting + room.active, 0);
  ASSERT_OK_AND_ASSIGN(QueuePlace place, service_->Join("walk-in", "guest:1"));
  EXPECT_TRUE(place.admitted);
}

TEST_F(QueueServiceTest, ForgedOrForeignTokensAreRefused) {
  RoomSpec spec = OnDemand("busy-day");
  ASSERT_OK(service_->PutRoom(spec).status());
  ASSERT_OK_AND_ASSIGN(QueuePlace place, service_->Join("busy-day", "guest-1"));
  ASSERT_TRUE(place.admitted);
  ASSERT_OK_AND_ASSIGN(std::vector<QueueKey> keys, service_->VerificationKeys());
  // Another key, same claims: forged.
  ASSERT_OK_AND_ASSIGN(auto other_keys, LoadOrCreateTokenKeys(dir_.path() / "other-keys"));
  ASSERT_OK_AND_ASSIGN(std::string forged,
                       SignQueueToken(other_keys->secret_key(), keys.front().kid,
                                      {.subject = "guest-1",
                                       .room_id = "busy-day",
                                       .token_id = "x",
                                       .issued_at = clock_.Now(),
                                       .expires_at = clock_.Now() + absl::Minutes(5)}));
  EXPECT_THAT(VerifyQueueToken(forged, keys, clock_.Now()),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  std::string tampered = place.queue_token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_THAT(VerifyQueueToken(tampered, keys, clock_.Now()),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  EXPECT_THAT(VerifyQueueToken(place.queue_token, keys, place.expires_at),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  EXPECT_THAT(VerifyQueueToken("v4.public.garbage", keys, clock_.Now()),
              StatusIs(absl::StatusCode::kPermissionDenied, "queue_token_invalid"));
  EXPECT_OK(VerifyQueueToken(place.queue_token, keys, clock_.Now()));
}

}  // namespace
}  // namespace travio::queue
