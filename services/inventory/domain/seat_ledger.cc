#include "services/inventory/domain/seat_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::inventory {
namespace {

absl::Status InvalidSeats(std::vector<FieldError> errors) {
  return WithFieldErrors(Error(reasons::kInvalidSeats, "Some seats are not valid."), errors);
}

absl::Status SeatsUnavailable(const std::vector<std::string>& labels,
                              std::vector<FieldError> taken) {
  return WithFieldErrors(
      Error(reasons::kSeatsUnavailable,
            absl::StrCat("Not available for this journey: ", absl::StrJoin(labels, ", "), ".")),
      std::move(taken));
}

absl::Status HoldNotFound() {
  return Error(reasons::kHoldNotFound, "No such hold: it was released, confirmed or has expired.");
}

}  // namespace

absl::StatusOr<Journey> JourneyBetween(const TripSeats& trip, std::string_view from,
                                       std::string_view to) {
  auto index = [&](std::string_view code) -> int {
    for (size_t i = 0; i < trip.stops.size(); ++i) {
      if (trip.stops[i] == code) return static_cast<int>(i);
    }
    return -1;
  };
  const int start = index(from);
  const int end = index(to);
  if (start < 0 || end < 0 || start >= end) {
    return Error(reasons::kInvalidJourney, absl::StrCat("The trip does not run from ", ToAbsl(from),
                                                        " to ", ToAbsl(to), "."));
  }
  return Journey{start, end};
}

absl::Status RefuseTakenSeats(const std::vector<std::string>& seats,
                              const std::map<std::string, SeatStatus>& statuses) {
  std::vector<FieldError> taken;
  std::vector<std::string> labels;
  for (size_t i = 0; i < seats.size(); ++i) {
    auto status = statuses.find(seats[i]);
    if (status == statuses.end() || status->second == SeatStatus::kAvailable) continue;
    labels.push_back(seats[i]);
    taken.push_back({absl::StrCat("seats[", i, "]"),
                     absl::StrCat(seats[i], " is ", ToAbsl(SeatStatusName(status->second)))});
  }
  if (taken.empty()) return absl::OkStatus();
  return SeatsUnavailable(labels, std::move(taken));
}

std::string_view SeatStatusName(SeatStatus status) {
  switch (status) {
    case SeatStatus::kAvailable:
      return "available";
    case SeatStatus::kHeld:
      return "held";
    case SeatStatus::kBooked:
      return "booked";
    case SeatStatus::kBlocked:
      return "blocked";
  }
  return "unknown";
}

SeatLedger::SeatLedger(TripSeats trip) : trip_(std::move(trip)) {
  for (size_t i = 0; i < trip_.places.size(); ++i) index_[trip_.places[i].label] = i;
  claims_.assign(trip_.places.size(), std::vector<Claim>(static_cast<size_t>(std::max(legs(), 0))));
}

bool SeatLedger::LiveHold(const std::string& hold_id, absl::Time now) const {
  auto it = holds_.find(hold_id);
  return it != holds_.end() && now < it->second.expires_at;
}

const SeatLedger::Claim* SeatLedger::ActiveClaim(size_t place, int leg, absl::Time now) const {
  const Claim& claim = claims_[place][static_cast<size_t>(leg)];
  if (claim.owner.empty()) return nullptr;
  if (claim.booked || LiveHold(claim.owner, now)) return &claim;
  return nullptr;  // an expired hold neither blocks nor confirms
}

