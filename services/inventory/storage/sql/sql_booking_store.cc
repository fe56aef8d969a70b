#include "services/inventory/storage/sql/sql_booking_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/inventory/storage/price_json.h"

namespace travio::inventory {
namespace {

using nlohmann::json;

constexpr char kBookingColumns[] =
    "id, trip_id, org_id, hold_id, journey_from, journey_to, seats, prices, created_at, blocked";

absl::StatusOr<BookingRecord> ReadBooking(const db::Row& row) {
  try {
    BookingRecord booking{.id = row.Text(0),
                          .trip_id = row.Text(1),
                          .org_id = row.Text(2),
                          .hold_id = row.Text(3),
                          .seats = json::parse(row.Text(6)).get<std::vector<std::string>>(),
                          .journey = {static_cast<int>(row.Int(4)), static_cast<int>(row.Int(5))},
                          .prices = {},
                          .created_at = absl::FromUnixMicros(row.Int(8)),
                          .blocked = row.Int(9) != 0};
    booking.prices = SeatPricesFromJson(json::parse(row.Text(7)));
    return booking;
  } catch (const json::exception&) {
    return absl::DataLossError("a stored booking does not parse");
  }
}

absl::StatusOr<std::optional<BookingRecord>> FindByHoldIn(db::Session& session,
                                                          const std::string& trip_id,
                                                          const std::string& hold_id) {
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result result,
      session.Execute(absl::StrCat("SELECT ", kBookingColumns,
                                   " FROM inventory_bookings WHERE trip_id = $1 AND hold_id = $2"),
                      {trip_id, hold_id}));
  if (result.rows.empty()) return std::nullopt;
  TRAVIO_ASSIGN_OR_RETURN(BookingRecord booking, ReadBooking(result.rows[0]));
  return booking;
}

class SqlBookingStore final : public BookingStore {
 public:
  SqlBookingStore(db::Database& database, events::Outbox* outbox)
      : database_(database), outbox_(outbox) {}

