#include "services/inventory/domain/seat_ledger.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::inventory {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
constexpr absl::Duration kTtl = absl::Minutes(5);

// Dhaka -> Chattogram -> Cox's Bazar, ten seats A1..A10, A10 blocked.
TripSeats DhakaCoxsBazar() {
  TripSeats trip{.trip_id = "trip-1", .stops = {"DHK", "CTG", "CXB"}, .places = {}};
  for (int i = 1; i <= 10; ++i) {
    trip.places.push_back({absl::StrCat("A", i), i <= 2 ? "ladies" : "standard", i != 10});
  }
  return trip;
}

HoldRequest Request(std::string id, std::vector<std::string> seats, Journey journey) {
  return HoldRequest{.hold_id = std::move(id),
                     .holder = "user-1",
                     .seats = std::move(seats),
                     .journey = journey,
                     .ttl = kTtl};
}

constexpr Journey kDhakaChattogram{0, 1};
constexpr Journey kChattogramCoxsBazar{1, 2};
constexpr Journey kWholeRoute{0, 2};

TEST(SeatLedgerTest, JourneysAreStopIndexesOfTheTrip) {
  const TripSeats trip = DhakaCoxsBazar();
  EXPECT_EQ(*JourneyBetween(trip, "CTG", "CXB"), kChattogramCoxsBazar);
  EXPECT_EQ(ReasonOf(JourneyBetween(trip, "CXB", "DHK").status()), "invalid_journey");
  EXPECT_EQ(ReasonOf(JourneyBetween(trip, "DHK", "SYL").status()), "invalid_journey");
  EXPECT_EQ(ReasonOf(JourneyBetween(trip, "DHK", "DHK").status()), "invalid_journey");
}

TEST(SeatLedgerTest, ASeatHeldForOneLegIsStillSoldOnTheNext) {
  SeatLedger ledger(DhakaCoxsBazar());
  ASSERT_OK(ledger.HoldSeats(Request("h1", {"A3"}, kDhakaChattogram), kNow, 6));
  EXPECT_EQ(ledger.Statuses(kDhakaChattogram, kNow).at("A3"), SeatStatus::kHeld);
  EXPECT_EQ(ledger.Statuses(kChattogramCoxsBazar, kNow).at("A3"), SeatStatus::kAvailable);
  EXPECT_EQ(ledger.Statuses(kWholeRoute, kNow).at("A3"), SeatStatus::kHeld);
  EXPECT_OK(ledger.HoldSeats(Request("h2", {"A3"}, kChattogramCoxsBazar), kNow, 6));
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h3", {"A3"}, kWholeRoute), kNow, 6).status()),
            "seats_unavailable");
  EXPECT_EQ(ledger.Available(kWholeRoute, kNow), 8);  // 9 for sale, A3 taken on both legs
  EXPECT_EQ(ledger.Available(kDhakaChattogram, kNow), 8);
}

TEST(SeatLedgerTest, HoldsAreAllOrNothingAndNameEveryTakenSeat) {
  SeatLedger ledger(DhakaCoxsBazar());
  ASSERT_OK(ledger.HoldSeats(Request("h1", {"A2"}, kWholeRoute), kNow, 6));
  auto refused = ledger.HoldSeats(Request("h2", {"A1", "A2", "A10"}, kDhakaChattogram), kNow, 6);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReasonOf(refused.status()), "seats_unavailable");
  const auto errors = FieldErrorsOf(refused.status());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "seats[1]");
  EXPECT_EQ(errors[0].message, "A2 is held");
  EXPECT_EQ(errors[1].message, "A10 is not for sale");
  EXPECT_EQ(ledger.Statuses(kDhakaChattogram, kNow).at("A1"), SeatStatus::kAvailable);
  EXPECT_FALSE(ledger.FindHold("h2"));
}

