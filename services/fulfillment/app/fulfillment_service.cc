#include "services/fulfillment/app/fulfillment_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "platform/trace/trace_context.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/fulfillment/api/ticket_token.h"

namespace travio::fulfillment {
namespace {

// A ticket code stays valid this long after the scheduled departure: late boarding, and delays of
// up to a day (catalog's limit).
constexpr absl::Duration kCodeValidAfterDeparture = absl::Hours(48);
// Offline devices' clocks drift; a scan a little ahead of ours is believed (and recorded at our
// time).
constexpr absl::Duration kClockSkew = absl::Minutes(5);
constexpr int kNumberDraws = 5;
// The next attempt of a job that gave up: far enough to be never, near enough for any column.
const absl::Time kNever = absl::FromUnixSeconds(int64_t{1} << 40);
constexpr size_t kMaxScansPerCall = 1000;

bool Valid(const Ticket& ticket) { return ticket.status != TicketStatus::kVoid; }

absl::Status TicketNotFound() { return Error(reasons::kTicketNotFound, "No such ticket."); }
absl::Status NotOnCrew() {
  return Error(reasons::kNotOnCrew,
               "Conductors board passengers of the trips they are assigned to; ask a manager to "
               "assign you to this one.");
}

// The contact phone when it is E.164 (+ and digits): orders also accept local numbers, which a
// text message provider cannot route; those travellers get the email alone.
std::string InternationalPhone(const std::string& phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+') return "";
  for (size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') return "";
  }
  return phone;
}

// Where a ticket's own PDF is kept, for a generation of its order.
std::string TicketPdfKey(const Ticket& ticket, int64_t generation) {
  return absl::StrCat("orders/", ticket.org_id, "/", ticket.order_id, "/ticket-", ticket.id, "-",
                      generation, ".pdf");
}

std::string Truncated(std::string text, size_t limit) {
  if (text.size() > limit) text.resize(limit);
  return text;
}

}  // namespace

FulfillmentService::FulfillmentService(Ports ports, FulfillmentSettings settings)
    : ports_(std::move(ports)), settings_(std::move(settings)) {
  if (ports_.metrics != nullptr) {
    attempts_ = &ports_.metrics->AddCounter(
        "travio_fulfillment_attempts_total",
        "Attempts to issue an order's tickets and PDF, by outcome (ok, failed, superseded).",
        {"outcome"});
    tickets_ = &ports_.metrics->AddCounter("travio_fulfillment_tickets_total",
                                           "Tickets issued and voided.", {"change"});
    scans_ = &ports_.metrics->AddCounter("travio_boarding_scans_total",
                                         "Boarding scans by outcome.", {"outcome"});
    render_seconds_ = &ports_.metrics->AddHistogram("travio_fulfillment_render_seconds",
                                                    "Time to render an order's ticket PDF.", {});
  }
}

absl::Status FulfillmentService::OnOrderConfirmed(const events::Event& event,
                                                  const std::string& order_id) {
  return ports_.store
      .RequestFulfillment("fulfillment.orders", event, order_id, event.org_id,
                          {.reason = "confirmed", .trace_id = trace::CurrentTraceId()},
                          ports_.clock.Now())
      .status();
}

absl::Status FulfillmentService::OnOrderCancelled(const events::Event& event,
                                                  const std::string& order_id, const Money& refund,
                                                  const std::string& tier) {
  return ports_.store
      .RequestFulfillment("fulfillment.orders", event, order_id, event.org_id,
                          {.reason = "cancelled",
                           .refund = refund,
                           .tier = tier,
                           .trace_id = trace::CurrentTraceId()},
                          ports_.clock.Now())
      .status();
}

absl::Status FulfillmentService::OnOrderReviewed(const events::Event& event,
                                                 const std::string& order_id,
                                                 const std::string& verdict) {
  if (verdict != "rejected" && verdict != "expired") return absl::OkStatus();
  TRAVIO_ASSIGN_OR_RETURN(order::OrderView order, ports_.facts.Order(order_id));
  if (order.org_id != event.org_id) {
    ports_.logger.Error("a review event naming another operator's order was dropped",
                        {{"event_id", event.id}, {"order_id", order_id}});
    return absl::OkStatus();
  }
  TRAVIO_ASSIGN_OR_RETURN(TripFacts trip,
                          ports_.facts.Trip(order.org_id, order.trip_id, order.from, order.to));
  // The booking's facts without tickets: none were issued.
  OrderTicketsChanged facts;
  facts.order_id = order.id;
  facts.org_id = order.org_id;
  facts.email = order.contact.email;
  facts.phone = order.contact.phone;
  facts.locale = order.contact.locale;
  facts.operator_name = trip.operator_name;
  facts.from_code = trip.from_code;
  facts.from_name = trip.from_name;
  facts.to_code = trip.to_code;
  facts.to_name = trip.to_name;
  facts.timezone = trip.from_timezone;
  facts.departure = trip.departure;
  facts.total = order.total;
  // By email only: anyone may type any phone number into an order, and a text message costs the
  // operator money for an order that was never paid.
  const notification::Notice notice{.key = absl::StrCat("order-not-accepted/", order.id),
                                    .kind = "order_not_accepted",
                                    .locale = order.contact.locale,
                                    .email = order.contact.email,
                                    .phone = "",
                                    .data = EncodeOrderTicketsChanged(facts),
                                    .attachments = {},
                                    .org_id = order.org_id};
  return SendNotice(notice, order.id);
}

absl::Status FulfillmentService::OnTripDelayed(const events::Event& event,
                                               const std::string& org_id,
                                               const std::string& trip_id, int delay_minutes) {
  return ports_.store
      .RequestTripReissue("fulfillment.trips", event, org_id, trip_id,
                          {.reason = "trip_delayed",
                           .delay_minutes = delay_minutes,
                           .trace_id = trace::CurrentTraceId()},
                          ports_.clock.Now())
      .status();
}

absl::StatusOr<int> FulfillmentService::FulfillDue(int limit) {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Job> jobs,
                          ports_.store.ClaimDue(now, settings_.lease, limit));
  int done = 0;
  for (const Job& job : jobs) {
    const trace::ResumeScope in_its_trace(job.trace_id);
    const absl::Status fulfilled = Fulfill(job);
    if (fulfilled.ok()) {
      ++done;
      if (attempts_ != nullptr) attempts_->WithLabels({"ok"}).Increment();
      continue;
    }
    if (IsSuperseded(fulfilled)) {
      // A newer event overtook this generation (or the lease ran out and another worker has
      // the job): nothing was written; the job's next claim works from the order as it is now.
      if (attempts_ != nullptr) attempts_->WithLabels({"superseded"}).Increment();
      ports_.logger.Info(
          "an order's newer change overtook the work on it",
          {{"order_id", job.order_id}, {"generation", std::to_string(job.generation)}});
      TRAVIO_RETURN_IF_ERROR(ports_.store.ReleaseClaim(job));
      continue;
    }
    // Retried with exponential backoff; the order shows `failed` meanwhile. A payment is never
    // undone for this: the seats are the traveller's whatever happens to the PDF.
    const int attempts = job.attempts + 1;
    const absl::Duration wait =
        std::min(settings_.max_backoff, absl::Seconds(1) * (int64_t{1} << std::min(attempts, 20)));
    if (attempts_ != nullptr) attempts_->WithLabels({"failed"}).Increment();
    if (attempts >= settings_.max_attempts) {
      // Past all reason (an order that is not paid, a forged event): no more attempts until
      // a person looks or the order changes again. The order shows `failed`.
      ports_.logger.Error("issuing an order's tickets failed for good; it waits for a person",
                          {{"order_id", job.order_id},
                           {"attempt", std::to_string(attempts)},
                           {"error", fulfilled.ToString()}});
      TRAVIO_RETURN_IF_ERROR(
          ports_.store.FailJob(job, attempts, kNever, Truncated(fulfilled.ToString(), 500), now));
      continue;
    }
    ports_.logger.Warn("issuing an order's tickets failed; it is retried",
                       {{"order_id", job.order_id},
                        {"attempt", std::to_string(attempts)},
                        {"retry_in_s", std::to_string(absl::ToInt64Seconds(wait))},
                        {"error", fulfilled.ToString()}});
    TRAVIO_RETURN_IF_ERROR(
        ports_.store.FailJob(job, attempts, now + wait, Truncated(fulfilled.ToString(), 500), now));
  }
  return done;
}

