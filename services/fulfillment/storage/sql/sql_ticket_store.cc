#include "services/fulfillment/storage/sql/sql_ticket_store.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::fulfillment {
namespace {

constexpr char kJobColumns[] =
    "order_id, org_id, status, generation, done_generation, attempts, next_attempt_at, "
    "last_error, pdf_key, refund_amount, refund_currency, tier, updated_at, notified_generation, "
    "reason, delay_minutes, trace_id";
// Its position in a SELECT of kJobColumns, claim.
constexpr size_t kClaimColumn = 17;
// The next attempt of a job with nothing left to do.
constexpr int64_t kParked = std::numeric_limits<int64_t>::max();
// Due: not done or not told, its next attempt passed, no live claim.
constexpr char kDue[] =
    "(done_generation < generation OR notified_generation < done_generation) "
    "AND next_attempt_at <= $1 AND claimed_until <= $1";
constexpr char kTicketColumns[] =
    "id, number, order_id, org_id, trip_id, buyer, seat, deck, passenger, from_station, "
    "to_station, departure, fare_amount, fare_currency, status, qr, issued_at, boarded_at, "
    "boarded_by, voided_at";

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }
std::optional<absl::Time> OptionalTime(const db::Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return FromMicros(row.Int(column));
}
db::Value OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time) return db::Value{};
  return Micros(*time);
}

Job JobOf(const db::Row& row) {
  Job job;
  job.order_id = row.Text(0);
  job.org_id = row.Text(1);
  job.status =
      ParseName(kFulfillmentStatusNames, row.Text(2)).value_or(FulfillmentStatus::kPending);
  job.generation = row.Int(3);
  job.done_generation = row.Int(4);
  job.attempts = static_cast<int>(row.Int(5));
  job.next_attempt_at = FromMicros(row.Int(6));
  job.last_error = row.Text(7);
  job.pdf_key = row.Text(8);
  job.refund = {row.Int(9), row.Text(10)};
  job.tier = row.Text(11);
  job.updated_at = FromMicros(row.Int(12));
  job.notified_generation = row.Int(13);
  job.reason = row.Text(14);
  job.delay_minutes = static_cast<int>(row.Int(15));
  job.trace_id = row.Text(16);
  return job;
}

Ticket TicketOf(const db::Row& row) {
  Ticket ticket;
  ticket.id = row.Text(0);
  ticket.number = row.Text(1);
  ticket.order_id = row.Text(2);
  ticket.org_id = row.Text(3);
  ticket.trip_id = row.Text(4);
  ticket.buyer = row.Text(5);
  ticket.seat = row.Text(6);
  ticket.deck = row.Text(7);
  ticket.passenger = row.Text(8);
  ticket.from = row.Text(9);
  ticket.to = row.Text(10);
  ticket.departure = FromMicros(row.Int(11));
  ticket.fare = {row.Int(12), row.Text(13)};
  ticket.status = ParseName(kTicketStatusNames, row.Text(14)).value_or(TicketStatus::kVoid);
  ticket.qr = row.Text(15);
  ticket.issued_at = FromMicros(row.Int(16));
  ticket.boarded_at = OptionalTime(row, 17);
  ticket.boarded_by = row.Text(18);
  ticket.voided_at = OptionalTime(row, 19);
  return ticket;
}

class SqlTicketStore final : public TicketStore {
 public:
  SqlTicketStore(db::Database& database, events::Inbox& inbox, events::Outbox& outbox)
      : database_(database), inbox_(inbox), outbox_(outbox) {}

  absl::StatusOr<bool> RequestFulfillment(const std::string& consumer, const events::Event& event,
                                          const std::string& order_id, const std::string& org_id,
                                          const JobRequest& request, absl::Time now) override {
    return inbox_.Process(consumer, event, [&](db::Transaction& tx) {
      return Request(tx, order_id, org_id, request, now);
    });
  }

  absl::StatusOr<int> RequestTripReissue(const std::string& consumer, const events::Event& event,
                                         const std::string& org_id, const std::string& trip_id,
                                         const JobRequest& request, absl::Time now) override {
    int orders = 0;
    TRAVIO_RETURN_IF_ERROR(
        inbox_
            .Process(
                consumer, event,
                [&](db::Transaction& tx) -> absl::Status {
                  TRAVIO_ASSIGN_OR_RETURN(
                      db::Result affected,
                      tx.Execute(
                          "SELECT DISTINCT order_id FROM fulfillment_tickets WHERE trip_id = $1 "
                          "AND org_id = $2 AND status <> 'void' ORDER BY order_id",
                          {trip_id, org_id}));
                  for (const db::Row& row : affected.rows) {
                    TRAVIO_RETURN_IF_ERROR(Request(tx, row.Text(0), org_id, request, now));
                    ++orders;
                  }
                  return absl::OkStatus();
                })
            .status());
    return orders;
  }

