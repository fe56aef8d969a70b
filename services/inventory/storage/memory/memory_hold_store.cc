#include "services/inventory/storage/memory/memory_hold_store.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/inventory/storage/hold_json.h"

namespace travio::inventory {
namespace {

class MemoryHoldStore final : public HoldStore {
 public:
  MemoryHoldStore(const Clock& clock, db::Database* journal, int shards)
      : clock_(clock), journal_(journal), shards_(static_cast<size_t>(std::max(shards, 1))) {}

  // Takes back the journal's live holds; they rejoin their trip's ledger when it is loaded.
  absl::Status Recover() {
    if (journal_ == nullptr) return absl::OkStatus();
    const int64_t now_ms = absl::ToUnixMillis(clock_.Now());
    TRAVIO_RETURN_IF_ERROR(
        journal_->Execute("DELETE FROM inventory_hold_journal WHERE expires_at <= $1", {now_ms})
            .status());
    TRAVIO_ASSIGN_OR_RETURN(db::Result rows,
                            journal_->Execute("SELECT hold FROM inventory_hold_journal"));
    absl::MutexLock lock(&index_mu_);
    for (const db::Row& row : rows.rows) {
      TRAVIO_ASSIGN_OR_RETURN(HoldRecord record, StoredHoldFromJson(row.Text(0)));
      Index(record);
      journaled_[record.trip_id].push_back(std::move(record));
    }
    return absl::OkStatus();
  }

  absl::Status LoadTrip(const TripSeats& seats,
                        const std::vector<BookingRecord>& bookings) override {
    Shard& shard = ShardOf(seats.trip_id);
    absl::MutexLock lock(&shard.mu);
    if (shard.trips.count(seats.trip_id)) return absl::OkStatus();
    auto trip = std::make_unique<TripState>(seats);
    for (const BookingRecord& booking : bookings) {
      TRAVIO_RETURN_IF_ERROR(trip->ledger.Restore(Booking{.id = booking.id,
                                                          .hold_id = booking.hold_id,
                                                          .seats = booking.seats,
                                                          .journey = booking.journey,
                                                          .blocked = booking.blocked}));
    }
    std::vector<HoldRecord> journaled;
    {
      absl::MutexLock index(&index_mu_);
      if (auto it = journaled_.find(seats.trip_id); it != journaled_.end()) {
        journaled = std::move(it->second);
        journaled_.erase(it);
      }
    }
    const absl::Time now = clock_.Now();
    for (HoldRecord& record : journaled) {
      // A hold confirmed just before the restart is a booking now: its seats are taken.
      if (trip->ledger.RestoreHold(record.hold, now).ok()) {
        trip->holds[record.hold.id] = std::move(record);
      } else {
        TRAVIO_RETURN_IF_ERROR(Forget(record));
      }
    }
    shard.trips[seats.trip_id] = std::move(trip);
    return absl::OkStatus();
  }

  absl::Status DropTrip(const std::string& trip_id) override {
    Shard& shard = ShardOf(trip_id);
    absl::MutexLock lock(&shard.mu);
    std::vector<HoldRecord> holds;
    if (auto it = shard.trips.find(trip_id); it != shard.trips.end()) {
      for (auto& [id, record] : it->second->holds) holds.push_back(record);
      shard.trips.erase(it);
    }
    {
      absl::MutexLock index(&index_mu_);
      if (auto it = journaled_.find(trip_id); it != journaled_.end()) {
        for (HoldRecord& record : it->second) holds.push_back(std::move(record));
        journaled_.erase(it);
      }
    }
    for (const HoldRecord& record : holds) TRAVIO_RETURN_IF_ERROR(Forget(record));
    return absl::OkStatus();
  }

  absl::StatusOr<HoldRecord> Hold(const HoldRecord& request, absl::Duration ttl,
                                  const HoldLimits& limits) override {
    const absl::Time now = clock_.Now();
    HoldRecord record = request;
    record.hold.expires_at = now + ttl;
    record.hold.version = 1;
    TRAVIO_RETURN_IF_ERROR(Reserve(record, now, limits.max_holds));
    absl::Status held = HoldOnTrip(record, now, ttl);
    if (!held.ok()) {
      absl::MutexLock index(&index_mu_);
      Unindex(record);
      return held;
    }
    return record;
  }

  absl::StatusOr<std::optional<HoldRecord>> FindHold(const std::string& hold_id) override {
    std::string trip_id;
    {
      absl::MutexLock index(&index_mu_);
      auto it = hold_trips_.find(hold_id);
      if (it == hold_trips_.end()) return std::nullopt;
      trip_id = it->second;
      if (auto journaled = journaled_.find(trip_id); journaled != journaled_.end()) {
        for (const HoldRecord& record : journaled->second) {
          if (record.hold.id == hold_id) return record;
        }
      }
    }
    Shard& shard = ShardOf(trip_id);
    absl::MutexLock lock(&shard.mu);
    auto trip = shard.trips.find(trip_id);
    if (trip == shard.trips.end()) return std::nullopt;
    auto it = trip->second->holds.find(hold_id);
    if (it == trip->second->holds.end()) return std::nullopt;
    return it->second;
  }