absl::Status FulfillmentService::Fulfill(const Job& job) {
  // The order as the order service has it, not as the event said: its operator, its status.
  TRAVIO_ASSIGN_OR_RETURN(order::OrderView order, ports_.facts.Order(job.order_id));
  if (order.status == order::OrderStatus::kPendingPayment ||
      order.status == order::OrderStatus::kExpired) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the order is ", std::string(order::OrderStatusName(order.status)), ", not paid"));
  }
  TRAVIO_ASSIGN_OR_RETURN(TripFacts trip,
                          ports_.facts.Trip(order.org_id, order.trip_id, order.from, order.to));
  // The lease runs from the claim; each long step starts a fresh one, so a slow dependency does
  // not hand the job to another worker halfway (and a worker that lost it stops here).
  TRAVIO_RETURN_IF_ERROR(ports_.store.RenewClaim(job, ports_.clock.Now() + settings_.lease));
  std::vector<Ticket> tickets;
  std::string pdf;
  if (job.done_generation < job.generation) {
    TRAVIO_ASSIGN_OR_RETURN(tickets, IssueTickets(job, order, trip));
    std::vector<Ticket> valid;
    for (const Ticket& ticket : tickets) {
      if (Valid(ticket)) valid.push_back(ticket);
    }
    std::string pdf_key;
    if (!valid.empty()) {
      TRAVIO_ASSIGN_OR_RETURN(pdf,
                              Render(valid, trip, absl::StrCat("Tickets of order ", order.id)));
      // Rendering is the long step: a worker whose lease ran out meanwhile (another took the job,
      // rendered, recorded and sent its own document) stops here rather than write its rendering
      // over the one the traveller was sent.
      TRAVIO_RETURN_IF_ERROR(ports_.store.RenewClaim(job, ports_.clock.Now() + settings_.lease));
      // One key per generation: a retry after a crash writes the same object again, and a link
      // never serves half of a newer document.
      pdf_key =
          absl::StrCat("orders/", order.org_id, "/", order.id, "/tickets-", job.generation, ".pdf");
      TRAVIO_RETURN_IF_ERROR(ports_.documents.Put(pdf_key, pdf, "application/pdf"));
    }
    settings_.crash_point.Reach("rendered");
    OrderTicketsChanged changed = Changed(job, order, trip, tickets);
    // Events travel to every consumer; the links only to the traveller.
    changed.pdf_url.clear();
    changed.manage_url.clear();
    const auto& contract = job.reason == "trip_delayed" ? kTicketsReissued
                           : job.reason == "cancelled"  ? kTicketsVoided
                                                        : kTicketsIssued;
    const events::Event event =
        contract.Make(changed, events::HeaderNow(ports_.ids, ports_.clock, order.id, order.org_id));
    TRAVIO_RETURN_IF_ERROR(ports_.store.FinishJob(job, pdf_key, event, ports_.clock.Now()));
    if (!job.pdf_key.empty() && job.pdf_key != pdf_key) {
      // The previous generation's documents; links lead to the newest only. Best effort.
      (void)ports_.documents.Delete(job.pdf_key);
    }
    for (const Ticket& ticket : tickets) {
      (void)ports_.documents.Delete(TicketPdfKey(ticket, job.done_generation));
    }
    ports_.logger.Info("tickets issued", {{"order_id", order.id},
                                          {"generation", std::to_string(job.generation)},
                                          {"reason", job.reason},
                                          {"valid", std::to_string(valid.size())},
                                          {"storage", std::string(ports_.documents.name())}});
  } else {
    // Done before, but the traveller was not told (a crash, notification down): tell them now,
    // with the document already stored.
    TRAVIO_ASSIGN_OR_RETURN(tickets, ports_.store.TicketsOfOrder(order.id));
    if (!job.pdf_key.empty()) {
      TRAVIO_ASSIGN_OR_RETURN(pdf, ports_.documents.Get(job.pdf_key));
    }
  }
  settings_.crash_point.Reach("recorded");
  // Only the worker still holding the job tells the traveller: one whose lease lapsed must not
  // send an older message after the newer one.
  TRAVIO_RETURN_IF_ERROR(ports_.store.RenewClaim(job, ports_.clock.Now() + settings_.lease));
  TRAVIO_RETURN_IF_ERROR(Notify(job, order, trip, tickets, pdf));
  return ports_.store.MarkNotified(job);
}

