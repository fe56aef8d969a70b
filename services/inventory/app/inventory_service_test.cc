// Inventory's use cases on the monolith's adapters (memory hold store, SQLite): events in,
// holds with frozen prices, confirmation fenced by the hold, the database's last word, blocks
// and seat maps.
#include "services/inventory/app/inventory_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>

#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/db/migrations.h"
#include "platform/events/bus.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/storage/memory/memory_hold_store.h"
#include "services/inventory/storage/sql/sql_booking_store.h"
#include "services/inventory/storage/sql/sql_trip_store.h"
#include "services/pricing/api/unscripted_pricing.h"

namespace travio::inventory {
namespace {

using ::travio::testing::StatusIs;

const std::string kOrg = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
const std::string kTrip = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900010";

// Dhaka -> Chattogram -> Cox's Bazar on a 2+2 bus of three rows (A1..C4), C4 blocked.
catalog::Trip CatalogTrip(int version, catalog::TripStatus status) {
  fleet::SeatLayout layout = *fleet::LayoutFromTemplate("2+2", 3);
  for (fleet::Cell& cell : layout.decks[0].cells) {
    if (cell.label == "C4") cell.blocked = true;
  }
  const absl::Time departure = absl::FromUnixSeconds(1'797'784'200);
  catalog::Trip trip;
  trip.id = kTrip;
  trip.org_id = kOrg;
  trip.route_id = "route";
  trip.route_name = "Dhaka - Cox's Bazar";
  trip.bus = {.bus_id = "bus", .bus_version = 1, .plate = "DHA-1"};
  catalog::SetLayout(trip.bus, layout);
  trip.stops = {{"DHK", "Asia/Dhaka", departure, departure, true, false},
                {"CTG", "Asia/Dhaka", departure + absl::Minutes(330),
                 departure + absl::Minutes(345), true, true},
                {"CXB", "Asia/Dhaka", departure + absl::Minutes(570),
                 departure + absl::Minutes(570), false, true}};
  trip.fares = {{"DHK", "CTG", 100000, "BDT", ""},
                {"CTG", "CXB", 60000, "BDT", ""},
                {"DHK", "CXB", 150000, "BDT", ""}};
  trip.status = status;
  trip.version = version;
  return trip;
}

events::Event EventOf(const catalog::Trip& trip, const std::string& type) {
  events::Event event = catalog::kTripPublished.Make(catalog::Publish(trip),
                                                     {.id = "event-" + std::to_string(trip.version),
                                                      .aggregate_id = trip.id,
                                                      .org_id = trip.org_id,
                                                      .occurred_at = absl::UnixEpoch(),
                                                      .trace_id = ""});
  event.type = type;
  return event;
}

// The pricing service as inventory meets it: answers with what the test scripts, and keeps the
// last request.
class ScriptedPricing final : public pricing::UnscriptedPricing {
 public:
  std::function<void(pricing::PriceResult&)> change = [](pricing::PriceResult&) {};
  pricing::PriceRequest last;
  int calls = 0;

  absl::StatusOr<pricing::PriceResult> PriceSeats(const pricing::PriceRequest& request) override {
    last = request;
    ++calls;
    pricing::PriceResult result{.at = absl::UnixEpoch(), .currency = request.currency, .seats = {}};
    for (const pricing::SeatFacts& seat : request.seats) {
      result.seats.push_back(
          {.seat = seat.label,
           .category = seat.category,
           .base = seat.base,
           .price = seat.base + 100,
           .applied = {{"rule-1", 3, "Plus one taka", seat.base, seat.base + 100}}});
    }
    change(result);
    return result;
  }
};

// A hot state that loses the trip right after each confirmation, and a reload that read the
// bookings as they stood then, before the confirmed booking was committed: a Redis flush and a
// racing client's reload landing between the two. The reload lands at once, or (late) just
// after the service first asks for the booking to be shown, as a replica still writing would.
class FlushedAfterConfirm final : public HoldStore {
 public:
  FlushedAfterConfirm(HoldStore& inner, BookingStore& bookings, bool reload_late)
      : inner_(inner), bookings_(bookings), reload_late_(reload_late) {}

  /// Runs before each EnsureBooked (a cancellation racing it).
  std::function<void(const BookingRecord&)> before_ensure;

  absl::Status LoadTrip(const TripSeats& seats,
                        const std::vector<BookingRecord>& bookings) override {
    seats_ = seats;
    return inner_.LoadTrip(seats, bookings);
  }
  absl::Status Confirm(const std::string& trip_id, const std::string& hold_id, int64_t version,
                       const std::string& booking_id, bool blocked) override {
    TRAVIO_RETURN_IF_ERROR(inner_.Confirm(trip_id, hold_id, version, booking_id, blocked));
    TRAVIO_RETURN_IF_ERROR(inner_.DropTrip(trip_id));
    TRAVIO_ASSIGN_OR_RETURN(std::vector<BookingRecord> committed, bookings_.Bookings(trip_id));
    if (!reload_late_) return inner_.LoadTrip(seats_, committed);
    stale_ = std::move(committed);
    return absl::OkStatus();
  }
  absl::StatusOr<bool> EnsureBooked(const BookingRecord& booking) override {
    if (before_ensure) before_ensure(booking);
    absl::StatusOr<bool> shown = inner_.EnsureBooked(booking);
    if (stale_) {
      TRAVIO_RETURN_IF_ERROR(inner_.LoadTrip(seats_, *stale_));
      stale_.reset();
    }
    return shown;
  }
  absl::Status DropTrip(const std::string& trip_id) override { return inner_.DropTrip(trip_id); }
  absl::StatusOr<HoldRecord> Hold(const HoldRecord& request, absl::Duration ttl,
                                  const HoldLimits& limits) override {
    return inner_.Hold(request, ttl, limits);
  }
  absl::StatusOr<std::optional<HoldRecord>> FindHold(const std::string& hold_id) override {
    return inner_.FindHold(hold_id);
  }
  absl::Status Release(const std::string& trip_id, const std::string& hold_id) override {
    return inner_.Release(trip_id, hold_id);
  }
  absl::Status Free(const std::string& trip_id, const std::string& booking_id,
                    const std::vector<std::string>& seats, const Journey& journey) override {
    return inner_.Free(trip_id, booking_id, seats, journey);
  }
  absl::StatusOr<std::map<std::string, SeatStatus>> Claims(const std::string& trip_id,
                                                           const Journey& journey) override {
    return inner_.Claims(trip_id, journey);
  }
  absl::StatusOr<std::vector<HoldRecord>> SweepExpired(int limit) override {
    return inner_.SweepExpired(limit);
  }

 private:
  HoldStore& inner_;
  BookingStore& bookings_;
  const bool reload_late_;
  TripSeats seats_;
  std::optional<std::vector<BookingRecord>> stale_;
};

// A database whose commit reply is lost: the booking is written, the caller hears an error.
class LosesCommitReplies final : public BookingStore {
 public:
  explicit LosesCommitReplies(BookingStore& inner) : inner_(inner) {}
  absl::StatusOr<BookingRecord> Book(const BookingRecord& booking,
                                     const std::vector<events::Event>& events) override {
    TRAVIO_RETURN_IF_ERROR(inner_.Book(booking, events).status());
    return absl::UnavailableError("connection lost before the commit's reply");
  }
  absl::StatusOr<BookingRecord> Cancel(const std::string& trip_id, const std::string& booking_id,
                                       const std::vector<std::string>& seats,
                                       const std::vector<events::Event>& events) override {
    return inner_.Cancel(trip_id, booking_id, seats, events);
  }
  absl::StatusOr<std::optional<BookingRecord>> Find(const std::string& trip_id,
                                                    const std::string& booking_id) override {
    return inner_.Find(trip_id, booking_id);
  }
  absl::StatusOr<std::vector<BookingRecord>> Bookings(const std::string& trip_id) override {
    return inner_.Bookings(trip_id);
  }
  absl::StatusOr<std::optional<BookingRecord>> FindByHold(const std::string& trip_id,
                                                          const std::string& hold_id) override {
    return inner_.FindByHold(trip_id, hold_id);
  }
  absl::StatusOr<std::set<std::pair<std::string, int>>> SoldLegs(
      const std::string& trip_id) override {
    return inner_.SoldLegs(trip_id);
  }

 private:
  BookingStore& inner_;
};

class InventoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = db::OpenSqlite({(dir_ / "inventory.db").string()});
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = InventoryMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "inventory", migrations));
    outbox_ = std::make_unique<events::Outbox>("inventory", *database_);
    ASSERT_OK(outbox_->Migrate());
    trips_ = MakeSqlTripStore(*database_);
    bookings_ = MakeSqlBookingStore(*database_, outbox_.get());
    sink_ = MakeOutboxEventSink(*database_, *outbox_);
    Restart(/*journaled=*/true);
    ASSERT_OK(
        Deliver(EventOf(CatalogTrip(2, catalog::TripStatus::kPublished), "trip.published.v1")));
  }

  // A new process over the same database; without the journal, as when Redis lost its state.
  void Restart(bool journaled) {
    service_.reset();
    flushed_.reset();
    auto holds = OpenMemoryHoldStore(clock_, journaled ? database_.get() : nullptr);
    ASSERT_OK(holds);
    holds_ = *std::move(holds);
    Start(*holds_);
  }

  // The service on a hot state that is flushed and reloaded between every confirmation and its
  // commit.
  void FlushAfterEveryConfirmation(bool reload_late = false) {
    service_.reset();
    flushed_ = std::make_unique<FlushedAfterConfirm>(*holds_, *bookings_, reload_late);
    Start(*flushed_);
  }

  void Start(HoldStore& holds, BookingStore* bookings = nullptr) {
    service_ = AnotherProcess(holds, bookings);
  }

  // An inventory service on the same database, as another process (a replica) runs one.
  std::unique_ptr<InventoryService> AnotherProcess(HoldStore& holds,
                                                   BookingStore* bookings = nullptr) {
    return std::make_unique<InventoryService>(
        InventoryService::Ports{.trips = *trips_,
                                .bookings = bookings != nullptr ? *bookings : *bookings_,
                                .holds = holds,
                                .events = *sink_,
                                .clock = clock_,
                                .ids = ids_,
                                .logger = log::Logger::ToStderr(log::Level::kError),
                                .pricing = pricing_},
        settings_);
  }

  // A trip event as the module delivers it: read through the catalog's contract.
  absl::Status Deliver(const events::Event& event) {
    absl::StatusOr<catalog::PublishedTrip> trip = catalog::kTripPublished.Read(event);
    if (!trip.ok()) return trip.status();
    return service_->OnTripChanged(*trip);
  }

  absl::StatusOr<HoldView> Hold(const std::string& holder, std::vector<std::string> seats,
                                const std::string& from = "DHK", const std::string& to = "CXB") {
    return service_->HoldSeats(HoldCommand{
        .holder = holder, .trip_id = kTrip, .seats = std::move(seats), .from = from, .to = to});
  }

  std::string StatusOf(const std::string& seat, const std::string& from = "DHK",
                       const std::string& to = "CXB") {
    auto map = service_->GetSeatMap(kTrip, from, to);
    EXPECT_OK(map);
    if (!map.ok()) return "";
    for (const SeatMapDeck& deck : map->decks) {
      for (const SeatMapCell& cell : deck.cells) {
        if (cell.label == seat) return cell.status;
      }
    }
    return "missing";
  }

  std::vector<std::string> EventTypes() {
    std::vector<std::string> types;
    auto pending = outbox_->Pending(1000);
    EXPECT_OK(pending);
    if (!pending.ok()) return types;
    for (const auto& entry : *pending) types.push_back(entry.second.type);
    return types;
  }

  testing::TempDir dir_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<TripStore> trips_;
  std::unique_ptr<BookingStore> bookings_;
  std::unique_ptr<EventSink> sink_;
  std::unique_ptr<HoldStore> holds_;
  std::unique_ptr<FlushedAfterConfirm> flushed_;
  InventorySettings settings_{.hold_ttl = absl::Minutes(5),
                              .limits = {.max_seats = 4, .max_holds = 2},
                              .listing_cache_ttl = absl::Seconds(2)};
  std::shared_ptr<ScriptedPricing> pricing_;
  std::unique_ptr<InventoryService> service_;
};