  absl::StatusOr<BookingRecord> Book(const BookingRecord& booking,
                                     const std::vector<events::Event>& events) override {
    // A retried confirmation of the same hold finds its booking.
    TRAVIO_ASSIGN_OR_RETURN(auto existing, FindByHold(booking.trip_id, booking.hold_id));
    if (existing) return *std::move(existing);
    const absl::Status written = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(absl::StrCat("INSERT INTO inventory_bookings (", kBookingColumns,
                                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
                     {booking.id, booking.trip_id, booking.org_id, booking.hold_id,
                      int64_t{booking.journey.from}, int64_t{booking.journey.to},
                      json(booking.seats).dump(), SeatPricesJson(booking.prices).dump(),
                      absl::ToUnixMicros(booking.created_at), int64_t{booking.blocked ? 1 : 0}})
              .status());
      for (const std::string& seat : booking.seats) {
        for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
          TRAVIO_RETURN_IF_ERROR(
              tx.Execute("INSERT INTO inventory_seat_legs (trip_id, seat, leg, booking_id) "
                         "VALUES ($1, $2, $3, $4)",
                         {booking.trip_id, seat, int64_t{leg}, booking.id})
                  .status());
        }
      }
      return AppendAll(tx, events);
    });
    if (written.ok()) return booking;
    if (written.code() != absl::StatusCode::kAlreadyExists) return written;
    // Either the hold was booked meanwhile (a racing retry: answer its booking) or a seat-leg
    // is sold: name the seats.
    TRAVIO_ASSIGN_OR_RETURN(auto raced, FindByHold(booking.trip_id, booking.hold_id));
    if (raced) return *std::move(raced);
    TRAVIO_ASSIGN_OR_RETURN(auto sold, SoldLegs(booking.trip_id));
    std::vector<std::string> taken;
    std::vector<FieldError> errors;
    for (size_t i = 0; i < booking.seats.size(); ++i) {
      for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
        if (sold.count({booking.seats[i], leg})) {
          taken.push_back(booking.seats[i]);
          errors.push_back({absl::StrCat("seats[", i, "]"), booking.seats[i] + " is booked"});
          break;
        }
      }
    }
    return WithFieldErrors(
        Error(reasons::kSeatsUnavailable,
              absl::StrCat("Not available for this journey: ", absl::StrJoin(taken, ", "), ".")),
        errors);
  }

  absl::StatusOr<BookingRecord> Cancel(const std::string& trip_id, const std::string& booking_id,
                                       const std::vector<std::string>& seats,
                                       const std::vector<events::Event>& events) override {
    BookingRecord before;
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result result,
          tx.Execute(absl::StrCat("SELECT ", kBookingColumns,
                                  " FROM inventory_bookings WHERE trip_id = $1 AND id = $2"),
                     {trip_id, booking_id}));
      if (result.rows.empty()) {
        return Error(reasons::kBookingNotFound, "No such booking.");
      }
      TRAVIO_ASSIGN_OR_RETURN(BookingRecord booking, ReadBooking(result.rows[0]));
      before = booking;
      const std::vector<std::string> cancelled = seats.empty() ? booking.seats : seats;
      std::vector<FieldError> errors;
      for (size_t i = 0; i < cancelled.size(); ++i) {
        if (std::find(booking.seats.begin(), booking.seats.end(), cancelled[i]) ==
            booking.seats.end()) {
          errors.push_back({absl::StrCat("seats[", i, "]"), "not in this booking"});
        }
      }
      if (!errors.empty()) {
        return WithFieldErrors(Error(reasons::kInvalidSeats, "Some seats are not in the booking."),
                               errors);
      }
      for (const std::string& seat : cancelled) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("DELETE FROM inventory_seat_legs WHERE trip_id = $1 AND seat = $2 AND "
                       "booking_id = $3",
                       {trip_id, seat, booking_id})
                .status());
      }
      std::erase_if(booking.seats, [&](const std::string& seat) {
        return std::find(cancelled.begin(), cancelled.end(), seat) != cancelled.end();
      });
      // The booking row stays (with its remaining seats) as the record of what was sold.
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute("UPDATE inventory_bookings SET seats = $3 WHERE trip_id = $1 AND id = $2",
                     {trip_id, booking_id, json(booking.seats).dump()})
              .status());
      return AppendAll(tx, events);
    });
    if (!done.ok()) return done;
    return before;
  }

  absl::StatusOr<std::optional<BookingRecord>> Find(const std::string& trip_id,
                                                    const std::string& booking_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kBookingColumns,
                                       " FROM inventory_bookings WHERE trip_id = $1 AND id = $2"),
                          {trip_id, booking_id}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(BookingRecord booking, ReadBooking(result.rows[0]));
    return booking;
  }

  absl::StatusOr<std::vector<BookingRecord>> Bookings(const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kBookingColumns,
                                       " FROM inventory_bookings WHERE trip_id = $1 ORDER BY id"),
                          {trip_id}));
    std::vector<BookingRecord> bookings;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(BookingRecord booking, ReadBooking(row));
      if (!booking.seats.empty()) bookings.push_back(std::move(booking));
    }
    return bookings;
  }

  absl::StatusOr<std::optional<BookingRecord>> FindByHold(const std::string& trip_id,
                                                          const std::string& hold_id) override {
    return FindByHoldIn(database_, trip_id, hold_id);
  }

  absl::StatusOr<std::set<std::pair<std::string, int>>> SoldLegs(
      const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT seat, leg FROM inventory_seat_legs WHERE trip_id = $1",
                          {trip_id}));
    std::set<std::pair<std::string, int>> sold;
    for (const db::Row& row : result.rows) {
      sold.insert({row.Text(0), static_cast<int>(row.Int(1))});
    }
    return sold;
  }

 private:
  absl::Status AppendAll(db::Session& tx, const std::vector<events::Event>& events) {
    if (events.empty()) return absl::OkStatus();
    if (outbox_ == nullptr) return absl::InternalError("this booking store has no outbox");
    for (const events::Event& event : events) TRAVIO_RETURN_IF_ERROR(outbox_->Append(tx, event));
    return absl::OkStatus();
  }

  db::Database& database_;
  events::Outbox* outbox_;
};

}  // namespace

std::vector<db::Migration> InventoryMigrations() {
  return {{1, "bookings and the seat-leg rows that make a double sale impossible", R"sql(
CREATE TABLE inventory_bookings (
  id TEXT PRIMARY KEY,
  trip_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  hold_id TEXT NOT NULL,
  journey_from BIGINT NOT NULL,
  journey_to BIGINT NOT NULL,
  seats TEXT NOT NULL,
  prices TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (trip_id, hold_id)
);
CREATE TABLE inventory_seat_legs (
  trip_id TEXT NOT NULL,
  seat TEXT NOT NULL,
  leg BIGINT NOT NULL,
  booking_id TEXT NOT NULL REFERENCES inventory_bookings (id),
  PRIMARY KEY (trip_id, seat, leg)
);
CREATE INDEX inventory_seat_legs_by_booking ON inventory_seat_legs (booking_id);
)sql"},
          {2, "operator blocks, trips on offer and the memory hold store's journal", R"sql(
ALTER TABLE inventory_bookings ADD COLUMN blocked BIGINT NOT NULL DEFAULT 0;
CREATE TABLE inventory_trips (
  trip_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  catalog_version BIGINT NOT NULL,
  on_sale BIGINT NOT NULL,
  listing TEXT NOT NULL
);
CREATE TABLE inventory_hold_journal (
  hold_id TEXT PRIMARY KEY,
  trip_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  hold TEXT NOT NULL
);
)sql"}};
}

std::unique_ptr<BookingStore> MakeSqlBookingStore(db::Database& database, events::Outbox* outbox) {
  return std::make_unique<SqlBookingStore>(database, outbox);
}

}  // namespace travio::inventory