OrderTicketsChanged FulfillmentService::Changed(const Job& job, const order::OrderView& order,
                                                const TripFacts& trip,
                                                const std::vector<Ticket>& tickets) const {
  OrderTicketsChanged changed;
  changed.order_id = order.id;
  changed.org_id = order.org_id;
  changed.generation = job.generation;
  changed.email = order.contact.email;
  changed.phone = order.contact.phone;
  changed.locale = order.contact.locale;
  changed.operator_name = trip.operator_name;
  changed.from_code = trip.from_code;
  changed.from_name = trip.from_name;
  changed.to_code = trip.to_code;
  changed.to_name = trip.to_name;
  changed.timezone = trip.from_timezone;
  changed.departure = trip.departure;
  changed.total = {0, order.total.currency};
  bool any_valid = false;
  for (const Ticket& ticket : tickets) {
    changed.tickets.push_back({.ticket_id = ticket.id,
                               .number = ticket.number,
                               .seat = ticket.seat,
                               .passenger = ticket.passenger,
                               .status = ticket.status});
    if (Valid(ticket)) {
      changed.total.amount += ticket.fare.amount;
      any_valid = true;
    }
  }
  changed.pdf_url_expires_at = LinkExpiry();
  if (any_valid) {
    changed.pdf_url =
        Link(absl::StrCat("orders/", order.id, "/tickets.pdf"), changed.pdf_url_expires_at);
  }
  changed.manage_url = ManageLink(order.id, trip.departure);
  changed.refund = job.refund.currency.empty() ? Money{0, order.total.currency} : job.refund;
  changed.tier = job.tier;
  for (const payment::PaymentView& paid : order.payments) {
    if (paid.method == "cash") changed.refund_at_counter = true;
  }
  changed.delay_minutes = trip.delay_minutes;
  changed.cancel_reason = trip.cancel_reason;
  return changed;
}

