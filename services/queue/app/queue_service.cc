#include "services/queue/app/queue_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/queue/api/queue_token.h"
#include "services/queue/domain/inlet.h"

namespace travio::queue {
namespace {

// The gateway passes a verified token's subject; a compromised or buggy caller over gRPC could
// pass anything, and a subject ends up in the state and in signed claims.
// An admitted ticket whose session has run out, though the inlet has not ended it yet: its
// token would be born expired.
bool SessionOver(const QueueTicket& ticket, absl::Time now) {
  return ticket.status == TicketStatus::kAdmitted && ticket.session_ends_at <= now;
}

absl::Status CheckCaller(const std::string& subject) {
  if (IsCallerSubject(subject)) return absl::OkStatus();
  return Error(absl::StatusCode::kInvalidArgument, "validation_failed",
               "The caller's subject is not an identity's subject.");
}

absl::Status RoomNotFound() { return Error(reasons::kRoomNotFound, "No such waiting room."); }

}  // namespace

QueueService::QueueService(Ports ports, QueueSettings settings)
    : ports_(std::move(ports)), settings_(settings) {
  if (ports_.metrics != nullptr) {
    waiting_ = &ports_.metrics->AddGauge(
        "travio_queue_waiting", "Callers waiting in a room (pre-queue included).", {"room"});
    active_ = &ports_.metrics->AddGauge("travio_queue_active",
                                        "Admitted sessions not yet ended, per room.", {"room"});
    admitted_ = &ports_.metrics->AddCounter("travio_queue_admitted_total",
                                            "Callers admitted from a room.", {"room"});
    expired_ = &ports_.metrics->AddCounter("travio_queue_expired_total",
                                           "Places lost by callers who stopped polling.", {"room"});
  }
}

uint64_t QueueService::Lottery(const Room& room, const std::string& ticket) {
  const std::string mac = crypto::HmacSha256(room.seed, ticket);
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(mac[i]);
  return value >> 11;  // 53 bits: exact in a Redis sorted set's score
}

InletRules QueueService::RulesOf(const Room& room) const {
  return InletRules{.admit_per_minute = room.spec.admit_per_minute,
                    .max_active = room.spec.max_active,
                    .position_ttl = settings_.position_ttl,
                    .session = absl::Minutes(room.spec.session_minutes)};
}

absl::StatusOr<Room> QueueService::LoadRoom(const std::string& room_id) {
  if (!IsRoomId(room_id)) return RoomNotFound();
  const absl::Time now = ports_.clock.Now();
  {
    std::lock_guard lock(cache_mutex_);
    auto cached = cache_.find(room_id);
    if (cached != cache_.end() && now - cached->second.second < settings_.room_cache_ttl) {
      return cached->second.first;
    }
  }
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Room> room, ports_.rooms.Find(room_id));
  if (!room) return RoomNotFound();
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() > 10'000) cache_.clear();  // ids of rooms that do not exist are not kept
  cache_[room_id] = {*room, now};
  return *std::move(room);
}

void QueueService::Forget(const std::string& room_id) {
  std::lock_guard lock(cache_mutex_);
  cache_.erase(room_id);
}

absl::StatusOr<Room> QueueService::OwnRoom(const std::string& org_id, const std::string& room_id) {
  TRAVIO_ASSIGN_OR_RETURN(Room room, LoadRoom(room_id));
  if (room.spec.org_id != org_id || room.closed) return RoomNotFound();
  return room;
}

absl::StatusOr<RoomView> QueueService::View(const Room& room) {
  TRAVIO_ASSIGN_OR_RETURN(RoomCounters counters, ports_.state.Counters(room.spec.room_id));
  return RoomView{.spec = room.spec,
                  .status = StatusAt(room, ports_.clock.Now()),
                  .waiting = counters.waiting,
                  .active = counters.active,
                  .admitted_total = counters.admitted_total,
                  .expired_total = counters.expired_total,
                  .commitment = room.commitment,
                  .seed = room.opened_at ? room.seed : "",
                  .opened_at = room.opened_at,
                  .created_at = room.created_at,
                  .updated_at = room.updated_at};
}