TEST_F(InventoryServiceTest, AHoldFreezesThePriceOfItsJourney) {
  auto held = Hold("alice", {"A1", "A2"}, "DHK", "CTG");
  ASSERT_OK(held);
  EXPECT_EQ(held->from, "DHK");
  EXPECT_EQ(held->to, "CTG");
  EXPECT_EQ(held->total, (Money{200000, "BDT"}));
  EXPECT_EQ(held->expires_at, clock_.Now() + absl::Minutes(5));
  // A new fare does not change a hold already made.
  catalog::Trip dearer = CatalogTrip(3, catalog::TripStatus::kPublished);
  dearer.fares[0].amount = 999999;
  ASSERT_OK(Deliver(EventOf(dearer, "trip.updated.v1")));
  EXPECT_EQ(service_->GetHold("alice", held->hold_id)->total.amount, 200000);
  clock_.Advance(absl::Seconds(3));  // past the offer cache
  EXPECT_EQ(Hold("bob", {"B1"}, "DHK", "CTG")->total.amount, 999999);
}

TEST_F(InventoryServiceTest, AHoldFreezesWhatPricingRulesMakeOfTheBaseFare) {
  pricing_ = std::make_shared<ScriptedPricing>();
  Restart(/*journaled=*/true);
  ASSERT_OK(Hold("carol", {"C1"}, "DHK", "CTG"));
  auto held = Hold("alice", {"A1", "A2"}, "DHK", "CTG");
  ASSERT_OK(held);
  ASSERT_EQ(held->prices.size(), 2u);
  EXPECT_EQ(held->prices[0].amount, 100100);
  EXPECT_EQ(held->prices[0].base, 100000);
  EXPECT_EQ(held->prices[0].rules, (std::vector<RuleVersion>{{"rule-1", 3}}));
  EXPECT_EQ(held->total, (Money{200200, "BDT"}));
  // Pricing was told the journey, the seats and the sale as it stood: one seat of the eleven for
  // sale held (C4 is blocked).
  EXPECT_EQ(pricing_->last.journey.from, "DHK");
  EXPECT_EQ(pricing_->last.journey.to, "CTG");
  EXPECT_EQ(pricing_->last.passengers, 2);
  EXPECT_EQ(pricing_->last.occupancy, 1 * 100 / 11);
  EXPECT_EQ(pricing_->last.trip.zone, "Asia/Dhaka");
  // The frozen prices survive a restart (the journal) and are what a booking sells at.
  Restart(/*journaled=*/true);
  EXPECT_EQ(service_->GetHold("alice", held->hold_id)->prices[1].amount, 100100);
}

