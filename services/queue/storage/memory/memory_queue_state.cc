#include "services/queue/storage/memory/memory_queue_state.h"

#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/status_macros.h"
#include "services/queue/storage/queue_rows.h"

namespace travio::queue {
namespace {

struct RoomData {
  RoomCounters counters;
  std::unordered_map<std::string, QueueTicket> tickets;
  // Waiting or admitted: the one live ticket of each subject.
  std::unordered_map<std::string, std::string> live_by_subject;
  // Before the opening: (lottery, ticket), in the order of the draw.
  std::set<std::pair<uint64_t, std::string>> pre_queue;
  // position - 1 -> ticket.
  std::vector<std::string> by_position;
  std::multimap<absl::Time, std::string> sessions;
};

// What an operation decided: the tickets it changes (whole) and the room's new counters.
// Decided first, journaled second, applied last, so memory never holds what the journal lacks.
struct Plan {
  std::vector<QueueTicket> tickets;
  RoomCounters counters;

  // A waiting ticket whose caller fell silent loses its place.
  void Expire(QueueTicket ticket) {
    ticket.status = TicketStatus::kExpired;
    ++counters.expired_total;
    --counters.waiting;
    tickets.push_back(std::move(ticket));
  }
};

bool Live(const QueueTicket& ticket) {
  return ticket.status == TicketStatus::kWaiting || ticket.status == TicketStatus::kAdmitted;
}

class MemoryQueueState final : public QueueState {
 public:
  explicit MemoryQueueState(db::Database* journal) : journal_(journal) {}