absl::Status FulfillmentService::Notify(const Job& job, const order::OrderView& order,
                                        const TripFacts& trip, const std::vector<Ticket>& tickets,
                                        const std::string& pdf) {
  const OrderTicketsChanged changed = Changed(job, order, trip, tickets);
  std::string kind = "tickets_issued";
  if (job.reason == "cancelled")
    kind = job.tier == "trip_cancelled" ? "trip_cancelled" : "tickets_cancelled";
  if (job.reason == "trip_delayed") kind = "trip_delayed";
  notification::Notice notice{.key = absl::StrCat("tickets/", order.id, "/", job.generation),
                              .kind = kind,
                              .locale = changed.locale,
                              .email = order.contact.email,
                              .phone = InternationalPhone(order.contact.phone),
                              // The facts, as the event says them; notification words them
                              // for the traveller's locale.
                              .data = EncodeOrderTicketsChanged(changed),
                              .attachments = {},
                              .org_id = order.org_id};
  if (!pdf.empty()) {
    notice.attachments.push_back({.filename = absl::StrCat("travio-tickets-", order.id, ".pdf"),
                                  .content_type = "application/pdf",
                                  .bytes = pdf});
  }
  return SendNotice(notice, order.id);
}

absl::Status FulfillmentService::SendNotice(const notification::Notice& notice,
                                            const std::string& order_id) {
  absl::StatusOr<notification::NoticeReceipt> receipt = ports_.notifications.Notify(notice);
  if (receipt.status().code() == absl::StatusCode::kInvalidArgument) {
    // A message that can never be sent (a contact address the mail system refuses) must not
    // hold the tickets back: they are issued; the refusal is logged and counted.
    ports_.logger.Error(
        "the traveller's message was refused by notification",
        {{"order_id", order_id}, {"kind", notice.kind}, {"error", receipt.status().ToString()}});
    return absl::OkStatus();
  }
  return receipt.status();
}

