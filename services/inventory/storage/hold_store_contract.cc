#include "services/inventory/storage/hold_store_contract.h"

#include <latch>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/testing/status_matchers.h"

namespace travio::inventory {
namespace {

constexpr Journey kDhkCtg{0, 1};
constexpr Journey kCtgCxb{1, 2};
constexpr Journey kWhole{0, 3};

std::vector<std::string> Errors(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldError& error : FieldErrorsOf(status)) {
    out.push_back(error.field + ": " + error.message);
  }
  return out;
}

}  // namespace

void HoldStoreContract::SetUp() {
  harness_ = GetParam().make();
  auto store = harness_->Open();
  ASSERT_OK(store);
  store_ = *std::move(store);
  SystemClock clock;
  trip_id_ = IdGenerator(clock).NewId();  // adapters on a shared server see many tests
}

TripSeats HoldStoreContract::Trip() const {
  TripSeats trip{.trip_id = trip_id_, .stops = {"DHK", "CTG", "CXB", "TKF"}, .places = {}};
  for (int i = 1; i <= 10; ++i) trip.places.push_back({absl::StrCat("A", i), "standard", i != 10});
  return trip;
}

HoldRecord HoldStoreContract::Request(const std::string& holder, std::vector<std::string> seats,
                                      Journey journey) const {
  SystemClock clock;
  return HoldRecord{.trip_id = trip_id_,
                    .org_id = "org-1",
                    .hold = {.id = IdGenerator(clock).NewId(),
                             .holder = holder + "-" + trip_id_,
                             .seats = std::move(seats),
                             .journey = journey,
                             .expires_at = absl::InfinitePast(),
                             .version = 1},
                    .prices = {{"A1", 120000, "BDT"}}};
}

void HoldStoreContract::PassTime(absl::Duration by) {
  if (ManualClock* clock = harness_->clock()) {
    clock->Advance(by);
  } else {
    absl::SleepFor(by);
  }
}

absl::Duration HoldStoreContract::ttl() const {
  return harness_->clock() != nullptr ? absl::Minutes(5) : absl::Milliseconds(400);
}

TEST_P(HoldStoreContract, EveryCallOnATripItDoesNotHoldAsksForItToBeLoaded) {
  const HoldRecord request = Request("u", {"A1"}, kDhkCtg);
  EXPECT_EQ(ReasonOf(store_->Hold(request, ttl(), limits_).status()), "trip_not_loaded");
  EXPECT_EQ(ReasonOf(store_->Claims(trip_id_, kWhole).status()), "trip_not_loaded");
  EXPECT_EQ(ReasonOf(store_->Release(trip_id_, "h")), "trip_not_loaded");
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, "h", 1, "b", false)), "trip_not_loaded");
  EXPECT_EQ(ReasonOf(store_->Free(trip_id_, "b", {"A1"}, kWhole)), "trip_not_loaded");
  // A refused hold counts against nobody's limit.
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  HoldLimits one{.max_seats = 10, .max_holds = 1};
  EXPECT_OK(store_->Hold(Request("u", {"A1"}, kDhkCtg), ttl(), one));
}

TEST_P(HoldStoreContract, ASeatHeldOnOneLegIsFreeOnTheOthers) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto held = store_->Hold(Request("u1", {"A1", "A2"}, kDhkCtg), ttl(), limits_);
  ASSERT_OK(held);
  EXPECT_EQ(held->hold.version, 1);
  EXPECT_GT(held->hold.expires_at, absl::Now() - absl::Hours(24 * 365));
  auto claims = store_->Claims(trip_id_, kDhkCtg);
  ASSERT_OK(claims);
  EXPECT_EQ(*claims, (std::map<std::string, SeatStatus>{{"A1", SeatStatus::kHeld},
                                                        {"A2", SeatStatus::kHeld}}));
  EXPECT_TRUE(store_->Claims(trip_id_, kCtgCxb)->empty());
  EXPECT_OK(store_->Hold(Request("u2", {"A2"}, kCtgCxb), ttl(), limits_));
  EXPECT_EQ(store_->Claims(trip_id_, kWhole)->size(), 2u);
}