  absl::Status Release(const std::string& trip_id, const std::string& hold_id) override {
    return Ending(trip_id, hold_id,
                  [&](TripState& trip) { return trip.ledger.Release(hold_id, clock_.Now()); });
  }

  absl::Status Confirm(const std::string& trip_id, const std::string& hold_id, int64_t version,
                       const std::string& booking_id, bool blocked) override {
    return Ending(trip_id, hold_id, [&](TripState& trip) {
      return trip.ledger.Confirm(hold_id, version, booking_id, clock_.Now(), blocked).status();
    });
  }

  absl::StatusOr<bool> EnsureBooked(const BookingRecord& booking) override {
    Shard& shard = ShardOf(booking.trip_id);
    absl::MutexLock lock(&shard.mu);
    auto trip = shard.trips.find(booking.trip_id);
    if (trip == shard.trips.end()) return TripNotLoaded(booking.trip_id);
    return trip->second->ledger.Reinstate(Booking{.id = booking.id,
                                                  .hold_id = booking.hold_id,
                                                  .seats = booking.seats,
                                                  .journey = booking.journey,
                                                  .blocked = booking.blocked});
  }

  absl::Status Free(const std::string& trip_id, const std::string& booking_id,
                    const std::vector<std::string>& seats, const Journey&) override {
    Shard& shard = ShardOf(trip_id);
    absl::MutexLock lock(&shard.mu);
    auto trip = shard.trips.find(trip_id);
    if (trip == shard.trips.end()) return TripNotLoaded(trip_id);
    return trip->second->ledger.CancelBooking(booking_id, seats);
  }

  absl::StatusOr<std::map<std::string, SeatStatus>> Claims(const std::string& trip_id,
                                                           const Journey& journey) override {
    Shard& shard = ShardOf(trip_id);
    absl::MutexLock lock(&shard.mu);
    auto trip = shard.trips.find(trip_id);
    if (trip == shard.trips.end()) return TripNotLoaded(trip_id);
    const SeatLedger& ledger = trip->second->ledger;
    std::map<std::string, SeatStatus> claims = ledger.Statuses(journey, clock_.Now());
    // Places never for sale are the trip's, not claims: the caller knows them.
    for (const Place& place : ledger.trip().places) {
      if (!place.sellable) claims.erase(place.label);
    }
    std::erase_if(claims, [](const auto& entry) { return entry.second == SeatStatus::kAvailable; });
    return claims;
  }

  absl::StatusOr<std::vector<HoldRecord>> SweepExpired(int limit) override {
    const absl::Time now = clock_.Now();
    std::vector<HoldRecord> swept;
    for (Shard& shard : shards_) {
      absl::MutexLock lock(&shard.mu);
      for (auto& [trip_id, trip] : shard.trips) {
        if (static_cast<int>(swept.size()) >= limit) return swept;
        const size_t room = static_cast<size_t>(limit) - swept.size();
        for (const inventory::Hold& hold : trip->ledger.SweepExpired(now, room)) {
          auto it = trip->holds.find(hold.id);
          if (it == trip->holds.end()) continue;
          TRAVIO_RETURN_IF_ERROR(Forget(it->second));
          swept.push_back(std::move(it->second));
          trip->holds.erase(it);
        }
      }
    }
    // Journaled holds of trips nobody loaded since the restart.
    std::vector<HoldRecord> stale;
    {
      absl::MutexLock index(&index_mu_);
      for (auto& [trip_id, records] : journaled_) {
        std::erase_if(records, [&](HoldRecord& record) {
          if (now < record.hold.expires_at) return false;
          stale.push_back(std::move(record));
          return true;
        });
      }
    }
    for (HoldRecord& record : stale) {
      TRAVIO_RETURN_IF_ERROR(Forget(record));
      swept.push_back(std::move(record));
    }
    return swept;
  }

 private:
  struct TripState {
    explicit TripState(const TripSeats& seats) : ledger(seats) {}
    SeatLedger ledger;
    std::map<std::string, HoldRecord> holds;  // the ledger's holds with their trip and prices
  };
  struct Shard {
    absl::Mutex mu;
    std::map<std::string, std::unique_ptr<TripState>> trips ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(const std::string& trip_id) {
    return shards_[std::hash<std::string>{}(trip_id) % shards_.size()];
  }