absl::StatusOr<std::vector<Ticket>> FulfillmentService::IssueTickets(const Job& job,
                                                                     const order::OrderView& order,
                                                                     const TripFacts& trip) {
  for (int draw = 0; draw < kNumberDraws; ++draw) {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<Ticket> existing, ports_.store.TicketsOfOrder(order.id));
    std::map<std::string, const Ticket*> by_seat;
    for (const Ticket& ticket : existing) by_seat[ticket.seat] = &ticket;
    std::vector<Ticket> issue;
    std::vector<std::string> void_ids;
    for (const order::OrderItem& item : order.items) {
      auto found = by_seat.find(item.seat);
      if (item.status == order::ItemStatus::kActive) {
        if (found != by_seat.end()) continue;
        TRAVIO_ASSIGN_OR_RETURN(Ticket ticket, NewTicket(order, item, trip));
        issue.push_back(std::move(ticket));
      } else if (found != by_seat.end() && Valid(*found->second)) {
        void_ids.push_back(found->second->id);
      }
    }
    if (issue.empty() && void_ids.empty()) return existing;
    const absl::Status saved = ports_.store.SaveTickets(job, issue, void_ids, ports_.clock.Now());
    if (saved.code() == absl::StatusCode::kAlreadyExists) continue;  // a number was taken
    TRAVIO_RETURN_IF_ERROR(saved);
    if (tickets_ != nullptr) {
      tickets_->WithLabels({"issued"}).Increment(static_cast<double>(issue.size()));
      tickets_->WithLabels({"voided"}).Increment(static_cast<double>(void_ids.size()));
    }
    return ports_.store.TicketsOfOrder(order.id);
  }
  return absl::InternalError("no free ticket number was drawn");
}

absl::StatusOr<Ticket> FulfillmentService::NewTicket(const order::OrderView& order,
                                                     const order::OrderItem& item,
                                                     const TripFacts& trip) {
  Ticket ticket;
  ticket.id = ports_.ids.NewId();
  std::optional<std::string> number;
  while (!number) number = TicketNumberFrom(crypto::RandomBytes(32));
  ticket.number = *number;
  ticket.order_id = order.id;
  ticket.org_id = order.org_id;
  ticket.trip_id = order.trip_id;
  ticket.buyer = order.buyer;
  ticket.seat = item.seat;
  if (auto deck = trip.deck_of_seat.find(item.seat); deck != trip.deck_of_seat.end()) {
    ticket.deck = deck->second;
  }
  ticket.passenger = item.passenger.name;
  ticket.from = order.from;
  ticket.to = order.to;
  ticket.departure = trip.departure;
  ticket.fare = item.price;
  ticket.issued_at = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(
      ticket.qr, SignTicketToken(ports_.keys.secret_key(), ports_.keys.kid(),
                                 {.ticket_id = ticket.id,
                                  .trip_id = ticket.trip_id,
                                  .seat = ticket.seat,
                                  .from = ticket.from,
                                  .to = ticket.to,
                                  .departure = ticket.departure,
                                  .expires_at = ticket.departure + kCodeValidAfterDeparture}));
  return ticket;
}

absl::StatusOr<std::string> FulfillmentService::Render(const std::vector<Ticket>& tickets,
                                                       const TripFacts& trip,
                                                       const std::string& title) {
  std::vector<TicketPage> pages;
  for (size_t i = 0; i < tickets.size(); ++i) {
    pages.push_back(DescribeTicket(tickets[i], trip, static_cast<int>(i) + 1,
                                   static_cast<int>(tickets.size())));
  }
  const absl::Time started = absl::Now();  // a duration for a metric, not a decision
  auto pdf = ports_.renderer.RenderPdf(pages, title);
  if (render_seconds_ != nullptr) {
    render_seconds_->WithLabels({}).Observe(absl::ToDoubleSeconds(absl::Now() - started));
  }
  return pdf;
}

absl::Time FulfillmentService::LinkExpiry() const {
  // Whole hours, so the same link comes back for an hour (caches, repeated reads).
  const int64_t hours =
      absl::ToInt64Hours(ports_.clock.Now() + settings_.link_ttl - absl::UnixEpoch()) + 1;
  return absl::UnixEpoch() + absl::Hours(hours);
}

std::string FulfillmentService::Link(const std::string& resource, absl::Time expires_at) const {
  const std::string expires = std::to_string(absl::ToUnixSeconds(expires_at));
  const std::string signature = crypto::HexEncode(
      crypto::HmacSha256(ports_.keys.link_key(), absl::StrCat(resource, "\n", expires)));
  return absl::StrCat(settings_.public_url, "/v1/", resource, "?expires=", expires,
                      "&signature=", signature);
}