TEST_F(InventoryServiceTest, ATakenSeatIsRefusedBeforePricingWithTheLedgersOwnAnswer) {
  // The ledger's answer, from a service that prices nothing.
  ASSERT_OK(Hold("alice", {"A2"}));
  ASSERT_OK(service_->BlockSeats(kOrg, kTrip, {"C1"}, "", ""));
  const absl::Status ledger = Hold("bob", {"A1", "A2", "C1"}).status();
  ASSERT_EQ(ReasonOf(ledger), "seats_unavailable");

  pricing_ = std::make_shared<ScriptedPricing>();
  Restart(/*journaled=*/true);
  const int priced = pricing_->calls;
  const absl::Status refused = Hold("bob", {"A1", "A2", "C1"}).status();
  EXPECT_EQ(pricing_->calls, priced);  // a losing request costs no pricing
  EXPECT_EQ(refused.code(), ledger.code());
  EXPECT_EQ(refused.message(), ledger.message());
  EXPECT_EQ(FieldErrorsOf(refused), FieldErrorsOf(ledger));
  EXPECT_EQ(ProblemListOf(refused), (ProblemList{"unavailable", {"A2", "C1"}}));
  EXPECT_EQ(ProblemListOf(refused), ProblemListOf(ledger));
  // A free seat is still priced and held.
  ASSERT_OK(Hold("bob", {"A1"}));
  EXPECT_EQ(pricing_->calls, priced + 1);
  // Taken seats are named before the holder's limit (two holds) is.
  ASSERT_OK(Hold("bob", {"B1"}));
  EXPECT_EQ(ReasonOf(Hold("bob", {"A2"}).status()), "seats_unavailable");
  EXPECT_EQ(ReasonOf(Hold("bob", {"B2"}).status()), "hold_limit");
}

