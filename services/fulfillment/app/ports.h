#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "platform/events/event.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/fulfillment/domain/ticket.h"
#include "services/fulfillment/domain/ticket_page.h"
#include "services/order/api/order_client.h"

namespace travio::fulfillment {

/// The work of fulfilling one order: its tickets issued (or voided) and its PDF written, again
/// each time the order changes (a cancellation bumps `generation`). Claimed by one worker at a
/// time for a lease, retried with backoff after a failure.
struct Job {
  std::string order_id;
  std::string org_id;
  FulfillmentStatus status = FulfillmentStatus::kPending;
  int64_t generation = 1;  // changes asked for; the job is done when `done_generation` equals it
  int64_t done_generation = 0;
  int64_t notified_generation = 0;  // the traveller was told of this generation
  std::string reason;               // of the last change: confirmed, cancelled, trip_delayed
  int attempts = 0;                 // failures since the last success
  absl::Time next_attempt_at;
  std::string last_error;
  std::string pdf_key;  // the stored PDF of the valid tickets, empty when none
  // The last cancellation the job was asked to reflect (for the traveller's email).
  Money refund;
  std::string tier;
  int delay_minutes = 0;  // trip_delayed: the trip's delay
  absl::Time updated_at;
  // Which claim of the job this is (each claim counts one more). Every write a worker makes
  // names it, so a worker whose lease ran out, or whose generation a newer event overtook,
  // changes nothing: it cannot issue from an old view of the order or tell the traveller twice.
  int64_t claim = 0;
  // The trace of the event that asked for this generation: the worker's lines, calls and
  // events go on in it (empty for jobs kept before traces were).
  std::string trace_id;
};

/// What the store answers a worker whose claim or generation has moved on: stop, having
/// changed nothing; the job's current claim does the work.
inline constexpr char kSupersededMessage[] =
    "the job moved on: a newer generation or another worker's claim";
// kFailedPrecondition, not kAborted: a transaction refused this way must not be retried.
inline absl::Status Superseded() { return absl::FailedPreconditionError(kSupersededMessage); }
inline bool IsSuperseded(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         status.message() == kSupersededMessage;
}

/// Why an order's tickets must be (re)issued: the event's facts.
struct JobRequest {
  std::string reason;  // confirmed, cancelled, trip_delayed
  std::optional<Money> refund;
  std::string tier;
  int delay_minutes = 0;
  std::string trace_id;  // of the work asking
};

/// Fulfillment's durable state (SQL): jobs, tickets, the inbox of consumed events and the
/// outbox of published ones.
class TicketStore {
 public:
  virtual ~TicketStore() = default;

  /// Asks for `order_id` to be (re)fulfilled because of `event`, exactly once per event and
  /// consumer: a new job, or the next generation of the order's job. Returns false for an event
  /// already processed.
  virtual absl::StatusOr<bool> RequestFulfillment(const std::string& consumer,
                                                  const events::Event& event,
                                                  const std::string& order_id,
                                                  const std::string& org_id,
                                                  const JobRequest& request, absl::Time now) = 0;
  /// The next generation, with `request`, of every order holding a valid ticket of the trip
  /// (a delay: the PDFs show the new time), exactly once per event. Returns how many.
  virtual absl::StatusOr<int> RequestTripReissue(const std::string& consumer,
                                                 const events::Event& event,
                                                 const std::string& org_id,
                                                 const std::string& trip_id,
                                                 const JobRequest& request, absl::Time now) = 0;
  /// Claims up to `limit` jobs due at `now` (not done or not told, next attempt passed, not
  /// claimed by a live worker) until `now + lease`, one at a time, each as it is now: two workers
  /// never hold the same job, and a job is never claimed from an outdated read of it.
  virtual absl::StatusOr<std::vector<Job>> ClaimDue(absl::Time now, absl::Duration lease,
                                                    int limit) = 0;
  virtual absl::StatusOr<std::optional<Job>> FindJob(const std::string& order_id) = 0;

  /// Adds `issue` (a ticket for an order and seat that has one already is kept, not doubled)
  /// and voids the tickets `void_ids` at `at`, in one transaction, for the worker holding
  /// `job`'s claim on its generation. Superseded when the claim or the generation
  /// has moved on; kAlreadyExists `ticket_number_taken` when a new ticket's number is in use
  /// (draw again).
  virtual absl::Status SaveTickets(const Job& job, const std::vector<Ticket>& issue,
                                   const std::vector<std::string>& void_ids, absl::Time at) = 0;
  virtual absl::StatusOr<std::vector<Ticket>> TicketsOfOrder(const std::string& order_id) = 0;
  virtual absl::StatusOr<std::vector<Ticket>> TicketsOfTrip(const std::string& org_id,
                                                            const std::string& trip_id) = 0;
  virtual absl::StatusOr<std::optional<Ticket>> FindTicket(const std::string& ticket_id) = 0;