std::string FulfillmentService::ManageLink(const std::string& order_id,
                                           absl::Time departure) const {
  // Good until a day after departure (a booking is looked at on the way), and at least as long
  // as the PDF link; whole hours, like LinkExpiry.
  const absl::Time until = std::max(LinkExpiry(), departure + absl::Hours(24));
  const absl::Time expires_at =
      absl::UnixEpoch() + absl::Hours(absl::ToInt64Hours(until - absl::UnixEpoch()) + 1);
  const std::string expires = std::to_string(absl::ToUnixSeconds(expires_at));
  const std::string signature = crypto::HexEncode(crypto::HmacSha256(
      ports_.keys.link_key(), absl::StrCat(ManageLinkResource(order_id), "\n", expires)));
  return absl::StrCat(settings_.public_url, "/orders/", order_id, "?expires=", expires,
                      "&signature=", signature);
}

absl::Status FulfillmentService::CheckLink(const std::string& resource, const std::string& expires,
                                           const std::string& signature) {
  const absl::Status invalid =
      Error(reasons::kInvalidLink, "This ticket link is not valid or has expired.");
  int64_t seconds = 0;
  const auto parsed = std::from_chars(expires.data(), expires.data() + expires.size(), seconds);
  if (expires.empty() || expires.size() > 12 || parsed.ec != std::errc() ||
      parsed.ptr != expires.data() + expires.size()) {
    return invalid;
  }
  const std::string expected = crypto::HexEncode(
      crypto::HmacSha256(ports_.keys.link_key(), absl::StrCat(resource, "\n", expires)));
  if (!crypto::ConstantTimeEquals(expected, signature)) return invalid;
  if (absl::FromUnixSeconds(seconds) <= ports_.clock.Now()) return invalid;
  return absl::OkStatus();
}

absl::StatusOr<OrderTickets> FulfillmentService::TicketsOfOrder(const std::string& order_id) {
  OrderTickets answer;
  answer.order_id = order_id;
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Job> job, ports_.store.FindJob(order_id));
  if (!job) return answer;
  answer.status = job->status;
  answer.attempts = job->attempts;
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Ticket> tickets, ports_.store.TicketsOfOrder(order_id));
  const absl::Time expires_at = LinkExpiry();
  for (Ticket& ticket : tickets) {
    ticket.qr.clear();  // an order's view lists tickets; a code is read one ticket at a time
    std::string url;
    if (Valid(ticket)) url = Link(absl::StrCat("tickets/", ticket.id, "/pdf"), expires_at);
    answer.tickets.push_back({std::move(ticket), std::move(url)});
  }
  if (!job->pdf_key.empty()) {
    answer.pdf_url = Link(absl::StrCat("orders/", order_id, "/tickets.pdf"), expires_at);
  }
  return answer;
}

absl::StatusOr<TicketView> FulfillmentService::GetTicket(const std::string& ticket_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Ticket> ticket, ports_.store.FindTicket(ticket_id));
  if (!ticket) return TicketNotFound();
  std::string url;
  if (Valid(*ticket)) url = Link(absl::StrCat("tickets/", ticket->id, "/pdf"), LinkExpiry());
  return TicketView{*std::move(ticket), std::move(url)};
}

absl::StatusOr<Document> FulfillmentService::OrderPdf(const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Job> job, ports_.store.FindJob(order_id));
  if (!job || job->pdf_key.empty()) {
    return Error(reasons::kTicketsNotIssued, "The tickets of this order are not issued yet.");
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string bytes, ports_.documents.Get(job->pdf_key));
  return Document{.filename = absl::StrCat("travio-tickets-", order_id, ".pdf"),
                  .bytes = std::move(bytes)};
}

absl::StatusOr<Document> FulfillmentService::TicketPdf(const std::string& ticket_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Ticket> ticket, ports_.store.FindTicket(ticket_id));
  if (!ticket) return TicketNotFound();
  if (!Valid(*ticket)) return Error(reasons::kTicketVoid, "This ticket was cancelled.");
  const std::string filename = absl::StrCat("travio-ticket-", ticket->number, ".pdf");
  // Rendered once per generation of the order (a delay re-issues it) and kept: a link opened
  // many times costs one rendering.
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Job> job, ports_.store.FindJob(ticket->order_id));
  const std::string key = TicketPdfKey(*ticket, job ? job->done_generation : 0);
  absl::StatusOr<std::string> kept = ports_.documents.Get(key);
  if (kept.ok()) return Document{.filename = filename, .bytes = *std::move(kept)};
  if (kept.status().code() != absl::StatusCode::kNotFound) return kept.status();
  TRAVIO_ASSIGN_OR_RETURN(
      TripFacts trip, ports_.facts.Trip(ticket->org_id, ticket->trip_id, ticket->from, ticket->to));
  TRAVIO_ASSIGN_OR_RETURN(std::string bytes,
                          Render({*ticket}, trip, absl::StrCat("Ticket ", ticket->number)));
  TRAVIO_RETURN_IF_ERROR(ports_.documents.Put(key, bytes, "application/pdf"));
  return Document{.filename = filename, .bytes = std::move(bytes)};
}