TEST_F(InventoryServiceTest, AQuoteOfSeveralSeatsIsPricedForAsManyPassengersAsAHoldOfThem) {
  pricing_ = std::make_shared<ScriptedPricing>();
  Restart(/*journaled=*/true);
  ASSERT_OK(service_->QuoteSeats(
      QuoteCommand{.trip_id = kTrip, .from = "DHK", .to = "CTG", .seats = {"A1", "A2"}}));
  EXPECT_EQ(pricing_->last.passengers, 2);
  // The whole seat map is quoted per seat: one passenger.
  ASSERT_OK(service_->QuoteSeats(QuoteCommand{.trip_id = kTrip, .from = "DHK", .to = "CTG"}));
  EXPECT_EQ(pricing_->last.passengers, 1);
}

TEST_F(InventoryServiceTest, APriceThatCannotBeChargedHoldsNothing) {
  pricing_ = std::make_shared<ScriptedPricing>();
  Restart(/*journaled=*/true);
  pricing_->change = [](pricing::PriceResult& result) { result.seats[0].price = -100; };
  EXPECT_THAT(Hold("alice", {"A1"}, "DHK", "CTG"), StatusIs(absl::StatusCode::kInternal));
  pricing_->change = [](pricing::PriceResult& result) {
    std::swap(result.seats[0].seat, result.seats[1].seat);
  };
  EXPECT_THAT(Hold("alice", {"A1", "A2"}, "DHK", "CTG"), StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "available");
  EXPECT_EQ(StatusOf("A2", "DHK", "CTG"), "available");
}