TEST_P(HoldStoreContract, AHoldIsAllOrNothingAndNamesEveryTakenSeat) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  ASSERT_OK(store_->Hold(Request("u1", {"A2"}, kCtgCxb), ttl(), limits_));
  ASSERT_OK(store_->Hold(Request("u1", {"A4"}, kDhkCtg), ttl(), limits_));
  auto refused = store_->Hold(Request("u2", {"A3", "A2", "A4", "A5"}, kWhole), ttl(), limits_);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReasonOf(refused.status()), "seats_unavailable");
  EXPECT_EQ(Errors(refused.status()),
            (std::vector<std::string>{"seats[1]: A2 is held", "seats[2]: A4 is held"}));
  // Nothing was written: A3 and A5 are free on every leg.
  EXPECT_EQ(store_->Claims(trip_id_, kWhole)->count("A3"), 0u);
  EXPECT_OK(store_->Hold(Request("u3", {"A3", "A5"}, kWhole), ttl(), limits_));
}

TEST_P(HoldStoreContract, LoadedBookingsAndBlocksAreTakenAndAReloadChangesNothing) {
  BookingRecord sold{.id = "b1",
                     .trip_id = trip_id_,
                     .org_id = "org-1",
                     .hold_id = "h0",
                     .seats = {"A1"},
                     .journey = kDhkCtg,
                     .prices = {},
                     .created_at = absl::UnixEpoch(),
                     .blocked = false};
  BookingRecord block = sold;
  block.id = "k1";
  block.hold_id = "h00";
  block.seats = {"A9"};
  block.journey = kWhole;
  block.blocked = true;
  ASSERT_OK(store_->LoadTrip(Trip(), {sold, block}));
  EXPECT_EQ(*store_->Claims(trip_id_, kWhole),
            (std::map<std::string, SeatStatus>{{"A1", SeatStatus::kBooked},
                                               {"A9", SeatStatus::kBlocked}}));
  EXPECT_EQ(store_->Claims(trip_id_, kCtgCxb)->count("A1"), 0u);
  auto refused = store_->Hold(Request("u", {"A1", "A9"}, kWhole), ttl(), limits_);
  EXPECT_EQ(Errors(refused.status()),
            (std::vector<std::string>{"seats[0]: A1 is booked", "seats[1]: A9 is blocked"}));
  // A replayed load (another event) never resets what is sold or held.
  ASSERT_OK(store_->Hold(Request("u", {"A2"}, kWhole), ttl(), limits_));
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  EXPECT_EQ(store_->Claims(trip_id_, kWhole)->size(), 3u);
}

TEST_P(HoldStoreContract, ConfirmationIsFencedByTheHoldAndItsVersion) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto held = store_->Hold(Request("u", {"A1", "A2"}, kCtgCxb), ttl(), limits_);
  ASSERT_OK(held);
  const std::string id = held->hold.id;
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, id, 7, "b1", false)), "hold_version_mismatch");
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, "no-such-hold", 1, "b1", false)), "hold_not_found");
  ASSERT_OK(store_->Confirm(trip_id_, id, 1, "b1", false));
  EXPECT_FALSE(store_->FindHold(id)->has_value());
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, id, 1, "b2", false)), "hold_not_found");
  EXPECT_EQ(ReasonOf(store_->Release(trip_id_, id)), "hold_not_found");
  EXPECT_EQ(store_->Claims(trip_id_, kCtgCxb)->at("A2"), SeatStatus::kBooked);
  // A cancelled seat is free again; the other stays booked.
  ASSERT_OK(store_->Free(trip_id_, "b1", {"A2"}, kCtgCxb));
  EXPECT_EQ(*store_->Claims(trip_id_, kCtgCxb),
            (std::map<std::string, SeatStatus>{{"A1", SeatStatus::kBooked}}));
  EXPECT_OK(store_->Hold(Request("u2", {"A2"}, kWhole), ttl(), limits_));
}