  // Counts the holder's live holds and takes a place among them, before the trip is locked.
  absl::Status Reserve(const HoldRecord& record, absl::Time now, int max_holds) {
    absl::MutexLock index(&index_mu_);
    auto& holds = holder_holds_[record.hold.holder];
    std::erase_if(holds, [&](const auto& entry) { return entry.second <= now; });
    if (static_cast<int>(holds.size()) >= max_holds) {
      return Error(reasons::kHoldLimit, "You already hold seats " + std::to_string(holds.size()) +
                                            " times; release or buy them first.");
    }
    if (hold_trips_.count(record.hold.id)) {
      return Error(reasons::kHoldExists, "The hold id is taken.");
    }
    Index(record);
    return absl::OkStatus();
  }

  absl::Status HoldOnTrip(HoldRecord& record, absl::Time now, absl::Duration ttl) {
    Shard& shard = ShardOf(record.trip_id);
    absl::MutexLock lock(&shard.mu);
    auto trip = shard.trips.find(record.trip_id);
    if (trip == shard.trips.end()) return TripNotLoaded(record.trip_id);
    SeatLedger& ledger = trip->second->ledger;
    TRAVIO_ASSIGN_OR_RETURN(inventory::Hold hold,
                            ledger.HoldSeats(HoldRequest{.hold_id = record.hold.id,
                                                         .holder = record.hold.holder,
                                                         .seats = record.hold.seats,
                                                         .journey = record.hold.journey,
                                                         .ttl = ttl},
                                             now, static_cast<int>(record.hold.seats.size())));
    record.hold = hold;
    if (journal_ != nullptr) {
      const absl::Status journaled =
          journal_
              ->Execute(
                  "INSERT INTO inventory_hold_journal (hold_id, trip_id, expires_at, hold) "
                  "VALUES ($1, $2, $3, $4)",
                  {hold.id, record.trip_id, absl::ToUnixMillis(hold.expires_at),
                   StoredHoldJson(record)})
              .status();
      if (!journaled.ok()) {
        (void)ledger.Release(hold.id, now);  // not held unless it would survive a restart
        return journaled;
      }
    }
    trip->second->holds[hold.id] = record;
    return absl::OkStatus();
  }

  // Runs `end` (release or confirm) on the hold's trip and forgets the hold when it succeeds.
  absl::Status Ending(const std::string& trip_id, const std::string& hold_id,
                      const std::function<absl::Status(TripState&)>& end) {
    Shard& shard = ShardOf(trip_id);
    absl::MutexLock lock(&shard.mu);
    auto trip = shard.trips.find(trip_id);
    if (trip == shard.trips.end()) return TripNotLoaded(trip_id);
    TRAVIO_RETURN_IF_ERROR(end(*trip->second));
    auto it = trip->second->holds.find(hold_id);
    if (it == trip->second->holds.end()) return absl::OkStatus();
    const HoldRecord record = std::move(it->second);
    trip->second->holds.erase(it);
    return Forget(record);
  }

  // Erases an ended hold from the journal and the indexes.
  absl::Status Forget(const HoldRecord& record) {
    {
      absl::MutexLock index(&index_mu_);
      Unindex(record);
    }
    if (journal_ == nullptr) return absl::OkStatus();
    return journal_
        ->Execute("DELETE FROM inventory_hold_journal WHERE hold_id = $1", {record.hold.id})
        .status();
  }

  void Index(const HoldRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(index_mu_) {
    hold_trips_[record.hold.id] = record.trip_id;
    holder_holds_[record.hold.holder][record.hold.id] = record.hold.expires_at;
  }
  void Unindex(const HoldRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(index_mu_) {
    hold_trips_.erase(record.hold.id);
    auto holder = holder_holds_.find(record.hold.holder);
    if (holder == holder_holds_.end()) return;
    holder->second.erase(record.hold.id);
    if (holder->second.empty()) holder_holds_.erase(holder);
  }

  const Clock& clock_;
  db::Database* journal_;
  std::vector<Shard> shards_;
  // Locked after a shard's mutex, never before.
  absl::Mutex index_mu_;
  std::map<std::string, std::string> hold_trips_ ABSL_GUARDED_BY(index_mu_);
  std::map<std::string, std::map<std::string, absl::Time>> holder_holds_ ABSL_GUARDED_BY(index_mu_);
  // Holds read back from the journal whose trip is not loaded yet.
  std::map<std::string, std::vector<HoldRecord>> journaled_ ABSL_GUARDED_BY(index_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<HoldStore>> OpenMemoryHoldStore(const Clock& clock,
                                                               db::Database* journal, int shards) {
  auto store = std::make_unique<MemoryHoldStore>(clock, journal, shards);
  TRAVIO_RETURN_IF_ERROR(store->Recover());
  return std::unique_ptr<HoldStore>(std::move(store));
}

}  // namespace travio::inventory