TEST_F(InventoryServiceTest, ASeatHeldToChattogramIsStillOfferedOnwardToCoxsBazar) {
  ASSERT_OK(Hold("alice", {"A1"}, "DHK", "CTG"));
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "held");
  EXPECT_EQ(StatusOf("A1", "CTG", "CXB"), "available");
  EXPECT_EQ(StatusOf("A1"), "held");
  EXPECT_EQ(StatusOf("C4", "CTG", "CXB"), "blocked");
  EXPECT_EQ(service_->GetSeatMap(kTrip, "CTG", "CXB")->available, 11);
  EXPECT_EQ(service_->GetSeatMap(kTrip, "DHK", "CXB")->available, 10);
  EXPECT_OK(Hold("bob", {"A1"}, "CTG", "CXB"));
}

TEST_F(InventoryServiceTest, RefusalsSayWhatIsWrong) {
  ASSERT_OK(Hold("alice", {"A2"}));
  auto taken = Hold("bob", {"A1", "A2"});
  EXPECT_EQ(ReasonOf(taken.status()), "seats_unavailable");
  EXPECT_EQ(ProblemListOf(taken.status()), (ProblemList{"unavailable", {"A2"}}));
  auto blocked = Hold("bob", {"C4", "A3"});
  EXPECT_EQ(ReasonOf(blocked.status()), "seats_unavailable");
  EXPECT_EQ(ProblemListOf(blocked.status()), (ProblemList{"unavailable", {"C4"}}));
  EXPECT_EQ(ReasonOf(Hold("bob", {"Z9"}).status()), "invalid_seats");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A3", "A3"}).status()), "invalid_seats");
  EXPECT_EQ(ReasonOf(Hold("bob", {}).status()), "invalid_seats");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A3"}, "CXB", "DHK").status()), "invalid_journey");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A3", "A4", "B1", "B2", "B3"}).status()), "hold_limit");
  EXPECT_EQ(ReasonOf(service_->HoldSeats({"bob", "nope", {"A1"}, "", ""}).status()),
            "trip_not_found");
  ASSERT_OK(Hold("alice", {"A3"}));
  EXPECT_EQ(ReasonOf(Hold("alice", {"A4"}).status()), "hold_limit");  // two live holds
  // None of the refusals took a seat.
  EXPECT_EQ(service_->GetSeatMap(kTrip, "", "")->available, 9);
}

TEST_F(InventoryServiceTest, OnlyTheHolderSeesAndReleasesAHold) {
  auto held = Hold("alice", {"A1"});
  ASSERT_OK(held);
  EXPECT_EQ(ReasonOf(service_->GetHold("bob", held->hold_id).status()), "hold_not_found");
  EXPECT_EQ(ReasonOf(service_->ReleaseHold("bob", held->hold_id)), "hold_not_found");
  EXPECT_EQ(StatusOf("A1"), "held");
  ASSERT_OK(service_->ReleaseHold("alice", held->hold_id));
  EXPECT_EQ(StatusOf("A1"), "available");
  EXPECT_EQ(ReasonOf(service_->GetHold("alice", held->hold_id).status()), "hold_not_found");
  EXPECT_EQ(EventTypes(), (std::vector<std::string>{"hold.placed.v1", "hold.released.v1"}));
}

TEST_F(InventoryServiceTest, ConfirmationSellsOnceAndARetryGetsTheSameBooking) {
  auto held = Hold("alice", {"A1", "A2"}, "DHK", "CTG");
  ASSERT_OK(held);
  EXPECT_EQ(ReasonOf(service_->ConfirmHold("bob", kTrip, held->hold_id, 1).status()),
            "hold_not_found");
  EXPECT_EQ(ReasonOf(service_->ConfirmHold("alice", kTrip, held->hold_id, 2).status()),
            "hold_version_mismatch");
  auto booked = service_->ConfirmHold("alice", kTrip, held->hold_id, 1);
  ASSERT_OK(booked);
  EXPECT_EQ(booked->seats, (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ(booked->prices.size(), 2u);
  EXPECT_EQ(booked->prices[0].amount, 100000);
  auto again = service_->ConfirmHold("alice", kTrip, held->hold_id, 1);
  ASSERT_OK(again);
  EXPECT_EQ(again->id, booked->id);
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "booked");
  EXPECT_EQ(StatusOf("A1", "CTG", "CXB"), "available");
  // Cancelling one seat puts it back on sale.
  ASSERT_OK(service_->CancelBooking(kTrip, booked->id, {"A2"}));
  EXPECT_EQ(StatusOf("A2", "DHK", "CTG"), "available");
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "booked");
  EXPECT_EQ(EventTypes(), (std::vector<std::string>{"hold.placed.v1", "booking.created.v1",
                                                    "booking.cancelled.v1"}));
}