TEST_P(HoldStoreContract, ACommittedBookingAReloadMissedIsPutBackOverWhateverClaimedItsLegs) {
  BookingRecord sold{.id = "b1",
                     .trip_id = trip_id_,
                     .org_id = "org-1",
                     .hold_id = "h1",
                     .seats = {"A1", "A2"},
                     .journey = kWhole,
                     .prices = {},
                     .created_at = absl::UnixEpoch(),
                     .blocked = false};
  EXPECT_EQ(ReasonOf(store_->EnsureBooked(sold).status()), "trip_not_loaded");
  // Confirmed in the hot state, then lost with it, then reloaded from a database that did not
  // have the booking yet: A2 went to another holder meanwhile.
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto held = store_->Hold(Request("u1", {"A1", "A2"}, kWhole), ttl(), limits_);
  ASSERT_OK(held);
  sold.hold_id = held->hold.id;
  ASSERT_OK(store_->Confirm(trip_id_, held->hold.id, 1, "b1", false));
  ASSERT_OK(store_->DropTrip(trip_id_));
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto later = store_->Hold(Request("u2", {"A2", "A3"}, kCtgCxb), ttl(), limits_);
  ASSERT_OK(later);
  EXPECT_EQ(store_->Claims(trip_id_, kDhkCtg)->count("A1"), 0u);

  auto shown = store_->EnsureBooked(sold);
  ASSERT_OK(shown);
  EXPECT_TRUE(*shown);
  EXPECT_EQ(
      *store_->Claims(trip_id_, kWhole),
      (std::map<std::string, SeatStatus>{
          {"A1", SeatStatus::kBooked}, {"A2", SeatStatus::kBooked}, {"A3", SeatStatus::kHeld}}));
  auto refused = store_->Hold(Request("u3", {"A1"}, kDhkCtg), ttl(), limits_);
  EXPECT_EQ(ReasonOf(refused.status()), "seats_unavailable");
  // Twice changes nothing, and the booking cancels as any other.
  shown = store_->EnsureBooked(sold);
  ASSERT_OK(shown);
  EXPECT_FALSE(*shown);
  EXPECT_EQ(store_->Claims(trip_id_, kWhole)->size(), 3u);
  ASSERT_OK(store_->Free(trip_id_, "b1", {"A1", "A2"}, kWhole));
  EXPECT_EQ(*store_->Claims(trip_id_, kWhole),
            (std::map<std::string, SeatStatus>{{"A3", SeatStatus::kHeld}}));
  // An operator's block is put back as a block.
  BookingRecord block = sold;
  block.id = "k1";
  block.seats = {"A5"};
  block.blocked = true;
  ASSERT_OK(store_->EnsureBooked(block));
  EXPECT_EQ(store_->Claims(trip_id_, kDhkCtg)->at("A5"), SeatStatus::kBlocked);
  // Never over another booking: the database has one claim per seat-leg, and that one is
  // live (this booking's seat was cancelled and sold again before it was put back).
  BookingRecord stale = sold;
  stale.id = "b-stale";
  stale.seats = {"A5", "A6"};
  shown = store_->EnsureBooked(stale);
  ASSERT_OK(shown);
  EXPECT_TRUE(*shown);
  ASSERT_OK(store_->Free(trip_id_, "k1", {"A5"}, kWhole));
  EXPECT_EQ(
      *store_->Claims(trip_id_, kWhole),
      (std::map<std::string, SeatStatus>{{"A3", SeatStatus::kHeld}, {"A6", SeatStatus::kBooked}}));
}

TEST_P(HoldStoreContract, AReleasedHoldFreesItsSeatsOnce) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto held = store_->Hold(Request("u", {"A1"}, kWhole), ttl(), limits_);
  ASSERT_OK(held);
  auto found = store_->FindHold(held->hold.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->hold.seats, std::vector<std::string>{"A1"});
  EXPECT_EQ((*found)->hold.journey, kWhole);
  EXPECT_EQ((*found)->trip_id, trip_id_);
  EXPECT_EQ((*found)->prices.size(), 1u);
  EXPECT_EQ(absl::ToUnixMillis((*found)->hold.expires_at),
            absl::ToUnixMillis(held->hold.expires_at));
  ASSERT_OK(store_->Release(trip_id_, held->hold.id));
  EXPECT_EQ(ReasonOf(store_->Release(trip_id_, held->hold.id)), "hold_not_found");
  EXPECT_FALSE(store_->FindHold(held->hold.id)->has_value());
  EXPECT_TRUE(store_->Claims(trip_id_, kWhole)->empty());
}