TEST(SeatLedgerTest, RefusesBadRequestsWithoutWriting) {
  SeatLedger ledger(DhakaCoxsBazar());
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h", {}, kWholeRoute), kNow, 6).status()),
            "invalid_seats");
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h", {"Z9"}, kWholeRoute), kNow, 6).status()),
            "invalid_seats");
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h", {"A1", "A1"}, kWholeRoute), kNow, 6).status()),
            "invalid_seats");
  EXPECT_EQ(
      ReasonOf(ledger.HoldSeats(Request("h", {"A1", "A2", "A3"}, kWholeRoute), kNow, 2).status()),
      "invalid_seats");
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h", {"A1"}, Journey{1, 1}), kNow, 6).status()),
            "invalid_journey");
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h", {"A1"}, Journey{0, 3}), kNow, 6).status()),
            "invalid_journey");
  EXPECT_EQ(ledger.Available(kWholeRoute, kNow), 9);
  ASSERT_OK(ledger.HoldSeats(Request("h", {"A1"}, kWholeRoute), kNow, 6));
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h", {"A4"}, kWholeRoute), kNow, 6).status()),
            "hold_exists");
}

TEST(SeatLedgerTest, AHoldLapsesExactlyAtItsExpiry) {
  SeatLedger ledger(DhakaCoxsBazar());
  auto hold = ledger.HoldSeats(Request("h1", {"A4"}, kWholeRoute), kNow, 6);
  ASSERT_OK(hold);
  const absl::Time expiry = kNow + kTtl;
  EXPECT_EQ(hold->expires_at, expiry);
  const absl::Time just_before = expiry - absl::Microseconds(1);
  EXPECT_EQ(ledger.Statuses(kWholeRoute, just_before).at("A4"), SeatStatus::kHeld);
  EXPECT_EQ(ReasonOf(ledger.HoldSeats(Request("h2", {"A4"}, kWholeRoute), just_before, 6).status()),
            "seats_unavailable");
  EXPECT_EQ(ledger.Statuses(kWholeRoute, expiry).at("A4"), SeatStatus::kAvailable);
  EXPECT_EQ(ReasonOf(ledger.Confirm("h1", 1, "b1", expiry).status()), "hold_expired");
  EXPECT_EQ(ReasonOf(ledger.Release("h1", expiry)), "hold_not_found");
  EXPECT_EQ(ledger.SweepExpired(expiry).size(), 1u);
  EXPECT_TRUE(ledger.SweepExpired(expiry).empty());
}

TEST(SeatLedgerTest, AnExpiredHolderCanNeverConfirmSeatsSomeoneElseHolds) {
  SeatLedger ledger(DhakaCoxsBazar());
  ASSERT_OK(ledger.HoldSeats(Request("late", {"A5"}, kWholeRoute), kNow, 6));
  const absl::Time later = kNow + kTtl + absl::Seconds(1);
  ASSERT_OK(ledger.HoldSeats(Request("next", {"A5"}, kDhakaChattogram), later, 6));
  EXPECT_EQ(ReasonOf(ledger.Confirm("late", 1, "b-late", later).status()), "hold_expired");
  EXPECT_EQ(ReasonOf(ledger.Confirm("next", 2, "b-next", later).status()), "hold_version_mismatch");
  auto booking = ledger.Confirm("next", 1, "b-next", later);
  ASSERT_OK(booking);
  EXPECT_EQ(ledger.Statuses(kDhakaChattogram, later).at("A5"), SeatStatus::kBooked);
  // The sweeper must not free the booked leg when it drops the old hold.
  ledger.SweepExpired(later);
  EXPECT_EQ(ledger.Statuses(kDhakaChattogram, later).at("A5"), SeatStatus::kBooked);
  EXPECT_EQ(ledger.Statuses(kChattogramCoxsBazar, later).at("A5"), SeatStatus::kAvailable);
  // A confirmed hold is gone: confirming again or releasing it finds nothing.
  EXPECT_EQ(ReasonOf(ledger.Confirm("next", 1, "b-again", later).status()), "hold_not_found");
  EXPECT_EQ(ReasonOf(ledger.Release("next", later)), "hold_not_found");
}

TEST(SeatLedgerTest, CancellingPartOfABookingFreesThoseSeatsOnItsLegs) {
  SeatLedger ledger(DhakaCoxsBazar());
  ASSERT_OK(ledger.HoldSeats(Request("h1", {"A6", "A7"}, kWholeRoute), kNow, 6));
  ASSERT_OK(ledger.Confirm("h1", 1, "b1", kNow));
  EXPECT_EQ(ReasonOf(ledger.CancelBooking("b1", {"A8"})), "invalid_seats");
  ASSERT_OK(ledger.CancelBooking("b1", {"A6"}));
  EXPECT_EQ(ledger.Statuses(kWholeRoute, kNow).at("A6"), SeatStatus::kAvailable);
  EXPECT_EQ(ledger.Statuses(kWholeRoute, kNow).at("A7"), SeatStatus::kBooked);
  ASSERT_OK(ledger.CancelBooking("b1", {}));
  EXPECT_EQ(ledger.Statuses(kWholeRoute, kNow).at("A7"), SeatStatus::kAvailable);
  EXPECT_EQ(ReasonOf(ledger.CancelBooking("b1", {})), "booking_not_found");
}