  absl::StatusOr<std::vector<Job>> ClaimDue(absl::Time now, absl::Duration lease,
                                            int limit) override {
    std::vector<Job> claimed;
    while (static_cast<int>(claimed.size()) < limit) {
      // One statement: the job is claimed as it is now. Two workers choosing the same job both
      // try; the second's update finds it no longer due (PostgreSQL re-checks the row it waited
      // for; SQLite runs one writer at a time) and claims nothing this time.
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result taken,
          database_.Execute(
              absl::StrCat("UPDATE fulfillment_jobs SET claimed_until = $2, claim = claim + 1 "
                           "WHERE order_id = (SELECT order_id FROM fulfillment_jobs WHERE ",
                           kDue, " ORDER BY next_attempt_at LIMIT 1) AND ", kDue, " RETURNING ",
                           kJobColumns, ", claim"),
              {Micros(now), Micros(now + lease)}));
      if (taken.rows.empty()) break;
      Job job = JobOf(taken.rows.front());
      job.claim = taken.rows.front().Int(kClaimColumn);
      claimed.push_back(std::move(job));
    }
    return claimed;
  }

  absl::StatusOr<std::optional<Job>> FindJob(const std::string& order_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(
            absl::StrCat("SELECT ", kJobColumns, " FROM fulfillment_jobs WHERE order_id = $1"),
            {order_id}));
    if (result.rows.empty()) return std::nullopt;
    return JobOf(result.rows.front());
  }

  absl::Status SaveTickets(const Job& job, const std::vector<Ticket>& issue,
                           const std::vector<std::string>& void_ids, absl::Time at) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      // First, and locking the job's row: only the current claim of the current generation
      // writes tickets (a worker that read the order before it changed issues nothing).
      TRAVIO_ASSIGN_OR_RETURN(db::Result holder,
                              tx.Execute("UPDATE fulfillment_jobs SET updated_at = $4 "
                                         "WHERE order_id = $1 AND generation = $2 AND claim = $3",
                                         {job.order_id, job.generation, job.claim, Micros(at)}));
      if (holder.affected_rows != 1) return Superseded();
      for (const Ticket& t : issue) {
        // A seat of an order has one ticket: a racing worker's ticket is kept, not doubled.
        TRAVIO_ASSIGN_OR_RETURN(
            db::Result seat_taken,
            tx.Execute("SELECT id FROM fulfillment_tickets WHERE order_id = $1 AND seat = $2",
                       {t.order_id, t.seat}));
        if (!seat_taken.rows.empty()) continue;
        absl::StatusOr<db::Result> inserted = tx.Execute(
            absl::StrCat("INSERT INTO fulfillment_tickets (", kTicketColumns,
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                         "$15, $16, $17, $18, $19, $20)"),
            {t.id,
             t.number,
             t.order_id,
             t.org_id,
             t.trip_id,
             t.buyer,
             t.seat,
             t.deck,
             t.passenger,
             t.from,
             t.to,
             Micros(t.departure),
             t.fare.amount,
             t.fare.currency,
             std::string(StatusName(t.status)),
             t.qr,
             Micros(t.issued_at),
             OptionalMicros(t.boarded_at),
             t.boarded_by,
             OptionalMicros(t.voided_at)});
        TRAVIO_RETURN_IF_ERROR(inserted.status());
      }
      for (const std::string& id : void_ids) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("UPDATE fulfillment_tickets SET status = 'void', voided_at = $2 "
                       "WHERE id = $1 AND status <> 'void'",
                       {id, Micros(at)})
                .status());
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Ticket>> TicketsOfOrder(const std::string& order_id) override {
    return Tickets("WHERE order_id = $1 ORDER BY seat", {order_id});
  }

  absl::StatusOr<std::vector<Ticket>> TicketsOfTrip(const std::string& org_id,
                                                    const std::string& trip_id) override {
    return Tickets("WHERE trip_id = $1 AND org_id = $2 ORDER BY seat, issued_at",
                   {trip_id, org_id});
  }

  absl::StatusOr<std::optional<Ticket>> FindTicket(const std::string& ticket_id) override {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<Ticket> found, Tickets("WHERE id = $1", {ticket_id}));
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  absl::Status FinishJob(const Job& job, const std::string& pdf_key, const events::Event& event,
                         absl::Time now) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result updated,
          tx.Execute(
              "UPDATE fulfillment_jobs SET done_generation = $2, pdf_key = $3, "
              "attempts = 0, last_error = '', updated_at = $4, "
              "status = CASE WHEN generation = $2 THEN 'issued' ELSE 'pending' END, "
              "org_id = $5 WHERE order_id = $1 AND done_generation < $2 AND claim = $6",
              {job.order_id, job.generation, pdf_key, Micros(now), event.org_id, job.claim}));
      if (updated.affected_rows == 0) return Superseded();
      return outbox_.Append(tx, event);
    });
  }

  absl::Status MarkNotified(const Job& job) override {
    return database_
        .Execute(
            // A job told of its latest generation is parked (next attempt never), so claims
            // look only at jobs with work left, however many orders were fulfilled before.
            "UPDATE fulfillment_jobs SET notified_generation = CASE WHEN notified_generation < "
            "$2 THEN $2 ELSE notified_generation END, claimed_until = 0, "
            "next_attempt_at = CASE WHEN generation = $2 AND done_generation = $2 THEN $4 "
            "ELSE next_attempt_at END WHERE order_id = $1 AND claim = $3",
            {job.order_id, job.generation, job.claim, kParked})
        .status();
  }

  absl::Status FailJob(const Job& job, int attempts, absl::Time next_attempt_at,
                       const std::string& error, absl::Time now) override {
    // The failure is the generation's: a newer one asked for meanwhile stays due at once.
    return database_
        .Execute(
            "UPDATE fulfillment_jobs SET "
            "attempts = CASE WHEN generation = $6 THEN $2 ELSE attempts END, "
            "next_attempt_at = CASE WHEN generation = $6 THEN $3 ELSE next_attempt_at END, "
            "last_error = CASE WHEN generation = $6 THEN $4 ELSE last_error END, "
            "status = CASE WHEN generation = $6 THEN 'failed' ELSE status END, "
            "claimed_until = 0, updated_at = $5 WHERE order_id = $1 AND claim = $7",
            {job.order_id, int64_t{attempts}, Micros(next_attempt_at), error, Micros(now),
             job.generation, job.claim})
        .status();
  }

  absl::Status RenewClaim(const Job& job, absl::Time until) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result renewed,
        database_.Execute(
            "UPDATE fulfillment_jobs SET claimed_until = $3 WHERE order_id = $1 AND claim = $2",
            {job.order_id, job.claim, Micros(until)}));
    if (renewed.affected_rows != 1) return Superseded();
    return absl::OkStatus();
  }

  absl::Status ReleaseClaim(const Job& job) override {
    return database_
        .Execute("UPDATE fulfillment_jobs SET claimed_until = 0 WHERE order_id = $1 AND claim = $2",
                 {job.order_id, job.claim})
        .status();
  }

  absl::StatusOr<std::pair<Ticket, bool>> Board(const std::string& ticket_id, absl::Time at,
                                                const std::string& by,
                                                const events::Event& boarded_event) override {
    bool boarded = false;
    std::optional<Ticket> after;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result updated,
          tx.Execute("UPDATE fulfillment_tickets SET status = 'boarded', boarded_at = $2, "
                     "boarded_by = $3 WHERE id = $1 AND status = 'issued'",
                     {ticket_id, Micros(at), by}));
      boarded = updated.affected_rows == 1;
      if (boarded) TRAVIO_RETURN_IF_ERROR(outbox_.Append(tx, boarded_event));
      if (!boarded) {
        // Boarded already: an earlier scan synced late becomes the record (the first scan is
        // the one kept), but it boards no one.
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("UPDATE fulfillment_tickets SET boarded_at = $2, boarded_by = $3 "
                       "WHERE id = $1 AND status = 'boarded' AND boarded_at > $2",
                       {ticket_id, Micros(at), by})
                .status());
      }
      TRAVIO_ASSIGN_OR_RETURN(db::Result row,
                              tx.Execute(absl::StrCat("SELECT ", kTicketColumns,
                                                      " FROM fulfillment_tickets WHERE id = $1"),
                                         {ticket_id}));
      if (row.rows.empty()) return TicketNotFoundError();
      after = TicketOf(row.rows.front());
      return absl::OkStatus();
    }));
    return std::make_pair(*std::move(after), boarded);
  }

 private:
  // A new job, or the next generation of the order's job, in `tx`. The job is the order's
  // whatever operator the event names: fulfilling reads the order itself, and records its
  // operator (FinishJob), so an event naming the wrong one neither blocks nor misfiles it.
  static absl::Status Request(db::Transaction& tx, const std::string& order_id,
                              const std::string& org_id, const JobRequest& request,
                              absl::Time now) {
    const int64_t refund_amount = request.refund ? request.refund->amount : 0;
    const std::string refund_currency = request.refund ? request.refund->currency : "";
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result updated,
        // A worker holding the job keeps it: its writes of the older generation are refused
        // (Superseded) and it lets go, or its lease runs out; then the newer one is due at once.
        tx.Execute("UPDATE fulfillment_jobs SET generation = generation + 1, status = 'pending', "
                   "next_attempt_at = $2, refund_amount = $3, "
                   "refund_currency = $4, tier = $5, reason = $6, delay_minutes = $7, "
                   "attempts = 0, updated_at = $2, trace_id = $8 WHERE order_id = $1",
                   {order_id, Micros(now), refund_amount, refund_currency, request.tier,
                    request.reason, int64_t{request.delay_minutes}, request.trace_id}));
    if (updated.affected_rows > 0) return absl::OkStatus();
    const absl::Status inserted =
        tx.Execute(absl::StrCat("INSERT INTO fulfillment_jobs (", kJobColumns,
                                ", claimed_until) VALUES ($1, $2, 'pending', 1, 0, 0, $3, '', '', "
                                "$4, $5, $6, $3, 0, $7, $8, $9, 0)"),
                   {order_id, org_id, Micros(now), refund_amount, refund_currency, request.tier,
                    request.reason, int64_t{request.delay_minutes}, request.trace_id})
            .status();
    return inserted;
  }

  static absl::Status TicketNotFoundError() {
    return Error(reasons::kTicketNotFound, "No such ticket.");
  }

  absl::StatusOr<std::vector<Ticket>> Tickets(const std::string& where,
                                              std::initializer_list<db::Value> params) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(
            absl::StrCat("SELECT ", kTicketColumns, " FROM fulfillment_tickets ", where), params));
    std::vector<Ticket> tickets;
    tickets.reserve(result.rows.size());
    for (const db::Row& row : result.rows) tickets.push_back(TicketOf(row));
    return tickets;
  }

  db::Database& database_;
  events::Inbox& inbox_;
  events::Outbox& outbox_;
};

}  // namespace