TEST_F(InventoryServiceTest, AHolderWhoseHoldExpiredCanNeverConfirm) {
  auto held = Hold("alice", {"A1"});
  ASSERT_OK(held);
  clock_.Set(held->expires_at);
  auto other = Hold("bob", {"A1"});
  ASSERT_OK(other);
  EXPECT_EQ(ReasonOf(service_->ConfirmHold("alice", kTrip, held->hold_id, 1).status()),
            "hold_expired");
  EXPECT_OK(service_->ConfirmHold("bob", kTrip, other->hold_id, 1));
  // The sweeper announces what expired.
  EXPECT_EQ(*service_->SweepExpiredHolds(), 1);
  EXPECT_EQ(EventTypes().back(), "hold.expired.v1");
}

TEST_F(InventoryServiceTest, OneSweepTakesEveryExpiredHoldBatchAfterBatch) {
  settings_.sweep_batch = 2;
  service_.reset();
  Start(*holds_);
  for (const std::string seat : {"A1", "A2", "A3", "B1", "B2"}) {
    ASSERT_OK(Hold("holder-" + seat, {seat}));
  }
  clock_.Advance(absl::Minutes(6));
  EXPECT_EQ(*service_->SweepExpiredHolds(), 5);
  const std::vector<std::string> types = EventTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "hold.expired.v1"), 5);
  EXPECT_EQ(*service_->SweepExpiredHolds(), 0);
}

TEST_F(InventoryServiceTest, ReplayedAndReorderedTripEventsNeverResetSoldSeats) {
  auto held = Hold("alice", {"A1"});
  ASSERT_OK(held);
  ASSERT_OK(service_->ConfirmHold("alice", kTrip, held->hold_id, 1));
  auto kept = Hold("bob", {"A2"});
  ASSERT_OK(kept);
  // The same publication again, then an older version arriving late.
  ASSERT_OK(Deliver(EventOf(CatalogTrip(2, catalog::TripStatus::kPublished), "trip.published.v1")));
  ASSERT_OK(Deliver(EventOf(CatalogTrip(1, catalog::TripStatus::kCancelled), "trip.cancelled.v1")));
  EXPECT_EQ(StatusOf("A1"), "booked");
  EXPECT_EQ(StatusOf("A2"), "held");
  EXPECT_OK(Hold("carol", {"A3"}));
}

TEST_F(InventoryServiceTest, ACancelledTripReleasesEveryHoldAndSellsNoMore) {
  auto held = Hold("alice", {"A1"});
  ASSERT_OK(held);
  ASSERT_OK(Deliver(EventOf(CatalogTrip(3, catalog::TripStatus::kCancelled), "trip.cancelled.v1")));
  EXPECT_EQ(ReasonOf(service_->GetHold("alice", held->hold_id).status()), "hold_not_found");
  EXPECT_EQ(StatusOf("A1"), "available");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A1"}).status()), "not_on_sale");
}

TEST_F(InventoryServiceTest, AReplicaStopsSellingACancelledTripOnTheEventNotWhenItsCacheExpires) {
  // A second inventory process on the same database and hot state.
  std::unique_ptr<InventoryService> replica_process = AnotherProcess(*holds_);
  InventoryService& replica = *replica_process;
  const auto hold_on_replica = [&](const std::string& holder, const std::string& seat) {
    return replica.HoldSeats(HoldCommand{
        .holder = holder, .trip_id = kTrip, .seats = {seat}, .from = "DHK", .to = "CXB"});
  };
  ASSERT_OK(hold_on_replica("alice", "A1"));  // the replica has read the trip

  // The cancellation reaches the replica (its own queue) before the process storing it.
  const events::Event cancelled =
      EventOf(CatalogTrip(3, catalog::TripStatus::kCancelled), "trip.cancelled.v1");
  ASSERT_OK_AND_ASSIGN(catalog::PublishedTrip trip, catalog::kTripPublished.Read(cancelled));
  replica.OnTripSeen(trip);
  EXPECT_EQ(ReasonOf(hold_on_replica("bob", "A2").status()), "not_on_sale");
  // Its cache expires while the database still holds the published version: it stays refused.
  clock_.Advance(absl::Seconds(3));
  EXPECT_EQ(ReasonOf(hold_on_replica("bob", "A2").status()), "not_on_sale");
  // An older event that does not read (damaged, or forged) does not wipe what came by event.
  ASSERT_OK_AND_ASSIGN(catalog::PublishedTrip broken,
                       catalog::kTripPublished.Read(EventOf(
                           CatalogTrip(2, catalog::TripStatus::kPublished), "trip.published.v1")));
  broken.stops.resize(1);
  replica.OnTripSeen(broken);
  EXPECT_EQ(ReasonOf(hold_on_replica("bob", "A2").status()), "not_on_sale");
  ASSERT_OK(Deliver(cancelled));
  EXPECT_EQ(ReasonOf(hold_on_replica("bob", "A2").status()), "not_on_sale");
  EXPECT_EQ(ReasonOf(Hold("carol", {"A3"}).status()), "not_on_sale");

  // A late, older event never brings the trip back on sale.
  ASSERT_OK_AND_ASSIGN(catalog::PublishedTrip older,
                       catalog::kTripPublished.Read(EventOf(
                           CatalogTrip(2, catalog::TripStatus::kPublished), "trip.published.v1")));
  replica.OnTripSeen(older);
  EXPECT_EQ(ReasonOf(hold_on_replica("bob", "A2").status()), "not_on_sale");
}