  /// Records `job`'s generation done with its PDF, and `event`, in one transaction; the worker
  /// keeps its claim to tell the traveller. When a newer generation was asked for meanwhile,
  /// the job stays due. Superseded when the claim has moved on or the generation is
  /// recorded already.
  virtual absl::Status FinishJob(const Job& job, const std::string& pdf_key,
                                 const events::Event& event, absl::Time now) = 0;
  /// Records that the traveller was told of `job`'s generation, and ends the claim.
  virtual absl::Status MarkNotified(const Job& job) = 0;
  /// Records a failed attempt of `job`'s generation (retried at `next_attempt_at`) and ends the
  /// claim. A newer generation asked for meanwhile is left as it is (due at once, attempts from
  /// zero); a claim that has moved on changes nothing.
  virtual absl::Status FailJob(const Job& job, int attempts, absl::Time next_attempt_at,
                               const std::string& error, absl::Time now) = 0;
  /// Ends `job`'s claim without recording anything (its generation was overtaken).
  virtual absl::Status ReleaseClaim(const Job& job) = 0;
  /// Extends `job`'s claim to `until` while its worker is still at it; Superseded when the
  /// claim has moved on (the lease ran out and another worker took the job).
  virtual absl::Status RenewClaim(const Job& job, absl::Time until) = 0;

  /// Boards the ticket at `at` by `by` when it is issued, publishing `boarded` in the same
  /// transaction. A ticket boarded already at a later time keeps `at` and `by` as its record
  /// (offline scans: the first scan is kept) but is not boarded again, and nothing is
  /// published. Returns the ticket after, and whether this call boarded it.
  virtual absl::StatusOr<std::pair<Ticket, bool>> Board(const std::string& ticket_id, absl::Time at,
                                                        const std::string& by,
                                                        const events::Event& boarded) = 0;
};

/// Where PDFs are kept: files under the data directory, or an S3 bucket.
class DocumentStorage {
 public:
  virtual ~DocumentStorage() = default;
  virtual std::string_view name() const = 0;
  /// Stores `bytes` under `key` (replacing what was there), whole or not at all.
  virtual absl::Status Put(const std::string& key, std::string_view bytes,
                           std::string_view content_type) = 0;
  /// kNotFound when nothing is stored under `key`.
  virtual absl::StatusOr<std::string> Get(const std::string& key) = 0;
  /// Removes `key`; removing what is not there succeeds.
  virtual absl::Status Delete(const std::string& key) = 0;
};

/// Draws ticket pages as one PDF.
class TicketRenderer {
 public:
  virtual ~TicketRenderer() = default;
  virtual absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                                const std::string& title) = 0;
};

/// Fulfillment's keys: the Ed25519 keys of ticket codes (the current one signs, every one
/// verifies) and the secret that signs PDF links.
class TicketKeys {
 public:
  virtual ~TicketKeys() = default;
  virtual const std::string& kid() const = 0;
  virtual const std::string& secret_key() const = 0;
  virtual std::vector<TicketKey> public_keys() const = 0;
  virtual const std::string& link_key() const = 0;
};

/// What a ticket needs from other services: the order (order service) and the trip as the
/// journey sees it (catalog, the operator's name from identity).
class BookingFacts {
 public:
  virtual ~BookingFacts() = default;
  virtual absl::StatusOr<order::OrderView> Order(const std::string& order_id) = 0;
  virtual absl::StatusOr<TripFacts> Trip(const std::string& org_id, const std::string& trip_id,
                                         const std::string& from, const std::string& to) = 0;
  /// Whether the trip is the organization's (boarding is per operator).
  virtual absl::StatusOr<bool> OwnsTrip(const std::string& org_id, const std::string& trip_id) = 0;
  /// The members (user ids) on the trip's crew: its assigned staff linked to a member.
  virtual absl::StatusOr<std::set<std::string>> CrewMembers(const std::string& org_id,
                                                            const std::string& trip_id) = 0;
};

}  // namespace travio::fulfillment