std::vector<db::Migration> FulfillmentMigrations() {
  return {{1, "fulfillment jobs and tickets", R"sql(
CREATE TABLE fulfillment_jobs (
  order_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  status TEXT NOT NULL,
  generation BIGINT NOT NULL,
  done_generation BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  pdf_key TEXT NOT NULL,
  refund_amount BIGINT NOT NULL,
  refund_currency TEXT NOT NULL,
  tier TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  notified_generation BIGINT NOT NULL,
  reason TEXT NOT NULL,
  delay_minutes BIGINT NOT NULL
);
CREATE INDEX fulfillment_jobs_due ON fulfillment_jobs (next_attempt_at);
CREATE TABLE fulfillment_tickets (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  order_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  buyer TEXT NOT NULL,
  seat TEXT NOT NULL,
  deck TEXT NOT NULL,
  passenger TEXT NOT NULL,
  from_station TEXT NOT NULL,
  to_station TEXT NOT NULL,
  departure BIGINT NOT NULL,
  fare_amount BIGINT NOT NULL,
  fare_currency TEXT NOT NULL,
  status TEXT NOT NULL,
  qr TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  boarded_at BIGINT,
  boarded_by TEXT NOT NULL,
  voided_at BIGINT,
  UNIQUE (order_id, seat)
);
CREATE INDEX fulfillment_tickets_by_trip ON fulfillment_tickets (trip_id, org_id);
)sql"},
          {2, "fulfillment job claims are counted", R"sql(
ALTER TABLE fulfillment_jobs ADD COLUMN claim BIGINT NOT NULL DEFAULT 0;
)sql"},
          {3, "a job goes on in the trace that asked for it", R"sql(
ALTER TABLE fulfillment_jobs ADD COLUMN trace_id TEXT NOT NULL DEFAULT '';
)sql"}};
}

std::unique_ptr<TicketStore> MakeSqlTicketStore(db::Database& database, events::Inbox& inbox,
                                                events::Outbox& outbox) {
  return std::make_unique<SqlTicketStore>(database, inbox, outbox);
}

}  // namespace travio::fulfillment