TEST_F(InventoryServiceTest, EveryReplicaTakesTheTripEventsOneStoresThem) {
  events::Bus bus;
  std::shared_ptr<InventoryService> service = AnotherProcess(*holds_);
  FollowTrips(bus, service);
  const std::map<std::string, events::Bus::Consumer> consumers = bus.Consumers();
  ASSERT_EQ(consumers.count("inventory"), 1u);
  ASSERT_EQ(consumers.count("inventory-listings"), 1u);
  EXPECT_EQ(consumers.at("inventory").delivery, events::Delivery::kOneInstance);
  EXPECT_EQ(consumers.at("inventory-listings").delivery, events::Delivery::kEveryInstance);
  EXPECT_EQ(consumers.at("inventory-listings").types, consumers.at("inventory").types);
  EXPECT_FALSE(consumers.at("inventory").types.empty());
}

TEST_F(InventoryServiceTest, HoldsAndSalesSurviveARestartOfTheMonolith) {
  auto sold = Hold("alice", {"A1"});
  auto held = Hold("bob", {"A2"});
  ASSERT_OK(sold);
  ASSERT_OK(held);
  ASSERT_OK(service_->ConfirmHold("alice", kTrip, sold->hold_id, 1));
  Restart(/*journaled=*/true);
  EXPECT_EQ(StatusOf("A1"), "booked");
  EXPECT_EQ(StatusOf("A2"), "held");
  EXPECT_EQ(service_->GetHold("bob", held->hold_id)->seats, std::vector<std::string>{"A2"});
  EXPECT_OK(service_->ConfirmHold("bob", kTrip, held->hold_id, 1));
}

// The hot state is only an efficiency lock: lost (a Redis flush), it is rebuilt from the
// bookings, and a sale it did not know of is refused by the database.
TEST_F(InventoryServiceTest, TheDatabaseHasTheLastWordWhenTheHotStateIsLost) {
  auto sold = Hold("alice", {"A1"});
  auto lost = Hold("bob", {"A2"});
  ASSERT_OK(sold);
  ASSERT_OK(lost);
  ASSERT_OK(service_->ConfirmHold("alice", kTrip, sold->hold_id, 1));
  Restart(/*journaled=*/false);
  EXPECT_EQ(StatusOf("A1"), "booked");
  EXPECT_EQ(StatusOf("A2"), "available");  // the hold was lost with the hot state
  EXPECT_EQ(ReasonOf(service_->ConfirmHold("bob", kTrip, lost->hold_id, 1).status()),
            "hold_not_found");
  EXPECT_EQ(ReasonOf(Hold("carol", {"A1"}).status()), "seats_unavailable");
  // A sale the hot state missed (written by another replica after it loaded the trip).
  auto carol = Hold("carol", {"A3"});
  ASSERT_OK(carol);
  BookingRecord elsewhere{.id = "b-elsewhere",
                          .trip_id = kTrip,
                          .org_id = kOrg,
                          .hold_id = "h-elsewhere",
                          .seats = {"A3"},
                          .journey = {0, 2},
                          .prices = {},
                          .created_at = clock_.Now(),
                          .blocked = false};
  ASSERT_OK(bookings_->Book(elsewhere, {}));
  auto refused = service_->ConfirmHold("carol", kTrip, carol->hold_id, 1);
  EXPECT_EQ(ReasonOf(refused.status()), "seats_unavailable");
  EXPECT_EQ(ProblemListOf(refused.status()), (ProblemList{"unavailable", {"A3"}}));
  auto sold_legs = bookings_->SoldLegs(kTrip);
  EXPECT_EQ(sold_legs->size(), 4u);  // A1 and A3 on two legs each, once
}