absl::StatusOr<RoomView> QueueService::PutRoom(const RoomSpec& spec) {
  const absl::Time now = ports_.clock.Now();
  std::optional<Room> existing;
  if (IsRoomId(spec.room_id)) {
    TRAVIO_ASSIGN_OR_RETURN(existing, ports_.rooms.Find(spec.room_id));
  }
  if (existing && (existing->spec.org_id != spec.org_id || existing->closed)) {
    return Error(reasons::kRoomTaken, "This room id is taken; choose another.");
  }
  std::vector<FieldError> errors = Validate(spec, now, existing ? &*existing : nullptr);
  RoomSpec clean = spec;
  std::sort(clean.trip_ids.begin(), clean.trip_ids.end());
  clean.trip_ids.erase(std::unique(clean.trip_ids.begin(), clean.trip_ids.end()),
                       clean.trip_ids.end());
  if (errors.empty()) {
    // Only the organization's own trips.
    for (size_t i = 0; i < clean.trip_ids.size(); ++i) {
      TRAVIO_ASSIGN_OR_RETURN(bool owns, ports_.trips.Owns(spec.org_id, clean.trip_ids[i]));
      if (!owns) errors.push_back({absl::StrCat("trip_ids[", i, "]"), "no such trip of yours"});
    }
  }
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The room is invalid."), errors);
  }
  if (!existing) {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<Room> rooms, ports_.rooms.ListByOrg(spec.org_id));
    const auto open =
        std::count_if(rooms.begin(), rooms.end(), [](const Room& r) { return !r.closed; });
    if (open >= settings_.max_rooms_per_org) {
      return Error(reasons::kTooManyRooms,
                   absl::StrCat("An organization may have ", settings_.max_rooms_per_org,
                                " waiting rooms open; close one first."));
    }
  }
  Room room = existing ? *existing : Room{};
  room.spec = clean;
  room.updated_at = now;
  if (!existing) {
    room.created_at = now;
    // The draw's seed, secret until the opening; its hash is published from now on.
    room.seed = crypto::HexEncode(crypto::RandomBytes(32));
    room.commitment = crypto::HexEncode(crypto::Sha256(room.seed));
  }
  const int64_t expected = existing ? existing->version : 0;
  room.version = expected + 1;
  TRAVIO_RETURN_IF_ERROR(ports_.rooms.Put(room, expected));
  Forget(room.spec.room_id);
  ports_.logger.Info(
      "waiting room saved",
      {{"room_id", room.spec.room_id}, {"org_id", room.spec.org_id}, {"version", room.version}});
  return View(room);
}

absl::StatusOr<RoomView> QueueService::GetRoom(const std::string& org_id,
                                               const std::string& room_id) {
  TRAVIO_ASSIGN_OR_RETURN(Room room, OwnRoom(org_id, room_id));
  return View(room);
}

absl::StatusOr<std::vector<RoomView>> QueueService::ListRooms(const std::string& org_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Room> rooms, ports_.rooms.ListByOrg(org_id));
  std::vector<RoomView> views;
  for (const Room& room : rooms) {
    if (room.closed) continue;
    TRAVIO_ASSIGN_OR_RETURN(RoomView view, View(room));
    views.push_back(std::move(view));
  }
  return views;
}

absl::Status QueueService::DeleteRoom(const std::string& org_id, const std::string& room_id) {
  TRAVIO_ASSIGN_OR_RETURN(Room room, OwnRoom(org_id, room_id));
  TRAVIO_RETURN_IF_ERROR(ports_.rooms.Close(room.spec.room_id, ports_.clock.Now()));
  Forget(room.spec.room_id);
  return ports_.state.Drop(room.spec.room_id);
}

absl::StatusOr<std::optional<TripGuard>> QueueService::GuardOf(const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> room_id, ports_.rooms.RoomOfTrip(trip_id));
  if (!room_id) return std::nullopt;
  TRAVIO_ASSIGN_OR_RETURN(Room room, LoadRoom(*room_id));
  if (room.closed) return std::nullopt;
  return TripGuard{.room_id = room.spec.room_id, .status = StatusAt(room, ports_.clock.Now())};
}

absl::Status QueueService::EnsureOpened(Room& room, absl::Time now) {
  if (room.opened_at || StatusAt(room, now) != RoomStatus::kOpen) return absl::OkStatus();
  TRAVIO_RETURN_IF_ERROR(ports_.state.Open(room.spec.room_id, now));
  TRAVIO_ASSIGN_OR_RETURN(RoomCounters counters, ports_.state.Counters(room.spec.room_id));
  // The state's opening time wins: another process may have drawn first.
  TRAVIO_RETURN_IF_ERROR(ports_.rooms.MarkOpened(room.spec.room_id, counters.opened_at));
  room.opened_at = counters.opened_at;
  Forget(room.spec.room_id);
  ports_.logger.Info("waiting room opened", {{"room_id", room.spec.room_id},
                                             {"drawn", counters.pre_queue},
                                             {"seed", room.seed},
                                             {"commitment", room.commitment}});
  return absl::OkStatus();
}