absl::StatusOr<Hold> SeatLedger::HoldSeats(const HoldRequest& request, absl::Time now,
                                           int max_seats) {
  const Journey& journey = request.journey;
  if (journey.from < 0 || journey.to > legs() || journey.from >= journey.to) {
    return Error(reasons::kInvalidJourney, "The journey is not on this trip.");
  }
  std::vector<FieldError> errors;
  if (request.seats.empty()) errors.push_back({"seats", "at least one seat"});
  if (static_cast<int>(request.seats.size()) > max_seats) {
    errors.push_back({"seats", absl::StrCat("at most ", max_seats, " seats per hold")});
  }
  std::set<std::string> seen;
  std::vector<size_t> places;
  for (size_t i = 0; i < request.seats.size(); ++i) {
    const std::string& label = request.seats[i];
    auto it = index_.find(label);
    if (it == index_.end()) {
      errors.push_back({absl::StrCat("seats[", i, "]"), "no such seat on this trip"});
    } else if (!seen.insert(label).second) {
      errors.push_back({absl::StrCat("seats[", i, "]"), "named twice"});
    } else {
      places.push_back(it->second);
    }
  }
  if (!errors.empty()) return InvalidSeats(errors);
  if (holds_.count(request.hold_id) || bookings_.count(request.hold_id)) {
    return Error(reasons::kHoldExists, "The hold id is taken.");
  }

  // Every check before any write: all or nothing.
  std::vector<FieldError> taken;
  std::vector<std::string> labels;
  for (size_t i = 0; i < places.size(); ++i) {
    const size_t place = places[i];
    std::string why;
    if (!trip_.places[place].sellable) why = "is not for sale";
    for (int leg = journey.from; leg < journey.to && why.empty(); ++leg) {
      if (const Claim* claim = ActiveClaim(place, leg, now)) {
        why = claim->blocked ? "is blocked" : claim->booked ? "is booked" : "is held";
      }
    }
    if (!why.empty()) {
      labels.push_back(trip_.places[place].label);
      taken.push_back({absl::StrCat("seats[", i, "]"), absl::StrCat(labels.back(), " ", why)});
    }
  }
  if (!taken.empty()) return SeatsUnavailable(labels, std::move(taken));
  Hold hold{.id = request.hold_id,
            .holder = request.holder,
            .seats = request.seats,
            .journey = journey,
            .expires_at = now + request.ttl,
            .version = 1};
  for (const size_t place : places) {
    for (int leg = journey.from; leg < journey.to; ++leg) {
      claims_[place][static_cast<size_t>(leg)] = Claim{.owner = hold.id, .booked = false};
    }
  }
  holds_[hold.id] = hold;
  return hold;
}

void SeatLedger::Clear(const std::vector<std::string>& seats, const Journey& journey,
                       const std::string& owner) {
  for (const std::string& label : seats) {
    auto it = index_.find(label);
    if (it == index_.end()) continue;
    for (int leg = journey.from; leg < journey.to; ++leg) {
      Claim& claim = claims_[it->second][static_cast<size_t>(leg)];
      if (claim.owner == owner) claim = Claim{};
    }
  }
}

absl::Status SeatLedger::Release(const std::string& hold_id, absl::Time now) {
  if (!LiveHold(hold_id, now)) return HoldNotFound();
  const Hold hold = holds_.at(hold_id);
  Clear(hold.seats, hold.journey, hold.id);
  holds_.erase(hold_id);
  return absl::OkStatus();
}

absl::StatusOr<Booking> SeatLedger::Confirm(const std::string& hold_id, int64_t version,
                                            const std::string& booking_id, absl::Time now,
                                            bool blocked) {
  auto it = holds_.find(hold_id);
  if (it == holds_.end()) return HoldNotFound();
  if (now >= it->second.expires_at) {
    return Error(reasons::kHoldExpired, "The hold expired; its seats may have been sold since.");
  }
  if (it->second.version != version) {
    return Error(reasons::kHoldVersionMismatch, "The hold changed since it was read.");
  }
  if (bookings_.count(booking_id)) {
    return Error(reasons::kBookingExists, "The booking id is taken.");
  }
  const Hold hold = it->second;
  Booking booking{.id = booking_id,
                  .hold_id = hold.id,
                  .seats = hold.seats,
                  .journey = hold.journey,
                  .blocked = blocked};
  holds_.erase(it);
  ClaimLegs(booking);
  return booking;
}

void SeatLedger::ClaimLegs(const Booking& booking) {
  for (const std::string& label : booking.seats) {
    auto place = index_.find(label);
    if (place == index_.end()) continue;  // a seat the bus no longer has
    for (int leg = booking.journey.from; leg < booking.journey.to && leg < legs(); ++leg) {
      claims_[place->second][static_cast<size_t>(leg)] =
          Claim{.owner = booking.id, .booked = true, .blocked = booking.blocked};
    }
  }
  bookings_[booking.id] = booking;
}

absl::Status SeatLedger::Restore(const Booking& booking) {
  if (bookings_.count(booking.id)) {
    return Error(reasons::kBookingExists, "The booking id is taken.");
  }
  ClaimLegs(booking);
  return absl::OkStatus();
}