absl::StatusOr<std::vector<ScanResult>> FulfillmentService::Board(const ScanCommand& command) {
  if (command.scans.empty() || command.scans.size() > kMaxScansPerCall) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "Send 1 to 1000 scans."),
                           {{"scans", "between 1 and 1000 scans"}});
  }
  std::set<std::string> trips;
  for (const Scan& scan : command.scans) {
    if (!scan.trip_id.empty()) trips.insert(scan.trip_id);  // offline scans name none
  }
  std::map<std::string, bool> crew_trips;
  for (const std::string& trip_id : trips) {
    TRAVIO_ASSIGN_OR_RETURN(bool owns, ports_.facts.OwnsTrip(command.org_id, trip_id));
    if (!owns) return Error(reasons::kTripNotFound, "No such trip.");
    if (command.crew_only) {
      TRAVIO_ASSIGN_OR_RETURN(bool on_crew,
                              OnCrew(command.org_id, trip_id, command.scanned_by, crew_trips));
      if (!on_crew) return NotOnCrew();
    }
  }
  std::vector<ScanResult> results;
  results.reserve(command.scans.size());
  for (const Scan& scan : command.scans) {
    results.push_back(BoardOne(command, scan, crew_trips));
    if (scans_ != nullptr)
      scans_->WithLabels({std::string(OutcomeName(results.back().outcome))}).Increment();
  }
  return results;
}

absl::StatusOr<bool> FulfillmentService::OnCrew(const std::string& org_id,
                                                const std::string& trip_id,
                                                const std::string& user_id,
                                                std::map<std::string, bool>& crew_trips) {
  if (auto known = crew_trips.find(trip_id); known != crew_trips.end()) return known->second;
  TRAVIO_ASSIGN_OR_RETURN(std::set<std::string> crew, ports_.facts.CrewMembers(org_id, trip_id));
  const bool on_crew = !user_id.empty() && crew.contains(user_id);
  crew_trips[trip_id] = on_crew;
  return on_crew;
}

