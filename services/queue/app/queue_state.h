#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/enum_names.h"
#include "services/queue/domain/inlet.h"

namespace travio::queue {

enum class TicketStatus {
  kWaiting,   // in the pre-queue or the queue
  kAdmitted,  // may hold seats until its session ends
  kExpired,   // stopped polling before its turn
  kDone,      // its session ended (an order was placed, or its time ran out)
};

inline constexpr EnumName<TicketStatus> kTicketStatusNames[] = {
    {TicketStatus::kWaiting, "waiting"},
    {TicketStatus::kAdmitted, "admitted"},
    {TicketStatus::kExpired, "expired"},
    {TicketStatus::kDone, "done"}};

/// One caller's place in one room.
struct QueueTicket {
  std::string ticket;   // unguessable, the caller's handle
  std::string subject;  // who joined (an account or a guest)
  /// 1.. in the order of admission; 0 while in a pre-queue not drawn yet.
  int64_t position = 0;
  TicketStatus status = TicketStatus::kWaiting;
  absl::Time joined_at;
  /// When the caller last polled (kept in memory only: a restart counts as a poll).
  absl::Time last_seen;
  /// When an admitted caller's session ends.
  absl::Time session_ends_at;
  /// The draw of a pre-queue ticket (its order at the opening); 0 for later arrivals.
  uint64_t lottery = 0;
};

/// A room's counters; none ever moves backwards.
struct RoomCounters {
  bool opened = false;
  absl::Time opened_at;
  /// Tickets that joined before the opening (drawn into positions 1..pre_queue).
  int64_t pre_queue = 0;
  /// Positions handed out so far: after opening, the last position.
  int64_t issued = 0;
  /// The highest position the inlet has passed (admitted or found expired).
  int64_t serving = 0;
  /// Admitted sessions not yet ended.
  int64_t active = 0;
  int64_t admitted_total = 0;
  int64_t expired_total = 0;
  /// Waiting tickets (pre-queue included) not yet admitted or expired.
  int64_t waiting = 0;
  InletWindow window;
};

/// How the inlet admits, from the room's settings.
struct InletRules {
  int64_t admit_per_minute = 0;
  int64_t max_active = 0;
  /// A waiting caller silent for longer loses its place.
  absl::Duration position_ttl = absl::Minutes(2);
  /// How long an admitted caller may shop.
  absl::Duration session = absl::Minutes(10);
};

/// What one inlet tick did.
struct InletResult {
  int64_t admitted = 0;
  int64_t expired = 0;
  int64_t ended = 0;
};

/// The hot state of the waiting rooms: tickets, positions, the inlet's counters. Every call
/// is atomic per room, and every adapter keeps to one contract (storage/queue_state_contract):
/// positions are a permutation of 1..issued with no gaps or duplicates; a subject holds one
/// live ticket per room; after a restart of the process (the memory adapter replays its
/// journal; Redis keeps its own) no counter moves backwards and nobody loses their place.
/// Time is passed in, so every decision is made on the caller's (injected) clock.
class QueueState {
 public:
  virtual ~QueueState() = default;

  /// The subject's live ticket (waiting or admitted), or a new one named `new_ticket`: in the
  /// pre-queue with `lottery` as its draw when the room has not opened, else at the back. A
  /// waiting ticket silent for longer than `position_ttl` expires first (joining again does not
  /// revive a place its caller abandoned).
  virtual absl::StatusOr<QueueTicket> Join(const std::string& room_id, const std::string& subject,
                                           const std::string& new_ticket, uint64_t lottery,
                                           absl::Time now, absl::Duration position_ttl) = 0;
  /// The ticket, its caller seen at `now`; a waiting ticket silent for longer than
  /// `position_ttl` becomes expired first. nullopt for an unknown ticket.
  virtual absl::StatusOr<std::optional<QueueTicket>> Poll(const std::string& room_id,
                                                          const std::string& ticket, absl::Time now,
                                                          absl::Duration position_ttl) = 0;
  /// Draws the pre-queue: its tickets take positions 1..n in the order of their lottery
  /// (ties by ticket); later joins queue behind. A no-op once opened.
  virtual absl::Status Open(const std::string& room_id, absl::Time now) = 0;
  /// One tick of the inlet: ends sessions past their end, then admits waiting callers in
  /// position order, as many as AdmissionBudget allows, skipping (and expiring) those silent
  /// for longer than `rules.position_ttl`. Nothing before the room has opened. One call looks
  /// at no more than kMaxPassedOver tickets it does not admit (the next tick goes on), so a
  /// crowd of silent tickets cannot stall the store.
  static constexpr int64_t kMaxPassedOver = 1000;
  virtual absl::StatusOr<InletResult> Advance(const std::string& room_id, absl::Time now,
                                              const InletRules& rules) = 0;
  /// Ends the subject's session (it placed an order): its capacity goes to the next caller.
  /// False when the subject had no admitted ticket.
  virtual absl::StatusOr<bool> EndSession(const std::string& room_id,
                                          const std::string& subject) = 0;
  virtual absl::StatusOr<RoomCounters> Counters(const std::string& room_id) = 0;
  /// Forgets the room's tickets and counters (a deleted room).
  virtual absl::Status Drop(const std::string& room_id) = 0;
};

}  // namespace travio::queue