TEST_P(HoldStoreContract, AHolderHasAtMostMaxHoldsLiveHolds) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  const HoldLimits two{.max_seats = 10, .max_holds = 2};
  auto first = store_->Hold(Request("u", {"A1"}, kWhole), ttl(), two);
  ASSERT_OK(first);
  ASSERT_OK(store_->Hold(Request("u", {"A2"}, kWhole), ttl(), two));
  auto third = store_->Hold(Request("u", {"A3"}, kWhole), ttl(), two);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(third.status()), "hold_limit");
  EXPECT_EQ(store_->Claims(trip_id_, kWhole)->count("A3"), 0u);
  EXPECT_OK(store_->Hold(Request("other", {"A3"}, kWhole), ttl(), two));
  ASSERT_OK(store_->Release(trip_id_, first->hold.id));
  EXPECT_OK(store_->Hold(Request("u", {"A4"}, kWhole), ttl(), two));
}

TEST_P(HoldStoreContract, AnExpiredHoldNeitherBlocksNorConfirmsAndIsSwept) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  const HoldLimits one{.max_seats = 10, .max_holds = 1};
  auto held = store_->Hold(Request("u", {"A1", "A2"}, kWhole), ttl(), one);
  ASSERT_OK(held);
  if (ManualClock* clock = harness_->clock()) {
    // Exactly at the boundary: live one microsecond before expires_at, gone at it.
    clock->Set(held->hold.expires_at - absl::Microseconds(1));
    EXPECT_EQ(store_->Claims(trip_id_, kWhole)->size(), 2u);
    EXPECT_EQ(ReasonOf(store_->Hold(Request("v", {"A1"}, kWhole), ttl(), one).status()),
              "seats_unavailable");
    clock->Set(held->hold.expires_at);
  } else {
    PassTime(ttl() + absl::Milliseconds(100));
  }
  EXPECT_TRUE(store_->Claims(trip_id_, kWhole)->empty());
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, held->hold.id, 1, "b1", false)), "hold_expired");
  // The holder's limit no longer counts it, and someone else may take its seats.
  auto again = store_->Hold(Request("u", {"A3"}, kWhole), ttl(), one);
  EXPECT_OK(again);
  EXPECT_OK(store_->Hold(Request("v", {"A1"}, kWhole), ttl(), one));
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, held->hold.id, 1, "b1", false)), "hold_expired");
  // The sweeper frees what expired and nothing else.
  PassTime(ttl() + absl::Milliseconds(100));
  auto swept = store_->SweepExpired(1000);
  ASSERT_OK(swept);
  std::set<std::string> ids;
  for (const HoldRecord& record : *swept) {
    if (record.trip_id == trip_id_) ids.insert(record.hold.id);  // a shared server has others
  }
  EXPECT_TRUE(ids.count(held->hold.id));
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_FALSE(store_->FindHold(held->hold.id)->has_value());
  EXPECT_EQ(ReasonOf(store_->Confirm(trip_id_, held->hold.id, 1, "b1", false)), "hold_not_found");
  EXPECT_EQ(ReasonOf(store_->Release(trip_id_, again->hold.id)), "hold_not_found");
  // Swept holds count against nobody: the holder holds again, and the trip, swept bare, is
  // swept again when that hold expires.
  auto later = store_->Hold(Request("u", {"A5"}, kWhole), ttl(), one);
  ASSERT_OK(later);
  PassTime(ttl() + absl::Milliseconds(100));
  swept = store_->SweepExpired(1000);
  ASSERT_OK(swept);
  ids.clear();
  for (const HoldRecord& record : *swept) {
    if (record.trip_id == trip_id_) ids.insert(record.hold.id);
  }
  EXPECT_EQ(ids, std::set<std::string>{later->hold.id});
  swept = store_->SweepExpired(1000);
  ASSERT_OK(swept);
  for (const HoldRecord& record : *swept) {
    EXPECT_NE(record.trip_id, trip_id_) << record.hold.id << " swept twice";
  }
}

TEST_P(HoldStoreContract, DroppingATripReleasesEveryHold) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto held = store_->Hold(Request("u", {"A1"}, kWhole), ttl(), limits_);
  ASSERT_OK(held);
  ASSERT_OK(store_->DropTrip(trip_id_));
  EXPECT_FALSE(store_->FindHold(held->hold.id)->has_value());
  EXPECT_EQ(ReasonOf(store_->Claims(trip_id_, kWhole).status()), "trip_not_loaded");
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  EXPECT_TRUE(store_->Claims(trip_id_, kWhole)->empty());
}