TEST_F(InventoryServiceTest, ASaleAReloadMissedBeforeItsCommitIsNeverOfferedAgain) {
  FlushAfterEveryConfirmation();
  auto sold = Hold("alice", {"A1", "A2"}, "DHK", "CTG");
  ASSERT_OK(sold);
  ASSERT_OK(service_->ConfirmHold("alice", kTrip, sold->hold_id, 1));
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "booked");
  EXPECT_EQ(StatusOf("A2", "DHK", "CTG"), "booked");
  EXPECT_EQ(StatusOf("A1", "CTG", "CXB"), "available");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A2"}).status()), "seats_unavailable");
  // An operator's block takes the same path.
  auto block = service_->BlockSeats(kOrg, kTrip, {"B1"}, "", "");
  ASSERT_OK(block);
  EXPECT_EQ(StatusOf("B1"), "blocked");
}

TEST_F(InventoryServiceTest, ASaleAReloadStillUnderWayMissedIsPutBackAfterIt) {
  FlushAfterEveryConfirmation(/*reload_late=*/true);
  auto sold = Hold("alice", {"A1"}, "DHK", "CTG");
  ASSERT_OK(sold);
  ASSERT_OK(service_->ConfirmHold("alice", kTrip, sold->hold_id, 1));
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "booked");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A1"}).status()), "seats_unavailable");
}

TEST_F(InventoryServiceTest, ASalePutBackIsFreedAgainWhenCancelledMeanwhile) {
  FlushAfterEveryConfirmation();
  // A retried confirmation answered by the database, then a cancellation, both before the
  // first confirmation shows its booking.
  flushed_->before_ensure = [&](const BookingRecord& booking) {
    flushed_->before_ensure = nullptr;
    ASSERT_OK(service_->CancelBooking(kTrip, booking.id, {}));
  };
  auto sold = Hold("alice", {"A1", "A2"}, "DHK", "CTG");
  ASSERT_OK(sold);
  ASSERT_OK(service_->ConfirmHold("alice", kTrip, sold->hold_id, 1));
  EXPECT_EQ(StatusOf("A1", "DHK", "CTG"), "available");
  EXPECT_EQ(StatusOf("A2", "DHK", "CTG"), "available");
  EXPECT_OK(Hold("bob", {"A1", "A2"}, "DHK", "CTG"));
}

TEST_F(InventoryServiceTest, ABookingWhoseCommitReplyWasLostIsAnsweredAndStaysSold) {
  LosesCommitReplies lossy(*bookings_);
  service_.reset();
  Start(*holds_, &lossy);
  auto sold = Hold("alice", {"A1"});
  ASSERT_OK(sold);
  auto booked = service_->ConfirmHold("alice", kTrip, sold->hold_id, 1);
  ASSERT_OK(booked);
  EXPECT_EQ(booked->seats, std::vector<std::string>{"A1"});
  EXPECT_EQ(StatusOf("A1"), "booked");
  EXPECT_EQ(ReasonOf(Hold("bob", {"A1"}).status()), "seats_unavailable");
  service_.reset();  // before `lossy` goes
}

TEST_F(InventoryServiceTest, OperatorsBlockSeatsOfTheirOwnTripsOnly) {
  ASSERT_OK(Hold("alice", {"A1"}));
  EXPECT_EQ(ReasonOf(service_->BlockSeats("other-org", kTrip, {"B1"}, "", "").status()),
            "trip_not_found");
  EXPECT_EQ(ReasonOf(service_->BlockSeats(kOrg, kTrip, {"A1", "B1"}, "", "").status()),
            "seats_unavailable");
  auto block = service_->BlockSeats(kOrg, kTrip, {"B1", "B2"}, "CTG", "CXB");
  ASSERT_OK(block);
  EXPECT_TRUE(block->blocked);
  EXPECT_EQ(StatusOf("B1", "CTG", "CXB"), "blocked");
  EXPECT_EQ(StatusOf("B1", "DHK", "CTG"), "available");
  EXPECT_EQ(ReasonOf(Hold("bob", {"B1"}).status()), "seats_unavailable");
  EXPECT_EQ(ReasonOf(service_->UnblockSeats("other-org", kTrip, block->id)), "block_not_found");
  ASSERT_OK(service_->UnblockSeats(kOrg, kTrip, block->id));
  EXPECT_EQ(ReasonOf(service_->UnblockSeats(kOrg, kTrip, block->id)), "block_not_found");
  EXPECT_EQ(StatusOf("B1", "CTG", "CXB"), "available");
}

}  // namespace
}  // namespace travio::inventory