  absl::Status Load(absl::Time now) {
    if (journal_ == nullptr) return absl::OkStatus();
    TRAVIO_ASSIGN_OR_RETURN(auto rooms, LoadJournal(*journal_));
    absl::MutexLock lock(&mu_);
    for (auto& [room_id, journaled] : rooms) {
      RoomData& room = rooms_[room_id];
      for (QueueTicket& ticket : journaled.tickets) {
        ticket.last_seen = now;  // a restart is not the callers' silence
        Index(room, ticket);
        room.tickets[ticket.ticket] = std::move(ticket);
      }
      room.counters = journaled.counters;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<QueueTicket> Join(const std::string& room_id, const std::string& subject,
                                   const std::string& new_ticket, uint64_t lottery, absl::Time now,
                                   absl::Duration position_ttl) override {
    absl::MutexLock lock(&mu_);
    RoomData& room = rooms_[room_id];
    Plan plan{.tickets = {}, .counters = room.counters};
    if (auto live = room.live_by_subject.find(subject); live != room.live_by_subject.end()) {
      QueueTicket& ticket = room.tickets.at(live->second);
      if (ticket.status != TicketStatus::kWaiting || now - ticket.last_seen <= position_ttl) {
        ticket.last_seen = now;
        return ticket;
      }
      plan.Expire(ticket);
    }
    QueueTicket ticket{.ticket = new_ticket,
                       .subject = subject,
                       .position = 0,
                       .status = TicketStatus::kWaiting,
                       .joined_at = now,
                       .last_seen = now,
                       .session_ends_at = absl::UnixEpoch(),
                       .lottery = 0};
    if (plan.counters.opened) {
      ticket.position = ++plan.counters.issued;
    } else {
      ticket.lottery = lottery;
      ++plan.counters.pre_queue;
    }
    ++plan.counters.waiting;
    plan.tickets.push_back(ticket);
    TRAVIO_RETURN_IF_ERROR(Commit(room_id, room, plan));
    return ticket;
  }

  absl::StatusOr<std::optional<QueueTicket>> Poll(const std::string& room_id,
                                                  const std::string& ticket_id, absl::Time now,
                                                  absl::Duration position_ttl) override {
    absl::MutexLock lock(&mu_);
    auto found_room = rooms_.find(room_id);
    if (found_room == rooms_.end()) return std::nullopt;
    RoomData& room = found_room->second;
    auto found = room.tickets.find(ticket_id);
    if (found == room.tickets.end()) return std::nullopt;
    QueueTicket& ticket = found->second;
    if (ticket.status == TicketStatus::kWaiting && now - ticket.last_seen > position_ttl) {
      Plan plan{.tickets = {}, .counters = room.counters};
      plan.Expire(ticket);
      TRAVIO_RETURN_IF_ERROR(Commit(room_id, room, plan));
      return room.tickets.at(ticket_id);
    }
    ticket.last_seen = now;
    return ticket;
  }

  absl::Status Open(const std::string& room_id, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    RoomData& room = rooms_[room_id];
    if (room.counters.opened) return absl::OkStatus();
    Plan plan{.tickets = {}, .counters = room.counters};
    for (const auto& [lottery, ticket_id] : room.pre_queue) {
      QueueTicket ticket = room.tickets.at(ticket_id);
      ticket.position = ++plan.counters.issued;
      plan.tickets.push_back(std::move(ticket));
    }
    plan.counters.opened = true;
    plan.counters.opened_at = now;
    plan.counters.window = InletWindow{};
    return Commit(room_id, room, plan);
  }

  absl::StatusOr<InletResult> Advance(const std::string& room_id, absl::Time now,
                                      const InletRules& rules) override {
    absl::MutexLock lock(&mu_);
    RoomData& room = rooms_[room_id];
    InletResult result;
    if (!room.counters.opened) return result;
    Plan plan{.tickets = {}, .counters = room.counters};
    RoomCounters& counters = plan.counters;
    for (auto it = room.sessions.begin(); it != room.sessions.end() && it->first <= now; ++it) {
      QueueTicket ticket = room.tickets.at(it->second);
      ticket.status = TicketStatus::kDone;
      plan.tickets.push_back(std::move(ticket));
      --counters.active;
      ++result.ended;
    }
    int64_t budget = AdmissionBudget(counters.opened_at, now, rules.admit_per_minute,
                                     rules.max_active, counters.active, counters.window);
    int64_t passed_over = 0;
    while (budget > 0 && counters.serving < counters.issued && passed_over < kMaxPassedOver) {
      const int64_t position = ++counters.serving;
      QueueTicket ticket = room.tickets.at(room.by_position.at(static_cast<size_t>(position - 1)));
      if (ticket.status != TicketStatus::kWaiting) {
        ++passed_over;
        continue;
      }
      if (now - ticket.last_seen > rules.position_ttl) {
        plan.Expire(std::move(ticket));
        ++result.expired;
        ++passed_over;
        continue;
      }
      ticket.status = TicketStatus::kAdmitted;
      ticket.session_ends_at = now + rules.session;
      --counters.waiting;
      ++counters.active;
      ++counters.admitted_total;
      ++counters.window.admitted;
      ++result.admitted;
      --budget;
      plan.tickets.push_back(std::move(ticket));
    }
    if (plan.tickets.empty() && counters.window.minute == room.counters.window.minute &&
        counters.serving == room.counters.serving) {
      return result;  // nothing changed
    }
    TRAVIO_RETURN_IF_ERROR(Commit(room_id, room, plan));
    return result;
  }

  absl::StatusOr<bool> EndSession(const std::string& room_id, const std::string& subject) override {
    absl::MutexLock lock(&mu_);
    RoomData& room = rooms_[room_id];
    auto live = room.live_by_subject.find(subject);
    if (live == room.live_by_subject.end()) return false;
    QueueTicket ticket = room.tickets.at(live->second);
    if (ticket.status != TicketStatus::kAdmitted) return false;
    ticket.status = TicketStatus::kDone;
    Plan plan{.tickets = {std::move(ticket)}, .counters = room.counters};
    --plan.counters.active;
    TRAVIO_RETURN_IF_ERROR(Commit(room_id, room, plan));
    return true;
  }

  absl::StatusOr<RoomCounters> Counters(const std::string& room_id) override {
    absl::MutexLock lock(&mu_);
    auto found = rooms_.find(room_id);
    if (found == rooms_.end()) return RoomCounters{};
    return found->second.counters;
  }

  absl::Status Drop(const std::string& room_id) override {
    absl::MutexLock lock(&mu_);
    if (journal_ != nullptr) TRAVIO_RETURN_IF_ERROR(ForgetRoom(*journal_, room_id));
    rooms_.erase(room_id);
    return absl::OkStatus();
  }

 private:
  absl::Status Commit(const std::string& room_id, RoomData& room, const Plan& plan)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (journal_ != nullptr) {
      TRAVIO_RETURN_IF_ERROR(WriteJournal(*journal_, room_id, plan.tickets, plan.counters));
    }
    for (const QueueTicket& ticket : plan.tickets) {
      auto old = room.tickets.find(ticket.ticket);
      if (old != room.tickets.end()) Unindex(room, old->second);
      Index(room, ticket);
      room.tickets[ticket.ticket] = ticket;
    }
    room.counters = plan.counters;
    return absl::OkStatus();
  }

  static void Index(RoomData& room, const QueueTicket& ticket) {
    if (ticket.position > 0) {
      const auto index = static_cast<size_t>(ticket.position - 1);
      if (room.by_position.size() <= index) room.by_position.resize(index + 1);
      room.by_position[index] = ticket.ticket;
    } else if (ticket.status == TicketStatus::kWaiting) {
      room.pre_queue.emplace(ticket.lottery, ticket.ticket);
    }
    if (Live(ticket)) room.live_by_subject[ticket.subject] = ticket.ticket;
    if (ticket.status == TicketStatus::kAdmitted) {
      room.sessions.emplace(ticket.session_ends_at, ticket.ticket);
    }
  }

  static void Unindex(RoomData& room, const QueueTicket& ticket) {
    room.pre_queue.erase({ticket.lottery, ticket.ticket});
    if (auto live = room.live_by_subject.find(ticket.subject);
        live != room.live_by_subject.end() && live->second == ticket.ticket) {
      room.live_by_subject.erase(live);
    }
    if (ticket.status == TicketStatus::kAdmitted) {
      auto [first, last] = room.sessions.equal_range(ticket.session_ends_at);
      for (auto it = first; it != last; ++it) {
        if (it->second == ticket.ticket) {
          room.sessions.erase(it);
          break;
        }
      }
    }
  }

  db::Database* journal_;
  absl::Mutex mu_;
  std::unordered_map<std::string, RoomData> rooms_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<QueueState>> OpenMemoryQueueState(db::Database* journal,
                                                                 absl::Time now) {
  auto state = std::make_unique<MemoryQueueState>(journal);
  TRAVIO_RETURN_IF_ERROR(state->Load(now));
  return state;
}

}  // namespace travio::queue
