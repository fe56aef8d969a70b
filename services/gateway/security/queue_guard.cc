#include "services/gateway/security/queue_guard.h"

#include "platform/base/errors.h"
#include "services/queue/api/queue_token.h"

namespace travio::gateway {
namespace {

constexpr absl::Duration kGuardTtl = absl::Seconds(2);
constexpr absl::Duration kKeysTtl = absl::Seconds(60);
constexpr absl::Duration kKeysRefetch = absl::Seconds(10);

// Tickets whose session the queue said had ended, kept until their tokens expire: so many at
// most (orders end sessions; a gateway sees a few thousand a minute in a drop).
constexpr size_t kMaxEndedRemembered = 100'000;

}  // namespace

QueueGuard::QueueGuard(std::shared_ptr<queue::QueueClient> queue, const Clock& clock,
                       log::Logger logger)
    : queue_(std::move(queue)), clock_(clock), logger_(std::move(logger)) {}

absl::StatusOr<std::optional<std::string>> QueueGuard::RoomOf(const std::string& trip_id) {
  const absl::Time now = clock_.Now();
  {
    std::lock_guard lock(mutex_);
    auto cached = rooms_.find(trip_id);
    if (cached != rooms_.end() && now - cached->second.second < kGuardTtl) {
      return cached->second.first;
    }
  }
  absl::StatusOr<std::optional<queue::TripGuard>> guard = queue_->GuardOf(trip_id);
  if (!guard.ok()) {
    // The queue is down: what was last known about this trip stands (an unguarded trip stays
    // on sale, a guarded one still needs its token); a trip never asked about cannot be sold.
    std::lock_guard lock(mutex_);
    if (auto known = rooms_.find(trip_id); known != rooms_.end()) return known->second.first;
    return guard.status();
  }
  std::optional<std::string> room;
  if (*guard) room = (*guard)->room_id;
  std::lock_guard lock(mutex_);
  if (rooms_.size() > 100'000) rooms_.clear();  // trips cannot grow it without bound
  rooms_[trip_id] = {room, now};
  return room;
}

std::vector<queue::QueueKey> QueueGuard::Keys(bool unknown_kid) {
  const absl::Time now = clock_.Now();
  {
    std::lock_guard lock(mutex_);
    const absl::Duration age = now - keys_fetched_;
    if (age < (unknown_kid ? kKeysRefetch : kKeysTtl)) return keys_;
  }
  absl::StatusOr<std::vector<queue::QueueKey>> fetched = queue_->VerificationKeys();
  std::lock_guard lock(mutex_);
  if (fetched.ok()) {
    keys_ = *std::move(fetched);
  } else {
    logger_.Warn("queue keys not fetched", {{"error", fetched.status().ToString()}});
  }
  keys_fetched_ = now;
  return keys_;
}

bool QueueGuard::KnownEnded(const std::string& ticket, absl::Time now) {
  std::lock_guard lock(mutex_);
  auto found = ended_.find(ticket);
  return found != ended_.end() && found->second > now;
}

void QueueGuard::RememberEnded(const std::string& ticket, absl::Time expires_at, absl::Time now) {
  std::lock_guard lock(mutex_);
  if (ended_.size() >= kMaxEndedRemembered) {
    std::erase_if(ended_, [now](const auto& entry) { return entry.second <= now; });
    if (ended_.size() >= kMaxEndedRemembered) ended_.erase(ended_.begin());
  }
  ended_[ticket] = expires_at;
}

QueueGuard::Verdict QueueGuard::Check(const std::string& trip_id, const std::string& subject,
                                      const std::optional<std::string>& token) {
  absl::StatusOr<std::optional<std::string>> room = RoomOf(trip_id);
  if (!room.ok()) return {room.status(), ""};
  if (!*room) return {absl::OkStatus(), ""};
  const std::string& room_id = **room;
  if (!token || token->empty()) {
    return {Error(reasons::kQueueTokenRequired,
                  "This trip is behind a waiting room: join it, and hold with its Queue-Token."),
            room_id};
  }
  const absl::Time now = clock_.Now();
  absl::StatusOr<queue::QueueTokenClaims> claims =
      queue::VerifyQueueToken(*token, Keys(/*unknown_kid=*/false), now);
  if (!claims.ok()) {
    // Perhaps a key the queue rotated in since the last fetch.
    claims = queue::VerifyQueueToken(*token, Keys(/*unknown_kid=*/true), now);
  }
  if (!claims.ok()) return {claims.status(), room_id};
  if (claims->subject != subject || claims->room_id != room_id) {
    return {Error(reasons::kQueueTokenInvalid, "The queue token is not valid for this caller."),
            room_id};
  }
  // The signature says the caller was admitted; the queue says whether the session still
  // runs. An order ends it early and hands its place to the next caller, so its token must
  // stop buying seats then, not at its `exp`.
  const absl::Status ended =
      Error(reasons::kQueueTokenInvalid, "The queue session of this token has ended.");
  if (KnownEnded(claims->token_id, now)) return {ended, room_id};
  absl::StatusOr<queue::QueuePlace> session = queue_->Status(room_id, claims->token_id, subject);
  if (session.ok() && session->admitted) return {absl::OkStatus(), room_id};
  if (session.ok()) {
    // A signed admission the queue does not show yet: a pre-queue caller's admission is
    // revealed at its return moment, and the queue process asked may run a little behind the
    // one that signed. Nothing ended, so the genuine, unexpired token stands.
    return {absl::OkStatus(), room_id};
  }
  const bool answered = session.ok() || !ReasonOf(session.status()).empty();
  if (!answered || absl::IsNotFound(session.status())) {
    // The token is genuine and unexpired: while the queue cannot be asked (no answer, only a
    // failure to reach it), or has lost the ticket (its state was flushed), it stands.
    logger_.Warn("queue session not checked", {{"error", session.status().ToString()}});
    return {absl::OkStatus(), room_id};
  }
  RememberEnded(claims->token_id, claims->expires_at, now);
  return {ended, room_id};
}

}  // namespace travio::gateway