absl::StatusOr<QueuePlace> QueueService::Join(const std::string& room_id,
                                              const std::string& subject) {
  TRAVIO_RETURN_IF_ERROR(CheckCaller(subject));
  TRAVIO_ASSIGN_OR_RETURN(Room room, LoadRoom(room_id));
  const absl::Time now = ports_.clock.Now();
  const RoomStatus status = StatusAt(room, now);
  if (status == RoomStatus::kClosed) {
    return Error(reasons::kRoomClosed, "This waiting room is closed.");
  }
  if (status == RoomStatus::kScheduled) {
    return WithRetryAfter(
        Error(reasons::kRoomNotOpen, absl::StrCat("This waiting room opens its doors at ",
                                                  absl::FormatTime(PreQueueStartsAt(room)), ".")),
        PreQueueStartsAt(room) - now);
  }
  TRAVIO_RETURN_IF_ERROR(EnsureOpened(room, now));
  const std::string fresh = crypto::Base64UrlEncode(crypto::RandomBytes(18));
  TRAVIO_ASSIGN_OR_RETURN(QueueTicket ticket,
                          ports_.state.Join(room.spec.room_id, subject, fresh, Lottery(room, fresh),
                                            now, settings_.position_ttl));
  if (SessionOver(ticket, now)) {
    // The caller's session ran out before the inlet's next tick ended it: end it now, and the
    // caller joins again at the back, as after any ended session.
    TRAVIO_ASSIGN_OR_RETURN(InletResult ended,
                            ports_.state.Advance(room.spec.room_id, now, RulesOf(room)));
    TRAVIO_ASSIGN_OR_RETURN(RoomCounters counters, ports_.state.Counters(room.spec.room_id));
    Record(room.spec.room_id, ended, counters);
    TRAVIO_ASSIGN_OR_RETURN(
        ticket, ports_.state.Join(room.spec.room_id, subject, fresh, Lottery(room, fresh), now,
                                  settings_.position_ttl));
    if (SessionOver(ticket, now)) {
      return Error(absl::StatusCode::kUnavailable, "unavailable", "Try again shortly.");
    }
  }
  if (room.opened_at && ticket.status == TicketStatus::kWaiting) {
    // Below the room's limits a caller passes straight through.
    TRAVIO_ASSIGN_OR_RETURN(InletResult result,
                            ports_.state.Advance(room.spec.room_id, now, RulesOf(room)));
    if (result.admitted > 0 || result.expired > 0 || result.ended > 0) {
      TRAVIO_ASSIGN_OR_RETURN(RoomCounters counters, ports_.state.Counters(room.spec.room_id));
      Record(room.spec.room_id, result, counters);
      TRAVIO_ASSIGN_OR_RETURN(
          std::optional<QueueTicket> now_ticket,
          ports_.state.Poll(room.spec.room_id, ticket.ticket, now, settings_.position_ttl));
      if (now_ticket) ticket = *now_ticket;
    }
  }
  return Place(room, ticket);
}

absl::StatusOr<QueuePlace> QueueService::Status(const std::string& room_id,
                                                const std::string& ticket_id,
                                                const std::string& subject) {
  TRAVIO_RETURN_IF_ERROR(CheckCaller(subject));
  TRAVIO_ASSIGN_OR_RETURN(Room room, LoadRoom(room_id));
  const absl::Time now = ports_.clock.Now();
  if (room.closed) return Error(reasons::kRoomClosed, "This waiting room is closed.");
  TRAVIO_RETURN_IF_ERROR(EnsureOpened(room, now));
  const absl::Status unknown = Error(reasons::kQueueTicketNotFound, "No such ticket in this room.");
  if (ticket_id.empty() || ticket_id.size() > 64) return unknown;
  TRAVIO_ASSIGN_OR_RETURN(
      std::optional<QueueTicket> ticket,
      ports_.state.Poll(room.spec.room_id, ticket_id, now, settings_.position_ttl));
  if (!ticket) return unknown;
  if (ticket->subject != subject) {
    return Error(reasons::kForbidden, "This ticket belongs to another caller.");
  }
  if (ticket->status == TicketStatus::kExpired || ticket->status == TicketStatus::kDone ||
      SessionOver(*ticket, now)) {
    return Error(reasons::kQueueTicketExpired,
                 ticket->status == TicketStatus::kExpired
                     ? "This place was lost when polling stopped; join again."
                     : "This session has ended; join again.");
  }
  return Place(room, *ticket);
}