TEST_P(HoldStoreContract, HoldsSurviveARestartWhereTheAdapterKeepsThem) {
  if (!harness_->survives_reopen()) GTEST_SKIP() << "this adapter keeps holds in the process";
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  auto kept = store_->Hold(Request("u", {"A1", "A2"}, kCtgCxb), ttl(), limits_);
  auto released = store_->Hold(Request("u", {"A3"}, kCtgCxb), ttl(), limits_);
  ASSERT_OK(kept);
  ASSERT_OK(released);
  ASSERT_OK(store_->Release(trip_id_, released->hold.id));
  store_.reset();
  auto reopened = harness_->Open();
  ASSERT_OK(reopened);
  store_ = *std::move(reopened);
  auto found = store_->FindHold(kept->hold.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->hold.seats, (std::vector<std::string>{"A1", "A2"}));
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  EXPECT_EQ(
      *store_->Claims(trip_id_, kWhole),
      (std::map<std::string, SeatStatus>{{"A1", SeatStatus::kHeld}, {"A2", SeatStatus::kHeld}}));
  EXPECT_EQ(ReasonOf(store_->Hold(Request("v", {"A2"}, kCtgCxb), ttl(), limits_).status()),
            "seats_unavailable");
  EXPECT_OK(store_->Confirm(trip_id_, kept->hold.id, 1, "b1", false));
  EXPECT_FALSE(store_->FindHold(released->hold.id)->has_value());
}

// 64 threads hold random overlapping seat sets for random journeys on one trip, release some
// and confirm others. Afterwards every seat-leg has at most one owner among the live holds and
// bookings, and the store's claims are exactly theirs.
TEST_P(HoldStoreContract, SixtyFourRacingHoldersNeverShareASeatLeg) {
  ASSERT_OK(store_->LoadTrip(Trip(), {}));
  constexpr int kThreads = 64;
  constexpr int kAttempts = 12;
  const absl::Duration long_ttl = absl::Minutes(10);  // nothing expires during the race
  struct Owned {
    std::vector<std::string> seats;
    Journey journey;
  };
  std::mutex mutex;
  std::vector<Owned> owners;
  int refusals = 0;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) * 7919u + 17u);
      start.arrive_and_wait();
      for (int attempt = 0; attempt < kAttempts; ++attempt) {
        std::vector<std::string> seats;
        const int count = 1 + static_cast<int>(random() % 3);
        std::set<int> picked;
        while (static_cast<int>(picked.size()) < count) picked.insert(1 + random() % 9);
        for (int seat : picked) seats.push_back(absl::StrCat("A", seat));
        const int from = static_cast<int>(random() % 3);
        const int to = from + 1 + static_cast<int>(random() % (3 - from));
        const HoldRecord request = Request(absl::StrCat("racer", t), seats, Journey{from, to});
        auto held = store_->Hold(request, long_ttl, limits_);
        if (!held.ok()) {
          ASSERT_EQ(ReasonOf(held.status()), "seats_unavailable") << held.status();
          std::lock_guard lock(mutex);
          ++refusals;
          continue;
        }
        const int fate = static_cast<int>(random() % 3);
        if (fate == 0) {
          ASSERT_OK(store_->Release(trip_id_, held->hold.id));
          continue;
        }
        if (fate == 1) {
          ASSERT_OK(store_->Confirm(trip_id_, held->hold.id, 1, "b-" + held->hold.id, false));
        }
        std::lock_guard lock(mutex);
        owners.push_back({seats, Journey{from, to}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::map<std::pair<std::string, int>, int> owners_of;
  for (const Owned& owned : owners) {
    for (const std::string& seat : owned.seats) {
      for (int leg = owned.journey.from; leg < owned.journey.to; ++leg) ++owners_of[{seat, leg}];
    }
  }
  for (const auto& [seat_leg, count] : owners_of) {
    EXPECT_EQ(count, 1) << seat_leg.first << " leg " << seat_leg.second;
  }
  EXPECT_GT(refusals, 0);  // the race was real
  for (int leg = 0; leg < 3; ++leg) {
    auto claims = store_->Claims(trip_id_, Journey{leg, leg + 1});
    ASSERT_OK(claims);
    size_t owned_here = 0;
    for (const auto& [seat_leg, count] : owners_of) owned_here += seat_leg.second == leg;
    EXPECT_EQ(claims->size(), owned_here) << "leg " << leg;
  }
}

}  // namespace travio::inventory