bool SeatLedger::Reinstate(const Booking& booking) {
  if (bookings_.count(booking.id)) return false;
  for (const std::string& label : booking.seats) {
    auto place = index_.find(label);
    if (place == index_.end()) continue;
    for (int leg = booking.journey.from; leg < booking.journey.to && leg < legs(); ++leg) {
      Claim& claim = claims_[place->second][static_cast<size_t>(leg)];
      if (claim.booked) continue;
      claim = Claim{.owner = booking.id, .booked = true, .blocked = booking.blocked};
    }
  }
  bookings_[booking.id] = booking;
  return true;
}

absl::Status SeatLedger::CancelBooking(const std::string& booking_id,
                                       const std::vector<std::string>& seats) {
  auto it = bookings_.find(booking_id);
  if (it == bookings_.end()) {
    return Error(reasons::kBookingNotFound, "No such booking.");
  }
  Booking& booking = it->second;
  const std::vector<std::string> cancelled = seats.empty() ? booking.seats : seats;
  std::vector<FieldError> errors;
  for (size_t i = 0; i < cancelled.size(); ++i) {
    if (std::find(booking.seats.begin(), booking.seats.end(), cancelled[i]) ==
        booking.seats.end()) {
      errors.push_back({absl::StrCat("seats[", i, "]"), "not in this booking"});
    }
  }
  if (!errors.empty()) return InvalidSeats(errors);
  Clear(cancelled, booking.journey, booking.id);
  std::erase_if(booking.seats, [&](const std::string& label) {
    return std::find(cancelled.begin(), cancelled.end(), label) != cancelled.end();
  });
  if (booking.seats.empty()) bookings_.erase(it);
  return absl::OkStatus();
}

std::map<std::string, SeatStatus> SeatLedger::Statuses(const Journey& journey,
                                                       absl::Time now) const {
  std::map<std::string, SeatStatus> statuses;
  for (size_t place = 0; place < trip_.places.size(); ++place) {
    SeatStatus status = SeatStatus::kAvailable;
    if (!trip_.places[place].sellable) {
      status = SeatStatus::kBlocked;
    } else {
      for (int leg = journey.from; leg < journey.to && leg < legs(); ++leg) {
        const Claim* claim = ActiveClaim(place, leg, now);
        if (claim == nullptr) continue;
        if (claim->blocked) {
          status = SeatStatus::kBlocked;
          break;
        }
        if (claim->booked) {
          status = SeatStatus::kBooked;
        } else if (status == SeatStatus::kAvailable) {
          status = SeatStatus::kHeld;
        }
      }
    }
    statuses[trip_.places[place].label] = status;
  }
  return statuses;
}

int SeatLedger::Available(const Journey& journey, absl::Time now) const {
  int available = 0;
  for (const auto& [label, status] : Statuses(journey, now)) {
    if (status == SeatStatus::kAvailable) ++available;
  }
  return available;
}

std::vector<Hold> SeatLedger::SweepExpired(absl::Time now, size_t limit) {
  std::vector<Hold> swept;
  for (auto it = holds_.begin(); it != holds_.end() && swept.size() < limit;) {
    if (now < it->second.expires_at) {
      ++it;
      continue;
    }
    Clear(it->second.seats, it->second.journey, it->second.id);
    swept.push_back(std::move(it->second));
    it = holds_.erase(it);
  }
  return swept;
}

absl::StatusOr<Hold> SeatLedger::RestoreHold(const Hold& hold, absl::Time now) {
  if (now >= hold.expires_at) return HoldNotFound();
  HoldRequest request{.hold_id = hold.id,
                      .holder = hold.holder,
                      .seats = hold.seats,
                      .journey = hold.journey,
                      .ttl = hold.expires_at - now};
  const int max_seats = static_cast<int>(hold.seats.size());
  absl::StatusOr<Hold> restored = HoldSeats(request, now, max_seats);
  if (!restored.ok()) return restored.status();
  Hold& kept = holds_.at(hold.id);
  kept.expires_at = hold.expires_at;
  kept.version = hold.version;
  return kept;
}

std::optional<Hold> SeatLedger::FindHold(const std::string& hold_id) const {
  auto it = holds_.find(hold_id);
  if (it == holds_.end()) return std::nullopt;
  return it->second;
}

}  // namespace travio::inventory