absl::StatusOr<QueuePlace> QueueService::Place(const Room& room, const QueueTicket& ticket) {
  QueuePlace place{
      .room_id = room.spec.room_id, .ticket = ticket.ticket, .trip_ids = room.spec.trip_ids};
  const absl::Time now = ports_.clock.Now();
  if (ticket.position > 0) place.position = ticket.position;
  // A pre-queue caller drawn in at the opening learns it at its return moment, not before: a
  // bot polling every second is no better off than a page that waits as it was told. (The
  // room read from the cache may not know the opening yet: then it was just now.)
  const bool drawn = ticket.lottery != 0;
  if (ticket.status == TicketStatus::kAdmitted && drawn) {
    const absl::Time returns_at = room.opened_at.value_or(now) +
                                  PreQueueReturnOffset(ticket.ticket, settings_.pre_queue_spread);
    if (now < returns_at) {
      place.ahead = 0;
      place.eta_s = absl::ToInt64Seconds(absl::Ceil(returns_at - now, absl::Seconds(1)));
      place.retry_after = returns_at - now;
      return place;
    }
  }
  if (ticket.status == TicketStatus::kAdmitted) {
    TRAVIO_ASSIGN_OR_RETURN(place.queue_token,
                            SignQueueToken(ports_.keys.secret_key(), ports_.keys.kid(),
                                           QueueTokenClaims{.subject = ticket.subject,
                                                            .room_id = room.spec.room_id,
                                                            .token_id = ticket.ticket,
                                                            .issued_at = now,
                                                            .expires_at = ticket.session_ends_at}));
    place.admitted = true;
    place.expires_at = ticket.session_ends_at;
    return place;
  }
  int64_t until_open = 0;
  if (!room.opened_at && room.spec.opens_at) {
    place.opens_at = room.spec.opens_at;
    // Rounded up: told to come back a little after the opening, never a little before it.
    until_open = std::max<int64_t>(
        0, absl::ToInt64Seconds(absl::Ceil(*room.spec.opens_at - now, absl::Seconds(1))));
  }
  TRAVIO_ASSIGN_OR_RETURN(RoomCounters counters, ports_.state.Counters(room.spec.room_id));
  // Not drawn yet: the middle of the draw, on average.
  place.ahead = ticket.position > 0 ? std::max<int64_t>(0, ticket.position - counters.serving - 1)
                                    : counters.waiting / 2;
  place.eta_s = until_open + EstimatedWaitSeconds(place.ahead + 1, room.spec.admit_per_minute);
  place.retry_after =
      until_open > 0
          ? PreQueuePollInterval(until_open, place.eta_s - until_open,
                                 PreQueueReturnOffset(ticket.ticket, settings_.pre_queue_spread))
          : PollInterval(place.eta_s);
  return place;
}

absl::StatusOr<std::vector<QueueKey>> QueueService::VerificationKeys() {
  return ports_.keys.public_keys();
}

absl::Status QueueService::Tick() {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Room> rooms, ports_.rooms.ListOpen());
  const absl::Time now = ports_.clock.Now();
  absl::Status first_failure;
  for (Room& room : rooms) {
    absl::Status done = [&]() -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(EnsureOpened(room, now));
      InletResult result;
      if (room.opened_at) {
        TRAVIO_ASSIGN_OR_RETURN(result,
                                ports_.state.Advance(room.spec.room_id, now, RulesOf(room)));
      }
      TRAVIO_ASSIGN_OR_RETURN(RoomCounters counters, ports_.state.Counters(room.spec.room_id));
      Record(room.spec.room_id, result, counters);
      return absl::OkStatus();
    }();
    if (!done.ok() && first_failure.ok()) first_failure = done;
  }
  return first_failure;
}

void QueueService::Record(const std::string& room_id, const InletResult& result,
                          const RoomCounters& counters) {
  if (waiting_ == nullptr) return;
  waiting_->WithLabels({room_id}).Set(static_cast<double>(counters.waiting));
  active_->WithLabels({room_id}).Set(static_cast<double>(counters.active));
  admitted_->WithLabels({room_id}).Increment(static_cast<double>(result.admitted));
  expired_->WithLabels({room_id}).Increment(static_cast<double>(result.expired));
}

absl::Status QueueService::OnOrderPlaced(const std::string& buyer, const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> room_id, ports_.rooms.RoomOfTrip(trip_id));
  if (!room_id) return absl::OkStatus();
  TRAVIO_ASSIGN_OR_RETURN(bool ended, ports_.state.EndSession(*room_id, buyer));
  if (ended) ports_.logger.Info("queue session ended by an order", {{"room_id", *room_id}});
  return absl::OkStatus();
}

}  // namespace travio::queue