// Random holds, releases, confirmations, cancellations and clock steps, checked after every
// operation against a model kept by the test from the ledger's answers alone: no seat-leg ever
// has two live owners, and availability is what the model says.
TEST(SeatLedgerTest, RandomOperationsNeverGiveASeatLegTwoOwners) {
  std::mt19937 random(20261129);
  SeatLedger ledger(DhakaCoxsBazar());
  struct Owner {
    std::vector<std::string> seats;
    Journey journey;
    absl::Time expires_at;  // InfiniteFuture for bookings
    int64_t version;
  };
  std::map<std::string, Owner> live;  // hold or booking id -> what it owns
  absl::Time now = kNow;
  int next_id = 0;
  const std::vector<Journey> journeys = {kDhakaChattogram, kChattogramCoxsBazar, kWholeRoute};
  for (int step = 0; step < 5000; ++step) {
    now += absl::Seconds(std::uniform_int_distribution<int>(0, 40)(random));
    std::erase_if(live, [&](const auto& entry) { return entry.second.expires_at <= now; });
    const int action = std::uniform_int_distribution<int>(0, 9)(random);
    if (action < 6) {
      std::vector<std::string> seats;
      const int count = std::uniform_int_distribution<int>(1, 3)(random);
      for (int i = 0; i < count; ++i) {
        const std::string label =
            absl::StrCat("A", std::uniform_int_distribution<int>(1, 10)(random));
        if (std::find(seats.begin(), seats.end(), label) == seats.end()) seats.push_back(label);
      }
      const Journey journey = journeys[std::uniform_int_distribution<size_t>(0, 2)(random)];
      const std::string id = absl::StrCat("h", ++next_id);
      auto hold = ledger.HoldSeats(Request(id, seats, journey), now, 6);
      // The model decides independently whether the hold had to succeed.
      bool free = std::find(seats.begin(), seats.end(), "A10") == seats.end();
      for (const auto& [owner_id, owner] : live) {
        const bool legs_overlap =
            owner.journey.from < journey.to && journey.from < owner.journey.to;
        for (const std::string& seat : seats) {
          if (legs_overlap &&
              std::find(owner.seats.begin(), owner.seats.end(), seat) != owner.seats.end()) {
            free = false;
          }
        }
      }
      ASSERT_EQ(hold.ok(), free) << "step " << step << " " << hold.status();
      if (hold.ok()) live[id] = {seats, journey, hold->expires_at, hold->version};
    } else if (!live.empty()) {
      auto it = live.begin();
      std::advance(it, std::uniform_int_distribution<size_t>(0, live.size() - 1)(random));
      const std::string id = it->first;
      const bool is_hold = it->second.expires_at != absl::InfiniteFuture();
      if (is_hold && action < 8) {
        auto booking = ledger.Confirm(id, it->second.version, "b" + id, now);
        ASSERT_OK(booking);
        Owner owner = it->second;
        owner.expires_at = absl::InfiniteFuture();
        live.erase(it);
        live["b" + id] = owner;
      } else if (is_hold) {
        ASSERT_OK(ledger.Release(id, now));
        live.erase(it);
      } else {
        ASSERT_OK(ledger.CancelBooking(id, {}));
        live.erase(it);
      }
    }
    if (step % 97 == 0) ledger.SweepExpired(now);
    for (const Journey& journey : journeys) {
      int taken = 0;
      for (int seat = 1; seat <= 9; ++seat) {
        const std::string label = absl::StrCat("A", seat);
        for (const auto& [owner_id, owner] : live) {
          const bool legs_overlap =
              owner.journey.from < journey.to && journey.from < owner.journey.to;
          if (legs_overlap &&
              std::find(owner.seats.begin(), owner.seats.end(), label) != owner.seats.end()) {
            ++taken;
            break;
          }
        }
      }
      ASSERT_EQ(ledger.Available(journey, now), 9 - taken) << "step " << step;
    }
  }
}

}  // namespace
}  // namespace travio::inventory