ScanResult FulfillmentService::BoardOne(const ScanCommand& command, const Scan& scan,
                                        std::map<std::string, bool>& crew_trips) {
  ScanResult result;
  const absl::Time now = ports_.clock.Now();
  Ticket ticket;
  bool code_of_another_trip = false;
  if (scan.qr.empty()) {
    // A number typed from a paper ticket whose code does not scan: looked up among the tickets
    // of the trip being boarded (a typed scan names it), never across trips or operators.
    std::optional<Ticket> typed = TypedTicket(command.org_id, scan);
    if (!typed) return result;  // invalid
    ticket = *std::move(typed);
    // No code's expiry speaks for it: the boarding window does.
    const absl::Time at = scan.scanned_at.value_or(now);
    if (at < ticket.departure - settings_.boarding_opens ||
        at > ticket.departure + kCodeValidAfterDeparture) {
      return result;
    }
  } else {
    absl::StatusOr<TicketClaims> claims =
        VerifyTicketToken(scan.qr, ports_.keys.public_keys(), now);
    if (!claims.ok()) return result;  // invalid
    absl::StatusOr<std::optional<Ticket>> found = ports_.store.FindTicket(claims->ticket_id);
    // Another operator's ticket is not one of ours to speak of.
    if (!found.ok() || !found->has_value() || (*found)->org_id != command.org_id) return result;
    ticket = **found;
    code_of_another_trip = claims->trip_id != ticket.trip_id;
  }
  result.ticket_id = ticket.id;
  result.number = ticket.number;
  result.seat = ticket.seat;
  result.passenger = ticket.passenger;
  if (code_of_another_trip || (!scan.trip_id.empty() && ticket.trip_id != scan.trip_id)) {
    result.outcome = ScanOutcome::kWrongTrip;
    return result;
  }
  if (command.crew_only && scan.trip_id.empty()) {
    // An offline scan names no trip: the ticket's must be one of the scanner's.
    absl::StatusOr<bool> on_crew =
        OnCrew(command.org_id, ticket.trip_id, command.scanned_by, crew_trips);
    if (!on_crew.ok() || !*on_crew) {
      result.outcome = ScanOutcome::kWrongTrip;
      return result;
    }
  }
  if (ticket.status == TicketStatus::kVoid) {
    result.outcome = ScanOutcome::kVoid;
    return result;
  }
  absl::Time at = now;
  if (scan.scanned_at) {
    // An offline device's clock is believed within reason: a scan claimed outside the trip's
    // boarding window, or ahead of our clock by more than drift, is not a boarding.
    const absl::Time claimed = *scan.scanned_at;
    if (claimed > now + kClockSkew || claimed < ticket.departure - settings_.boarding_opens ||
        claimed > ticket.departure + kCodeValidAfterDeparture) {
      return result;  // invalid
    }
    at = std::max(ticket.issued_at, std::min(claimed, now));
  }
  const std::string by = scan.device_id.empty()
                             ? command.scanned_by
                             : absl::StrCat(command.scanned_by, "@", scan.device_id);
  const events::Event boarded_event =
      kTicketBoarded.Make({.ticket_id = ticket.id,
                           .order_id = ticket.order_id,
                           .trip_id = ticket.trip_id,
                           .seat = ticket.seat,
                           .boarded_at = at},
                          events::HeaderNow(ports_.ids, ports_.clock, ticket.id, ticket.org_id));
  absl::StatusOr<std::pair<Ticket, bool>> boarded =
      ports_.store.Board(ticket.id, at, by, boarded_event);
  if (!boarded.ok()) {
    ports_.logger.Warn("a boarding scan could not be recorded",
                       {{"ticket_id", ticket.id}, {"error", boarded.status().ToString()}});
    result.outcome = ScanOutcome::kInvalid;
    return result;
  }
  const Ticket& after = boarded->first;
  result.boarded_at = after.boarded_at;
  if (after.status == TicketStatus::kVoid) {
    result.outcome = ScanOutcome::kVoid;
  } else {
    result.outcome = boarded->second ? ScanOutcome::kBoarded : ScanOutcome::kAlreadyBoarded;
  }
  return result;
}

std::optional<Ticket> FulfillmentService::TypedTicket(const std::string& org_id, const Scan& scan) {
  if (scan.trip_id.empty()) return std::nullopt;
  // "k7q2m 9xd3f", "K7Q2M-9XD3F" and "K7Q2M9XD3F" are the same number.
  auto normal = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
        out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
      }
    }
    return out;
  };
  const std::string wanted = normal(scan.number);
  if (wanted.empty()) return std::nullopt;
  absl::StatusOr<std::vector<Ticket>> tickets = ports_.store.TicketsOfTrip(org_id, scan.trip_id);
  if (!tickets.ok()) return std::nullopt;
  for (Ticket& ticket : *tickets) {
    if (normal(ticket.number) == wanted) return std::move(ticket);
  }
  return std::nullopt;
}

absl::StatusOr<BoardingPack> FulfillmentService::Pack(const std::string& org_id,
                                                      const std::string& trip_id,
                                                      const Scanner& scanner) {
  TRAVIO_ASSIGN_OR_RETURN(bool owns, ports_.facts.OwnsTrip(org_id, trip_id));
  if (!owns) return Error(reasons::kTripNotFound, "No such trip.");
  if (scanner.crew_only) {
    std::map<std::string, bool> crew_trips;
    TRAVIO_ASSIGN_OR_RETURN(bool on_crew, OnCrew(org_id, trip_id, scanner.user_id, crew_trips));
    if (!on_crew) return NotOnCrew();
  }
  BoardingPack pack;
  pack.trip_id = trip_id;
  pack.org_id = org_id;
  pack.keys = ports_.keys.public_keys();
  TRAVIO_ASSIGN_OR_RETURN(pack.tickets, ports_.store.TicketsOfTrip(org_id, trip_id));
  for (Ticket& ticket : pack.tickets) {
    pack.departure = ticket.departure;
    ticket.qr.clear();  // a device verifies codes with the keys; it is never handed them
  }
  return pack;
}

absl::StatusOr<std::vector<TicketKey>> FulfillmentService::VerificationKeys() {
  return ports_.keys.public_keys();
}

}  // namespace travio::fulfillment
