// The fulfillment use cases on a real SQL store (SQLite), real keys and file-like storage, with
// the other services' answers faked: tickets issued once per seat whatever is delivered twice
// or crashes half-way, voided with their seats, retried when something fails, and boarded once.
#include "services/fulfillment/app/fulfillment_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/trace/trace_context.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/fulfillment/api/ticket_token.h"
#include "services/fulfillment/storage/keys/file_ticket_keys.h"
#include "services/fulfillment/storage/sql/sql_ticket_store.h"

namespace travio::fulfillment {
namespace {

using ::travio::testing::HasReason;

constexpr char kOrg[] = "0193a0b4-0000-7000-8000-00000000000a";
constexpr char kOtherOrg[] = "0193a0b4-0000-7000-8000-00000000000b";
constexpr char kTrip[] = "0193a0b4-0000-7000-8000-0000000000c1";
constexpr char kOtherTrip[] = "0193a0b4-0000-7000-8000-0000000000c2";
constexpr char kOrder[] = "0193a0b4-0000-7000-8000-0000000000d1";
constexpr char kOtherOrder[] = "0193a0b4-0000-7000-8000-0000000000d2";

class FakeFacts final : public BookingFacts {
 public:
  absl::StatusOr<order::OrderView> Order(const std::string& order_id) override {
    std::lock_guard lock(mutex_);
    if (!available_) return absl::UnavailableError("order service down");
    auto found = orders_.find(order_id);
    if (found == orders_.end()) return absl::NotFoundError("no order");
    return found->second;
  }
  absl::StatusOr<TripFacts> Trip(const std::string& org_id, const std::string& trip_id,
                                 const std::string&, const std::string&) override {
    if (std::function<void()> hook = TakeTripHook()) hook();
    std::lock_guard lock(mutex_);
    if (!available_) return absl::UnavailableError("catalog down");
    if (org_id != kOrg || (trip_id != kTrip && trip_id != kOtherTrip)) {
      return absl::NotFoundError("no trip");
    }
    TripFacts trip;
    trip.operator_name = "Green Line";
    trip.from_code = "DHK";
    trip.from_name = "Dhaka";
    trip.from_timezone = "Asia/Dhaka";
    trip.to_code = "CXB";
    trip.to_name = "Cox's Bazar";
    trip.departure = absl::FromUnixSeconds(1'797'784'200);
    trip.arrival = trip.departure + absl::Hours(8);
    trip.deck_of_seat = {{"A1", "main"}, {"A2", "main"}, {"A3", "main"}};
    return trip;
  }
  absl::StatusOr<bool> OwnsTrip(const std::string& org_id, const std::string& trip_id) override {
    return org_id == kOrg && (trip_id == kTrip || trip_id == kOtherTrip);
  }

  void Put(order::OrderView order) {
    std::lock_guard lock(mutex_);
    orders_[order.id] = std::move(order);
  }
  void CancelSeat(const std::string& order_id, const std::string& seat) {
    std::lock_guard lock(mutex_);
    order::OrderView& order = orders_.at(order_id);
    for (order::OrderItem& item : order.items) {
      if (item.seat == seat) item.status = order::ItemStatus::kCancelled;
    }
    order.status = order::OrderStatus::kPartiallyCancelled;
  }
  // Runs once, in the next Trip() call, before it answers: a worker paused after reading the
  // order.
  void PauseNextTrip(std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    trip_hook_ = std::move(hook);
  }
  std::function<void()> TakeTripHook() {
    std::lock_guard lock(mutex_);
    return std::exchange(trip_hook_, nullptr);
  }
  void SetAvailable(bool available) {
    std::lock_guard lock(mutex_);
    available_ = available;
  }
  absl::StatusOr<std::set<std::string>> CrewMembers(const std::string& org_id,
                                                    const std::string& trip_id) override {
    std::lock_guard lock(mutex_);
    if (org_id != kOrg) return std::set<std::string>{};
    return crews_[trip_id];
  }
  void AssignCrew(const std::string& trip_id, const std::string& user_id) {
    std::lock_guard lock(mutex_);
    crews_[trip_id].insert(user_id);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::set<std::string>> crews_;
  std::map<std::string, order::OrderView> orders_;
  std::function<void()> trip_hook_;
  bool available_ = true;
};

class RecordingNotifications final : public notification::NotificationClient {
 public:
  absl::StatusOr<std::string> SendEmail(const notification::EmailMessage&) override {
    return absl::UnimplementedError("not used");
  }
  absl::StatusOr<notification::NoticeReceipt> Notify(const notification::Notice& notice) override {
    std::lock_guard lock(mutex);
    if (!result.ok()) return result;
    const bool seen = keys.count(notice.key) > 0;
    keys.insert(notice.key);
    if (!seen) notices.push_back(notice);
    if (!seen) traces.push_back(trace::CurrentTraceId());
    return notification::NoticeReceipt{.message_ids = {notice.key}, .duplicate = seen};
  }
  std::mutex mutex;
  std::set<std::string> keys;
  std::vector<notification::Notice> notices;
  std::vector<std::string> traces;  // the trace each notice was asked for in
  absl::Status result = absl::OkStatus();
};

class FakeRenderer final : public TicketRenderer {
 public:
  absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                        const std::string& title) override {
    if (std::function<void()> hook = std::exchange(before_next_render, nullptr)) hook();
    std::lock_guard lock(mutex_);
    ++calls;
    std::string pdf = "%PDF " + title;
    for (const TicketPage& page : pages) absl::StrAppend(&pdf, "|", page.seat, ":", page.number);
    // Like a real rendering (its creation time), no two are the same bytes.
    absl::StrAppend(&pdf, "#", calls);
    return pdf;
  }
  std::mutex mutex_;
  int calls = 0;
  std::function<void()> before_next_render;  // runs once (set it before workers start)
};

class MemoryDocuments final : public DocumentStorage {
 public:
  std::string_view name() const override { return "memory"; }
  absl::Status Put(const std::string& key, std::string_view bytes, std::string_view) override {
    std::lock_guard lock(mutex_);
    if (failing) return absl::UnavailableError("storage down");
    documents[key] = std::string(bytes);
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> Get(const std::string& key) override {
    std::lock_guard lock(mutex_);
    auto found = documents.find(key);
    if (found == documents.end()) return absl::NotFoundError("no document");
    return found->second;
  }
  absl::Status Delete(const std::string& key) override {
    std::lock_guard lock(mutex_);
    documents.erase(key);
    return absl::OkStatus();
  }
  std::mutex mutex_;
  std::map<std::string, std::string> documents;
  bool failing = false;
};

// A store that "crashes" once right before recording a finished job: what a process killed
// between writing the PDF and recording it leaves behind.
class CrashingStore final : public TicketStore {
 public:
  explicit CrashingStore(TicketStore& inner) : inner_(inner) {}
  bool crash_before_finish = false;
  std::function<void()> before_fail;  // runs once, inside the next FailJob

  absl::StatusOr<bool> RequestFulfillment(const std::string& consumer, const events::Event& event,
                                          const std::string& order_id, const std::string& org_id,
                                          const JobRequest& request, absl::Time now) override {
    return inner_.RequestFulfillment(consumer, event, order_id, org_id, request, now);
  }
  absl::StatusOr<int> RequestTripReissue(const std::string& consumer, const events::Event& event,
                                         const std::string& org_id, const std::string& trip_id,
                                         const JobRequest& request, absl::Time now) override {
    return inner_.RequestTripReissue(consumer, event, org_id, trip_id, request, now);
  }
  absl::Status MarkNotified(const Job& job) override { return inner_.MarkNotified(job); }
  absl::Status ReleaseClaim(const Job& job) override { return inner_.ReleaseClaim(job); }
  absl::Status RenewClaim(const Job& job, absl::Time until) override {
    return inner_.RenewClaim(job, until);
  }
  absl::StatusOr<std::vector<Job>> ClaimDue(absl::Time now, absl::Duration lease,
                                            int limit) override {
    return inner_.ClaimDue(now, lease, limit);
  }
  absl::StatusOr<std::optional<Job>> FindJob(const std::string& order_id) override {
    return inner_.FindJob(order_id);
  }
  absl::Status SaveTickets(const Job& job, const std::vector<Ticket>& issue,
                           const std::vector<std::string>& void_ids, absl::Time at) override {
    return inner_.SaveTickets(job, issue, void_ids, at);
  }
  absl::StatusOr<std::vector<Ticket>> TicketsOfOrder(const std::string& order_id) override {
    return inner_.TicketsOfOrder(order_id);
  }
  absl::StatusOr<std::vector<Ticket>> TicketsOfTrip(const std::string& org_id,
                                                    const std::string& trip_id) override {
    return inner_.TicketsOfTrip(org_id, trip_id);
  }
  absl::StatusOr<std::optional<Ticket>> FindTicket(const std::string& ticket_id) override {
    return inner_.FindTicket(ticket_id);
  }
  absl::Status FinishJob(const Job& job, const std::string& pdf_key, const events::Event& event,
                         absl::Time now) override {
    if (crash_before_finish) {
      crash_before_finish = false;
      return absl::UnavailableError("crashed");
    }
    return inner_.FinishJob(job, pdf_key, event, now);
  }
  absl::Status FailJob(const Job& job, int attempts, absl::Time next_attempt_at,
                       const std::string& error, absl::Time now) override {
    if (before_fail) std::exchange(before_fail, nullptr)();
    return inner_.FailJob(job, attempts, next_attempt_at, error, now);
  }
  absl::StatusOr<std::pair<Ticket, bool>> Board(const std::string& ticket_id, absl::Time at,
                                                const std::string& by,
                                                const events::Event& boarded) override {
    return inner_.Board(ticket_id, at, by, boarded);
  }

 private:
  TicketStore& inner_;
};

order::OrderView PaidOrder(const std::string& id, std::vector<std::string> seats,
                           const std::string& org = kOrg, const std::string& trip = kTrip) {
  order::OrderView order;
  order.id = id;
  order.status = order::OrderStatus::kConfirmed;
  order.org_id = org;
  order.trip_id = trip;
  order.buyer = "guest:0193a0b4-0000-7000-8000-0000000000e1";
  order.from = "DHK";
  order.to = "CXB";
  order.contact = {.email = "rahim@example.com", .phone = "+8801711000000"};
  order.total = {0, "BDT"};
  int n = 0;
  for (const std::string& seat : seats) {
    order.items.push_back({.seat = seat,
                           .passenger = {.name = absl::StrCat("Passenger ", ++n), .gender = "male"},
                           .price = {150000, "BDT"},
                           .status = order::ItemStatus::kActive});
    order.total.amount += 150000;
  }
  return order;
}

class FulfillmentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::OpenSqlite({(dir_ / "fulfillment.db").string()}));
    const std::vector<db::Migration> migrations = FulfillmentMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "fulfillment", migrations));
    outbox_ = std::make_unique<events::Outbox>("fulfillment", *database_);
    inbox_ = std::make_unique<events::Inbox>("fulfillment", *database_);
    ASSERT_OK(outbox_->Migrate());
    ASSERT_OK(inbox_->Migrate());
    sql_store_ = MakeSqlTicketStore(*database_, *inbox_, *outbox_);
    store_ = std::make_unique<CrashingStore>(*sql_store_);
    ASSERT_OK_AND_ASSIGN(keys_, LoadOrCreateTicketKeys(dir_ / "keys"));
    service_ = MakeService();
  }

  std::unique_ptr<FulfillmentService> MakeService(FulfillmentSettings settings = {
                                                      .public_url = "https://tickets.example"}) {
    return std::make_unique<FulfillmentService>(
        FulfillmentService::Ports{.store = *store_,
                                  .documents = documents_,
                                  .renderer = renderer_,
                                  .keys = *keys_,
                                  .facts = facts_,
                                  .notifications = notifications_,
                                  .clock = clock_,
                                  .ids = ids_,
                                  .logger = logger_},
        std::move(settings));
  }

  events::Event Confirmed(const std::string& order_id, const std::string& org = kOrg) {
    return {.id = ids_.NewId(),
            .type = "order.confirmed.v1",
            .aggregate_id = order_id,
            .org_id = org,
            .occurred_at = clock_.Now(),
            .trace_id = "",
            .payload = "{}"};
  }

  // The events fulfillment published, in order.
  std::vector<events::Event> Published() {
    auto pending = outbox_->Pending(100);
    EXPECT_OK(pending);
    std::vector<events::Event> events;
    if (pending.ok()) {
      for (auto& [sequence, event] : *pending) events.push_back(event);
    }
    return events;
  }

  std::vector<Ticket> Tickets(const std::string& order_id) {
    auto tickets = sql_store_->TicketsOfOrder(order_id);
    EXPECT_OK(tickets);
    return tickets.ok() ? *tickets : std::vector<Ticket>{};
  }

  Ticket TicketAt(const std::string& order_id, const std::string& seat) {
    for (const Ticket& ticket : Tickets(order_id)) {
      if (ticket.seat == seat) return ticket;
    }
    ADD_FAILURE() << "no ticket for " << seat;
    return {};
  }

  ScanResult Scan(const std::string& qr, const std::string& trip = kTrip,
                  std::optional<absl::Time> at = std::nullopt, const std::string& org = kOrg) {
    auto results = service_->Board(
        {.org_id = org,
         .scanned_by = "conductor-1",
         .scans = {{.qr = qr, .trip_id = trip, .device_id = "", .scanned_at = at}}});
    EXPECT_OK(results);
    return results.ok() ? results->front() : ScanResult{};
  }

  testing::TempDir dir_;
  ManualClock clock_{absl::FromUnixSeconds(1'797'000'000)};
  IdGenerator ids_{clock_};
  log::Logger logger_ =
      log::Logger::ToVector(log::Level::kDebug, std::make_shared<std::vector<std::string>>());
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<events::Inbox> inbox_;
  std::unique_ptr<TicketStore> sql_store_;
  std::unique_ptr<CrashingStore> store_;
  std::unique_ptr<TicketKeys> keys_;
  FakeFacts facts_;
  RecordingNotifications notifications_;
  FakeRenderer renderer_;
  MemoryDocuments documents_;
  std::unique_ptr<FulfillmentService> service_;
};

TEST_F(FulfillmentServiceTest, APaidOrderGetsATicketPerSeatAndOnePdf) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK_AND_ASSIGN(OrderTickets before, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(before.status, FulfillmentStatus::kPending);

  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  const std::vector<Ticket> tickets = Tickets(kOrder);
  ASSERT_EQ(tickets.size(), 2u);
  std::set<std::string> numbers;
  for (const Ticket& ticket : tickets) {
    EXPECT_EQ(ticket.status, TicketStatus::kIssued);
    EXPECT_EQ(ticket.org_id, kOrg);
    EXPECT_EQ(ticket.fare, (Money{150000, "BDT"}));
    ASSERT_OK_AND_ASSIGN(TicketClaims claims,
                         VerifyTicketToken(ticket.qr, keys_->public_keys(), clock_.Now()));
    EXPECT_EQ(claims.ticket_id, ticket.id);
    EXPECT_EQ(claims.trip_id, kTrip);
    EXPECT_EQ(claims.seat, ticket.seat);
    numbers.insert(ticket.number);
  }
  EXPECT_EQ(numbers.size(), 2u);

  ASSERT_OK_AND_ASSIGN(OrderTickets after, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(after.status, FulfillmentStatus::kIssued);
  EXPECT_TRUE(after.pdf_url.starts_with(
      absl::StrCat("https://tickets.example/v1/orders/", kOrder, "/tickets.pdf?expires=")));
  ASSERT_OK_AND_ASSIGN(Document pdf, service_->OrderPdf(kOrder));
  EXPECT_NE(pdf.bytes.find("A1:" + TicketAt(kOrder, "A1").number), std::string::npos);
  EXPECT_NE(pdf.bytes.find("A2:" + TicketAt(kOrder, "A2").number), std::string::npos);

  const std::vector<events::Event> events = Published();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "tickets.issued.v1");
  ASSERT_OK_AND_ASSIGN(OrderTicketsChanged issued, kTicketsIssued.Read(events[0]));
  EXPECT_EQ(issued.email, "rahim@example.com");
  EXPECT_EQ(issued.tickets.size(), 2u);
  EXPECT_EQ(issued.total, (Money{300000, "BDT"}));
  // Every consumer reads events: they carry no link that opens the tickets without a bearer.
  EXPECT_EQ(issued.pdf_url, "");
  EXPECT_EQ(issued.manage_url, "");
  EXPECT_EQ(events[0].payload.find("signature="), std::string::npos);

  // The traveller is told once, with the PDF attached.
  ASSERT_EQ(notifications_.notices.size(), 1u);
  const notification::Notice& notice = notifications_.notices[0];
  EXPECT_EQ(notice.key, absl::StrCat("tickets/", kOrder, "/1"));
  EXPECT_EQ(notice.kind, "tickets_issued");
  EXPECT_EQ(notice.email, "rahim@example.com");
  EXPECT_EQ(notice.phone, "+8801711000000");
  ASSERT_EQ(notice.attachments.size(), 1u);
  EXPECT_EQ(notice.attachments[0].bytes, pdf.bytes);
  ASSERT_OK_AND_ASSIGN(OrderTicketsChanged data, DecodeOrderTicketsChanged(notice.data));
  EXPECT_EQ(data.tickets.size(), 2u);
  EXPECT_EQ(data.pdf_url, after.pdf_url);  // the traveller's message has the link
}

TEST_F(FulfillmentServiceTest, AJobGoesOnInTheTraceOfTheEventThatAskedForIt) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  const trace::TraceContext confirmed_in = trace::NewTrace();
  {
    const trace::Scope consumer(confirmed_in);  // as the bus runs a consumer
    ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  }
  // The worker, outside any trace, and a restarted one at that: the job kept its trace.
  service_ = MakeService();
  ASSERT_EQ(trace::Current(), nullptr);
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  ASSERT_EQ(done, 1);
  ASSERT_EQ(notifications_.traces.size(), 1u);
  EXPECT_EQ(notifications_.traces[0], confirmed_in.trace_id);
  EXPECT_EQ(trace::Current(), nullptr);

  // A cancellation in another trace: the reissue and its email are in that one.
  const trace::TraceContext cancelled_in = trace::NewTrace();
  {
    const trace::Scope consumer(cancelled_in);
    facts_.CancelSeat(kOrder, "A2");
    events::Event event = Confirmed(kOrder);
    event.type = "order.cancelled.v1";
    ASSERT_OK(service_->OnOrderCancelled(event, kOrder, {120000, "BDT"}, "48h"));
  }
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_EQ(notifications_.traces.size(), 2u);
  EXPECT_EQ(notifications_.traces[1], cancelled_in.trace_id);
}

TEST_F(FulfillmentServiceTest, WhenNotificationIsDownTheTicketsAreIssuedAndTheTravellerToldLater) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  notifications_.result = absl::UnavailableError("notification down");
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_OK_AND_ASSIGN(OrderTickets tickets, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(tickets.tickets.size(), 1u);
  EXPECT_EQ(Published().size(), 1u);
  EXPECT_TRUE(notifications_.notices.empty());
  const int renders = renderer_.calls;

  notifications_.result = absl::OkStatus();
  clock_.Advance(absl::Seconds(3));
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  ASSERT_EQ(notifications_.notices.size(), 1u);
  EXPECT_EQ(notifications_.notices[0].attachments.size(), 1u);  // the stored PDF
  EXPECT_EQ(renderer_.calls, renders);                          // not drawn again
  EXPECT_EQ(Published().size(), 1u);                            // nor announced again
  ASSERT_OK_AND_ASSIGN(int again, service_->FulfillDue());
  EXPECT_EQ(again, 0);
}

TEST_F(FulfillmentServiceTest, ANoticeNotificationRefusesForGoodDoesNotHoldTheTicketsBack) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  notifications_.result = absl::InvalidArgumentError("invalid_notice");
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  ASSERT_OK_AND_ASSIGN(OrderTickets tickets, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(tickets.status, FulfillmentStatus::kIssued);
}

TEST_F(FulfillmentServiceTest, ATicketsOwnPdfIsRenderedOncePerGeneration) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket ticket = TicketAt(kOrder, "A1");
  const int before = renderer_.calls;
  ASSERT_OK_AND_ASSIGN(Document first, service_->TicketPdf(ticket.id));
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(Document again, service_->TicketPdf(ticket.id));
    EXPECT_EQ(again.bytes, first.bytes);
  }
  EXPECT_EQ(renderer_.calls, before + 1);  // opened six times, drawn once
  EXPECT_NE(first.bytes.find("A1:" + ticket.number), std::string::npos);
  // A delay re-issues the order: the next download is drawn again, the old one is gone.
  events::Event delayed = Confirmed(kTrip);
  delayed.type = "trip.delayed.v1";
  ASSERT_OK(service_->OnTripDelayed(delayed, kOrg, kTrip, 45));
  ASSERT_OK(service_->FulfillDue().status());
  const int reissued = renderer_.calls;
  ASSERT_OK(service_->TicketPdf(ticket.id).status());
  EXPECT_EQ(renderer_.calls, reissued + 1);
  size_t kept = 0;
  for (const auto& [key, bytes] : documents_.documents) {
    if (key.find("/ticket-" + ticket.id) != std::string::npos) ++kept;
  }
  EXPECT_EQ(kept, 1u);
}

TEST_F(FulfillmentServiceTest, ADelayedTripReissuesItsTicketsPdfsWithTheNewTime) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket before = TicketAt(kOrder, "A1");
  events::Event delayed = Confirmed(kTrip);
  delayed.type = "trip.delayed.v1";
  ASSERT_OK(service_->OnTripDelayed(delayed, kOrg, kTrip, 45));
  ASSERT_OK(service_->OnTripDelayed(delayed, kOrg, kTrip, 45));  // delivered twice
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  EXPECT_EQ(TicketAt(kOrder, "A1"), before);  // the same ticket and code
  ASSERT_EQ(notifications_.notices.size(), 2u);
  EXPECT_EQ(notifications_.notices[1].kind, "trip_delayed");
  const std::vector<events::Event> events = Published();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, "tickets.reissued.v1");
  // Another operator's delay event changes nothing of ours.
  events::Event foreign = Confirmed(kTrip, kOtherOrg);
  ASSERT_OK(service_->OnTripDelayed(foreign, kOtherOrg, kTrip, 30));
  ASSERT_OK_AND_ASSIGN(int none, service_->FulfillDue());
  EXPECT_EQ(none, 0);
}

TEST_F(FulfillmentServiceTest, AnEventDeliveredTwiceIssuesOnce) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  const events::Event event = Confirmed(kOrder);
  ASSERT_OK(service_->OnOrderConfirmed(event, kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_OK(service_->OnOrderConfirmed(event, kOrder));
  ASSERT_OK_AND_ASSIGN(int again, service_->FulfillDue());
  EXPECT_EQ(again, 0);
  EXPECT_EQ(Tickets(kOrder).size(), 1u);
  EXPECT_EQ(Published().size(), 1u);
}

TEST_F(FulfillmentServiceTest, ACrashBetweenRenderingAndRecordingLosesNothingAndDoublesNothing) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  store_->crash_before_finish = true;
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 0);
  const std::vector<Ticket> first = Tickets(kOrder);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(Published().empty());

  // A restarted process: a new service over the same store picks the job up after its backoff.
  service_ = MakeService();
  clock_.Advance(absl::Minutes(1));
  ASSERT_OK_AND_ASSIGN(done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  EXPECT_EQ(Tickets(kOrder), first);  // the same tickets, numbers and codes
  EXPECT_EQ(Published().size(), 1u);
  EXPECT_EQ(documents_.documents.size(), 1u);  // the same document written again
}

TEST_F(FulfillmentServiceTest, FailuresAreRetriedWithBackoffAndShown) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  documents_.failing = true;
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_OK_AND_ASSIGN(OrderTickets failed, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(failed.status, FulfillmentStatus::kFailed);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.pdf_url, "");

  documents_.failing = false;
  // Not before its backoff...
  ASSERT_OK_AND_ASSIGN(int early, service_->FulfillDue());
  EXPECT_EQ(early, 0);
  // ...and at once after it.
  clock_.Advance(absl::Seconds(3));
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  ASSERT_OK_AND_ASSIGN(OrderTickets issued, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(issued.status, FulfillmentStatus::kIssued);
  EXPECT_EQ(issued.attempts, 0);
}

TEST_F(FulfillmentServiceTest, BackoffGrowsAndIsCapped) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  facts_.SetAvailable(false);
  absl::Duration last = absl::ZeroDuration();
  for (int attempt = 1; attempt <= 12; ++attempt) {
    ASSERT_OK(service_->FulfillDue().status());
    ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->attempts, attempt);
    const absl::Duration wait = job->next_attempt_at - clock_.Now();
    EXPECT_GE(wait, last);
    EXPECT_LE(wait, absl::Minutes(10));
    last = wait;
    clock_.Advance(wait);
  }
  EXPECT_EQ(last, absl::Minutes(10));
}

TEST_F(FulfillmentServiceTest, CancellingASeatVoidsItsTicketAndReissuesTheRest) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket kept = TicketAt(kOrder, "A1");
  const Ticket cancelled = TicketAt(kOrder, "A2");

  facts_.CancelSeat(kOrder, "A2");
  events::Event event = Confirmed(kOrder);
  event.type = "order.cancelled.v1";
  ASSERT_OK(service_->OnOrderCancelled(event, kOrder, {120000, "BDT"}, "48h"));
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);

  EXPECT_EQ(TicketAt(kOrder, "A1"), kept);
  EXPECT_EQ(TicketAt(kOrder, "A2").status, TicketStatus::kVoid);
  ASSERT_OK_AND_ASSIGN(Document pdf, service_->OrderPdf(kOrder));
  EXPECT_NE(pdf.bytes.find("A1:"), std::string::npos);
  EXPECT_EQ(pdf.bytes.find("A2:"), std::string::npos);
  EXPECT_EQ(documents_.documents.size(), 1u);  // the first generation's PDF is gone
  EXPECT_THAT(service_->TicketPdf(cancelled.id), HasReason("ticket_void"));

  const std::vector<events::Event> events = Published();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, "tickets.voided.v1");
  ASSERT_OK_AND_ASSIGN(OrderTicketsChanged voided, kTicketsVoided.Read(events[1]));
  EXPECT_EQ(voided.refund, (Money{120000, "BDT"}));
  EXPECT_EQ(voided.tier, "48h");
  EXPECT_EQ(voided.total, (Money{150000, "BDT"}));
  ASSERT_EQ(notifications_.notices.size(), 2u);
  EXPECT_EQ(notifications_.notices[1].kind, "tickets_cancelled");
  EXPECT_EQ(notifications_.notices[1].key, absl::StrCat("tickets/", kOrder, "/2"));

  EXPECT_EQ(Scan(cancelled.qr).outcome, ScanOutcome::kVoid);
  EXPECT_EQ(Scan(kept.qr).outcome, ScanOutcome::kBoarded);
}

TEST_F(FulfillmentServiceTest, AnOrderFullyCancelledHasNoPdf) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  facts_.CancelSeat(kOrder, "A1");
  ASSERT_OK(
      service_->OnOrderCancelled(Confirmed(kOrder), kOrder, {150000, "BDT"}, "trip_cancelled"));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_EQ(notifications_.notices.size(), 2u);
  EXPECT_EQ(notifications_.notices[1].kind, "trip_cancelled");
  EXPECT_TRUE(notifications_.notices[1].attachments.empty());
  ASSERT_OK_AND_ASSIGN(OrderTickets tickets, service_->TicketsOfOrder(kOrder));
  EXPECT_EQ(tickets.pdf_url, "");
  EXPECT_THAT(service_->OrderPdf(kOrder), HasReason("tickets_not_issued"));
  EXPECT_TRUE(documents_.documents.empty());
}

TEST_F(FulfillmentServiceTest, AnUnpaidOrderIsNeverTicketed) {
  order::OrderView order = PaidOrder(kOrder, {"A1"});
  order.status = order::OrderStatus::kExpired;
  facts_.Put(order);
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  EXPECT_TRUE(Tickets(kOrder).empty());
}

TEST_F(FulfillmentServiceTest, AnEventNamingAnotherOperatorIsNotBelieved) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  // A forged or mistaken event comes first, naming the wrong operator...
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder, kOtherOrg), kOrder));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  // ...yet the order is ticketed, once, as the order service says: for its own operator.
  const std::vector<Ticket> tickets = Tickets(kOrder);
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].org_id, kOrg);
  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->org_id, kOrg);
  EXPECT_EQ(job->status, FulfillmentStatus::kIssued);
  ASSERT_EQ(Published().size(), 1u);
  EXPECT_EQ(Published()[0].org_id, kOrg);
}

TEST_F(FulfillmentServiceTest, AJobThatKeepsFailingWaitsForAPersonOrTheNextChange) {
  service_ = MakeService({.public_url = "https://tickets.example", .max_attempts = 3});
  // An event for an order that was never paid (forged, or a bug upstream).
  order::OrderView unpaid = PaidOrder(kOrder, {"A1"});
  unpaid.status = order::OrderStatus::kPendingPayment;
  facts_.Put(unpaid);
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK(service_->FulfillDue().status());
    clock_.Advance(absl::Hours(1));
  }
  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->attempts, 3);  // not one more
  EXPECT_EQ(job->status, FulfillmentStatus::kFailed);
  clock_.Advance(absl::Hours(24 * 30));
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 0);
  ASSERT_OK_AND_ASSIGN(job, sql_store_->FindJob(kOrder));
  EXPECT_EQ(job->attempts, 3);
  // The order's next change (it is paid now) tries again at once.
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  EXPECT_EQ(Tickets(kOrder).size(), 1u);
}

TEST_F(FulfillmentServiceTest, AnEventArrivingDuringAFailedAttemptIsNotLost) {
  service_ = MakeService({.public_url = "https://tickets.example", .max_attempts = 1});
  order::OrderView unpaid = PaidOrder(kOrder, {"A1"});
  unpaid.status = order::OrderStatus::kPendingPayment;
  facts_.Put(unpaid);
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  // While the attempt fails (and gives up), the order is paid and its event arrives.
  store_->before_fail = [&] {
    facts_.Put(PaidOrder(kOrder, {"A1"}));
    ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  };
  ASSERT_OK(service_->FulfillDue().status());
  // The failure of the older request does not bury the newer one.
  ASSERT_OK(service_->FulfillDue().status());
  EXPECT_EQ(Tickets(kOrder).size(), 1u);
}

TEST_F(FulfillmentServiceTest, ScansBoardOnceAndSayWhy) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket ticket = TicketAt(kOrder, "A1");

  const ScanResult first = Scan(ticket.qr);
  EXPECT_EQ(first.outcome, ScanOutcome::kBoarded);
  EXPECT_EQ(first.ticket_id, ticket.id);
  EXPECT_EQ(first.passenger, "Passenger 1");
  ASSERT_TRUE(first.boarded_at.has_value());

  clock_.Advance(absl::Minutes(2));
  const ScanResult second = Scan(ticket.qr);
  EXPECT_EQ(second.outcome, ScanOutcome::kAlreadyBoarded);
  EXPECT_EQ(second.boarded_at, first.boarded_at);
  // The boarding is published once, for reporting's no-shows; the second scan boards no one.
  std::vector<events::Event> boardings;
  for (const events::Event& event : Published()) {
    if (event.type == kTicketBoarded.type) boardings.push_back(event);
  }
  ASSERT_EQ(boardings.size(), 1u);
  EXPECT_EQ(boardings[0].org_id, kOrg);
  ASSERT_OK_AND_ASSIGN(const TicketBoarded boarded, kTicketBoarded.Read(boardings[0]));
  EXPECT_EQ(boarded, (TicketBoarded{.ticket_id = ticket.id,
                                    .order_id = kOrder,
                                    .trip_id = kTrip,
                                    .seat = "A1",
                                    .boarded_at = *first.boarded_at}));

  EXPECT_EQ(Scan(ticket.qr, kOtherTrip).outcome, ScanOutcome::kWrongTrip);
  EXPECT_EQ(Scan("v4.public.garbage").outcome, ScanOutcome::kInvalid);
  // Another operator's conductor learns nothing of the ticket.
  auto foreign = service_->Board(
      {.org_id = kOtherOrg, .scanned_by = "x", .scans = {{.qr = ticket.qr, .trip_id = ""}}});
  ASSERT_OK(foreign);
  EXPECT_EQ(foreign->front().outcome, ScanOutcome::kInvalid);
  EXPECT_EQ(foreign->front().ticket_id, "");
  // ...and cannot name a trip that is not its own.
  EXPECT_THAT(
      service_->Board(
          {.org_id = kOtherOrg, .scanned_by = "x", .scans = {{.qr = ticket.qr, .trip_id = kTrip}}}),
      HasReason("trip_not_found"));
}

TEST_F(FulfillmentServiceTest, OfflineScansOfTwoDevicesKeepTheFirst) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket ticket = TicketAt(kOrder, "A1");
  clock_.Set(ticket.departure);
  const absl::Time early = clock_.Now() - absl::Minutes(30);
  const absl::Time late = clock_.Now() - absl::Minutes(10);

  // The later scan's device syncs first...
  auto later =
      service_->Board({.org_id = kOrg,
                       .scanned_by = "conductor-2",
                       .scans = {{.qr = ticket.qr, .device_id = "phone-2", .scanned_at = late}}});
  ASSERT_OK(later);
  EXPECT_EQ(later->front().outcome, ScanOutcome::kBoarded);
  // ...then the earlier one: the ticket's record becomes the first scan, when and by whom, but
  // the answer says the passenger was on board already (no second boarding).
  auto earlier =
      service_->Board({.org_id = kOrg,
                       .scanned_by = "conductor-1",
                       .scans = {{.qr = ticket.qr, .device_id = "phone-1", .scanned_at = early}}});
  ASSERT_OK(earlier);
  EXPECT_EQ(earlier->front().outcome, ScanOutcome::kAlreadyBoarded);
  EXPECT_EQ(earlier->front().boarded_at, early);
  const Ticket boarded = TicketAt(kOrder, "A1");
  EXPECT_EQ(boarded.boarded_at, early);
  EXPECT_EQ(boarded.boarded_by, "conductor-1@phone-1");
  // A third, later scan changes nothing.
  auto third =
      service_->Board({.org_id = kOrg,
                       .scanned_by = "conductor-2",
                       .scans = {{.qr = ticket.qr, .device_id = "phone-2", .scanned_at = late}}});
  ASSERT_OK(third);
  EXPECT_EQ(third->front().outcome, ScanOutcome::kAlreadyBoarded);
  EXPECT_EQ(third->front().boarded_at, early);
  EXPECT_EQ(TicketAt(kOrder, "A1").boarded_by, "conductor-1@phone-1");
}

TEST_F(FulfillmentServiceTest, AFutureDatedOfflineScanCannotLetASecondPassengerBoard) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket ticket = TicketAt(kOrder, "A1");
  clock_.Set(ticket.departure - absl::Minutes(20));
  // A device a few minutes ahead syncs its scan: believed, and recorded at our time...
  const ScanResult synced = Scan(ticket.qr, "", clock_.Now() + absl::Minutes(4));
  EXPECT_EQ(synced.outcome, ScanOutcome::kBoarded);
  EXPECT_EQ(synced.boarded_at, clock_.Now());
  // ...so a copy of the code shown at the door a minute later does not board anyone.
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Scan(ticket.qr).outcome, ScanOutcome::kAlreadyBoarded);
  EXPECT_EQ(TicketAt(kOrder, "A1").boarded_at, synced.boarded_at);
}

TEST_F(FulfillmentServiceTest, AnOfflineScanCountsOnlyInTheBoardingWindow) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  const Ticket ticket = TicketAt(kOrder, "A1");
  // Days before the departure, and long before the boarding window at the departure.
  EXPECT_EQ(Scan(ticket.qr, "", absl::UnixEpoch()).outcome, ScanOutcome::kInvalid);
  clock_.Set(ticket.departure - absl::Hours(1));
  EXPECT_EQ(Scan(ticket.qr, "", ticket.departure - absl::Hours(4)).outcome, ScanOutcome::kInvalid);
  // Ahead of our clock by more than a clock's drift.
  EXPECT_EQ(Scan(ticket.qr, "", clock_.Now() + absl::Minutes(30)).outcome, ScanOutcome::kInvalid);
  EXPECT_EQ(TicketAt(kOrder, "A1").status, TicketStatus::kIssued);
  // In the window, it boards at the time the device saw.
  const absl::Time seen = ticket.departure - absl::Hours(2);
  const ScanResult scan = Scan(ticket.qr, "", seen);
  EXPECT_EQ(scan.outcome, ScanOutcome::kBoarded);
  EXPECT_EQ(scan.boarded_at, seen);
}

TEST_F(FulfillmentServiceTest, PdfLinksWorkUntilTheyExpireAndOnlyForTheirResource) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_OK_AND_ASSIGN(OrderTickets tickets, service_->TicketsOfOrder(kOrder));
  const std::string url = tickets.pdf_url;
  const std::string expires =
      url.substr(url.find("expires=") + 8, url.find('&') - url.find("expires=") - 8);
  const std::string signature = url.substr(url.find("signature=") + 10);
  const std::string resource = absl::StrCat("orders/", kOrder, "/tickets.pdf");
  EXPECT_OK(service_->CheckLink(resource, expires, signature));
  EXPECT_THAT(
      service_->CheckLink(absl::StrCat("orders/", kOrder, "x/tickets.pdf"), expires, signature),
      HasReason("invalid_link"));
  EXPECT_THAT(service_->CheckLink(resource, std::to_string(std::stoll(expires) + 3600), signature),
              HasReason("invalid_link"));
  EXPECT_THAT(service_->CheckLink(resource, expires, signature.substr(1) + "0"),
              HasReason("invalid_link"));
  EXPECT_THAT(service_->CheckLink(resource, "", ""), HasReason("invalid_link"));
  EXPECT_THAT(service_->CheckLink(resource, "12x", signature), HasReason("invalid_link"));
  clock_.Advance(absl::Hours(170));
  EXPECT_THAT(service_->CheckLink(resource, expires, signature), HasReason("invalid_link"));
}

TEST_F(FulfillmentServiceTest, TheManageLinkOpensTheBookingUntilAfterDepartureAndNothingElse) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_EQ(notifications_.notices.size(), 1u);
  ASSERT_OK_AND_ASSIGN(OrderTicketsChanged data,
                       DecodeOrderTicketsChanged(notifications_.notices[0].data));
  // The traveller app's page of the order, on the public address.
  const std::string url = data.manage_url;
  ASSERT_TRUE(url.starts_with(absl::StrCat("https://tickets.example/orders/", kOrder, "?expires=")))
      << url;
  const std::string expires =
      url.substr(url.find("expires=") + 8, url.find('&') - url.find("expires=") - 8);
  const std::string signature = url.substr(url.find("signature=") + 10);
  const std::string resource = ManageLinkResource(kOrder);
  EXPECT_OK(service_->CheckLink(resource, expires, signature));
  // Its signature opens neither the PDF nor another order, and a PDF link does not open it.
  EXPECT_THAT(
      service_->CheckLink(absl::StrCat("orders/", kOrder, "/tickets.pdf"), expires, signature),
      HasReason("invalid_link"));
  EXPECT_THAT(service_->CheckLink(ManageLinkResource("another-order"), expires, signature),
              HasReason("invalid_link"));
  ASSERT_OK_AND_ASSIGN(OrderTickets tickets, service_->TicketsOfOrder(kOrder));
  const std::string pdf = tickets.pdf_url;
  EXPECT_THAT(
      service_->CheckLink(
          resource, pdf.substr(pdf.find("expires=") + 8, pdf.find('&') - pdf.find("expires=") - 8),
          pdf.substr(pdf.find("signature=") + 10)),
      HasReason("invalid_link"));
  // It works through the journey (two days past the PDF link's end here), until a day after.
  const absl::Time departure = TicketAt(kOrder, "A1").departure;
  clock_.Set(departure + absl::Hours(23));
  EXPECT_OK(service_->CheckLink(resource, expires, signature));
  clock_.Set(departure + absl::Hours(26));
  EXPECT_THAT(service_->CheckLink(resource, expires, signature), HasReason("invalid_link"));
}

TEST_F(FulfillmentServiceTest, TheBoardingPackListsTheTripsTicketsAndKeys) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_OK_AND_ASSIGN(BoardingPack pack, service_->Pack(kOrg, kTrip, {.user_id = "manager"}));
  EXPECT_EQ(pack.tickets.size(), 2u);
  EXPECT_EQ(pack.keys.size(), keys_->public_keys().size());
  EXPECT_THAT(service_->Pack(kOtherOrg, kTrip, {.user_id = "manager"}),
              HasReason("trip_not_found"));
}

TEST_F(FulfillmentServiceTest, AConductorBoardsOnlyOnTheTripsTheyCrew) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  facts_.Put(PaidOrder(kOtherOrder, {"A3"}, kOrg, kOtherTrip));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOtherOrder), kOtherOrder));
  ASSERT_OK(service_->FulfillDue().status());
  facts_.AssignCrew(kTrip, "conductor-on-trip");
  const auto scan = [&](const std::string& who, const std::string& qr, const std::string& trip,
                        std::optional<absl::Time> at = std::nullopt) {
    return service_->Board({.org_id = kOrg,
                            .scanned_by = who,
                            .crew_only = true,
                            .scans = {{.qr = qr, .trip_id = trip, .scanned_at = at}}});
  };
  // Not on the crew: the door scan is refused, and so is the boarding pack.
  EXPECT_THAT(scan("conductor-elsewhere", TicketAt(kOrder, "A1").qr, kTrip),
              HasReason("not_on_crew"));
  EXPECT_THAT(service_->Pack(kOrg, kTrip, {.user_id = "conductor-elsewhere", .crew_only = true}),
              HasReason("not_on_crew"));
  EXPECT_EQ(TicketAt(kOrder, "A1").status, TicketStatus::kIssued);
  // On the crew: boards, and gets the pack.
  ASSERT_OK_AND_ASSIGN(auto boarded, scan("conductor-on-trip", TicketAt(kOrder, "A1").qr, kTrip));
  EXPECT_EQ(boarded.front().outcome, ScanOutcome::kBoarded);
  EXPECT_OK(service_->Pack(kOrg, kTrip, {.user_id = "conductor-on-trip", .crew_only = true}));
  // An offline scan names no trip: a ticket of a trip they do not crew is not theirs to board.
  clock_.Set(TicketAt(kOtherOrder, "A3").departure - absl::Minutes(10));
  ASSERT_OK_AND_ASSIGN(auto offline, scan("conductor-on-trip", TicketAt(kOtherOrder, "A3").qr, "",
                                          clock_.Now() - absl::Minutes(1)));
  EXPECT_EQ(offline.front().outcome, ScanOutcome::kWrongTrip);
  EXPECT_EQ(TicketAt(kOtherOrder, "A3").status, TicketStatus::kIssued);
  // A manager boards on any trip of theirs.
  ASSERT_OK_AND_ASSIGN(
      auto managed,
      service_->Board({.org_id = kOrg,
                       .scanned_by = "manager",
                       .scans = {{.qr = TicketAt(kOtherOrder, "A3").qr, .trip_id = kOtherTrip}}}));
  EXPECT_EQ(managed.front().outcome, ScanOutcome::kBoarded);
}

TEST_F(FulfillmentServiceTest, ATypedNumberBoardsOnlyOnItsTripInTheBoardingWindow) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  facts_.Put(PaidOrder(kOtherOrder, {"A3"}, kOrg, kOtherTrip));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOtherOrder), kOtherOrder));
  ASSERT_OK(service_->FulfillDue().status());
  facts_.CancelSeat(kOrder, "A2");
  events::Event cancelled = Confirmed(kOrder);
  cancelled.type = "order.cancelled.v1";
  ASSERT_OK(service_->OnOrderCancelled(cancelled, kOrder, {120000, "BDT"}, "48h"));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_EQ(TicketAt(kOrder, "A2").status, TicketStatus::kVoid);
  const Ticket ticket = TicketAt(kOrder, "A1");
  const auto typed = [&](const std::string& number, const std::string& trip,
                         std::optional<absl::Time> at = std::nullopt) {
    auto results =
        service_->Board({.org_id = kOrg,
                         .scanned_by = "conductor-1",
                         .scans = {{.number = number, .trip_id = trip, .scanned_at = at}}});
    EXPECT_OK(results);
    return results.ok() ? results->front() : ScanResult{};
  };
  // Days before departure: no code's expiry, but the boarding window, says no.
  EXPECT_EQ(typed(ticket.number, kTrip).outcome, ScanOutcome::kInvalid);
  clock_.Set(ticket.departure - absl::Minutes(10));
  // Another trip's number, or a number without the trip it is boarded on, boards nobody.
  EXPECT_EQ(typed(TicketAt(kOtherOrder, "A3").number, kTrip).outcome, ScanOutcome::kInvalid);
  EXPECT_EQ(typed(ticket.number, "").outcome, ScanOutcome::kInvalid);
  EXPECT_EQ(typed("", kTrip).outcome, ScanOutcome::kInvalid);
  EXPECT_EQ(TicketAt(kOrder, "A1").status, TicketStatus::kIssued);
  // Written as people write it: lower case, spaces instead of the dash.
  std::string spoken = absl::AsciiStrToLower(ticket.number);
  std::replace(spoken.begin(), spoken.end(), '-', ' ');
  const ScanResult boarded = typed(spoken, kTrip);
  EXPECT_EQ(boarded.outcome, ScanOutcome::kBoarded);
  EXPECT_EQ(boarded.ticket_id, ticket.id);
  EXPECT_EQ(boarded.seat, "A1");
  // First scan wins whichever way it came: the code after the number finds it boarded.
  EXPECT_EQ(typed(ticket.number, kTrip).outcome, ScanOutcome::kAlreadyBoarded);
  EXPECT_EQ(Scan(ticket.qr).outcome, ScanOutcome::kAlreadyBoarded);
  // A cancelled seat's number is void.
  const std::string voided = TicketAt(kOrder, "A2").number;
  EXPECT_EQ(typed(voided, kTrip).outcome, ScanOutcome::kVoid);
}

TEST_F(FulfillmentServiceTest, RacingWorkersIssueEachSeatOnce) {
  for (int i = 0; i < 6; ++i) {
    const std::string id = absl::StrCat("0193a0b4-0000-7000-8000-0000000001", 10 + i);
    facts_.Put(PaidOrder(id, {"A1", "A2", "A3"}));
    ASSERT_OK(service_->OnOrderConfirmed(Confirmed(id), id));
  }
  auto other = MakeService();
  std::thread a([&] { EXPECT_OK(service_->FulfillDue().status()); });
  std::thread b([&] { EXPECT_OK(other->FulfillDue().status()); });
  a.join();
  b.join();
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(Tickets(absl::StrCat("0193a0b4-0000-7000-8000-0000000001", 10 + i)).size(), 3u);
  }
  EXPECT_EQ(Published().size(), 6u);
}

// A worker paused inside a dependency call, and the way to let it go: joined at the end of the
// scope whatever the test asserted meanwhile.
class PausedWorker {
 public:
  PausedWorker(FakeFacts& facts, std::function<void()> work) {
    facts.PauseNextTrip([this] {
      paused_.set_value();
      resume_future_.wait();
    });
    thread_ = std::thread(std::move(work));
  }
  ~PausedWorker() { Resume(); }
  bool WaitUntilPaused() {
    return paused_future_.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  }
  void Resume() {
    if (!resumed_) {
      resumed_ = true;
      resume_.set_value();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::promise<void> paused_;
  std::future<void> paused_future_ = paused_.get_future();
  std::promise<void> resume_;
  std::shared_future<void> resume_future_ = resume_.get_future().share();
  bool resumed_ = false;
  std::thread thread_;
};

// A worker that read the order while it was paid, then paused, must not issue from that view
// once the order is cancelled: the cancellation's generation is done from the order as it is
// (no ticket, one cancellation message, no issue message after it).
TEST_F(FulfillmentServiceTest, AWorkerOvertakenByACancellationIssuesNothingFromItsOldView) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  PausedWorker stale(facts_, [&] { EXPECT_OK(service_->FulfillDue().status()); });
  ASSERT_TRUE(stale.WaitUntilPaused());

  // Meanwhile the traveller cancels the whole order, and its event arrives.
  facts_.CancelSeat(kOrder, "A1");
  facts_.CancelSeat(kOrder, "A2");
  events::Event cancelled = Confirmed(kOrder);
  cancelled.type = "order.cancelled.v1";
  ASSERT_OK(service_->OnOrderCancelled(cancelled, kOrder, {300000, "BDT"}, "48h"));
  // Another worker finds the job held: it waits for the holder to let go.
  auto other = MakeService();
  ASSERT_OK_AND_ASSIGN(int taken, other->FulfillDue());
  EXPECT_EQ(taken, 0);

  stale.Resume();
  ASSERT_OK_AND_ASSIGN(int done, other->FulfillDue());
  EXPECT_EQ(done, 1);

  EXPECT_TRUE(Tickets(kOrder).empty());
  std::vector<std::string> kinds;
  for (const auto& notice : notifications_.notices) kinds.push_back(notice.kind);
  EXPECT_EQ(kinds, std::vector<std::string>{"tickets_cancelled"});
  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->done_generation, 2);
  EXPECT_EQ(job->notified_generation, 2);
}

// A worker whose lease ran out while it waited on a dependency finds another worker holding
// the job: its failure is not recorded against the job the other finished.
TEST_F(FulfillmentServiceTest, AWorkerWhoseLeaseRanOutCannotMarkTheFinishedJobFailed) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  PausedWorker slow(facts_, [&] { EXPECT_OK(service_->FulfillDue().status()); });
  ASSERT_TRUE(slow.WaitUntilPaused());
  clock_.Advance(absl::Minutes(2) + absl::Seconds(1));  // past the first worker's lease
  auto other = MakeService();
  ASSERT_OK_AND_ASSIGN(int done, other->FulfillDue());
  EXPECT_EQ(done, 1);
  ASSERT_EQ(Tickets(kOrder).size(), 1u);
  const Ticket issued = Tickets(kOrder).front();

  facts_.SetAvailable(false);  // the slow worker's call fails, after its lease ended
  slow.Resume();
  facts_.SetAvailable(true);

  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, FulfillmentStatus::kIssued);
  EXPECT_EQ(job->done_generation, 1);
  EXPECT_EQ(job->notified_generation, 1);
  EXPECT_EQ(job->attempts, 0);
  EXPECT_EQ(Tickets(kOrder), std::vector<Ticket>{issued});
  EXPECT_EQ(Published().size(), 1u);
}

// A worker whose lease ran out while it rendered, another worker having taken the job and sent
// the traveller its own rendering meanwhile, stops before writing: the stored document is the
// one the traveller was sent.
TEST_F(FulfillmentServiceTest, AWorkerWhoseLeaseRanOutWhileRenderingNeverReplacesTheSentDocument) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  auto other = MakeService();
  int taken_meanwhile = -1;
  renderer_.before_next_render = [&] {
    clock_.Advance(absl::Minutes(3));  // past the lease (2 min)
    auto taken = other->FulfillDue();
    taken_meanwhile = taken.ok() ? *taken : -2;
  };
  ASSERT_OK(service_->FulfillDue().status());
  EXPECT_EQ(taken_meanwhile, 1);
  EXPECT_EQ(renderer_.calls, 2);
  ASSERT_EQ(notifications_.notices.size(), 1u);
  ASSERT_EQ(notifications_.notices[0].attachments.size(), 1u);
  ASSERT_EQ(documents_.documents.size(), 1u);
  EXPECT_EQ(documents_.documents.begin()->second, notifications_.notices[0].attachments[0].bytes);
  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->notified_generation, 1);
  EXPECT_EQ(Published().size(), 1u);
}

// An order slower than one lease in all (its trip read slowly, then a slow rendering) but
// never slower than a lease per step stays with its worker: each step renews the claim, so a
// second worker does not take it over and neither finishes it (which, two workers in turn,
// would repeat forever).
TEST_F(FulfillmentServiceTest, ASlowOrderKeepsItsWorkerWhileEachStepFitsTheLease) {
  facts_.Put(PaidOrder(kOrder, {"A1"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  auto other = MakeService();
  int taken_meanwhile = -1;
  facts_.PauseNextTrip([&] { clock_.Advance(absl::Seconds(90)); });
  renderer_.before_next_render = [&] {
    clock_.Advance(absl::Seconds(90));  // 180 s since the claim; 90 s since the last renewal
    auto taken = other->FulfillDue();
    taken_meanwhile = taken.ok() ? *taken : -2;
  };
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(taken_meanwhile, 0);
  EXPECT_EQ(done, 1);
  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, FulfillmentStatus::kIssued);
  EXPECT_EQ(job->notified_generation, 1);
}

// A job told of its latest generation is no longer looked at by claims; a new change of the
// order makes it due again at once.
TEST_F(FulfillmentServiceTest, AFinishedJobIsParkedUntilTheOrderChanges) {
  facts_.Put(PaidOrder(kOrder, {"A1", "A2"}));
  ASSERT_OK(service_->OnOrderConfirmed(Confirmed(kOrder), kOrder));
  ASSERT_OK(service_->FulfillDue().status());
  ASSERT_OK_AND_ASSIGN(std::optional<Job> job, sql_store_->FindJob(kOrder));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->next_attempt_at, absl::FromUnixMicros(std::numeric_limits<int64_t>::max()));

  facts_.CancelSeat(kOrder, "A2");
  events::Event cancelled = Confirmed(kOrder);
  cancelled.type = "order.cancelled.v1";
  ASSERT_OK(service_->OnOrderCancelled(cancelled, kOrder, {120000, "BDT"}, "48h"));
  ASSERT_OK_AND_ASSIGN(int done, service_->FulfillDue());
  EXPECT_EQ(done, 1);
  EXPECT_EQ(TicketAt(kOrder, "A2").status, TicketStatus::kVoid);
}

// An order fraud held and staff rejected (or nobody reviewed): the traveller is told once that
// nothing was charged; an approval, or another operator's event, tells nobody anything.
TEST_F(FulfillmentServiceTest, ATravellerWhoseHeldOrderWasNotAcceptedIsToldOnce) {
  order::OrderView held = PaidOrder(kOrder, {"A1", "A2"});
  held.status = order::OrderStatus::kExpired;
  held.total = {300000, "BDT"};
  facts_.Put(held);
  ASSERT_OK(service_->OnOrderReviewed(Confirmed(kOrder), kOrder, "approved"));
  EXPECT_TRUE(notifications_.notices.empty());
  ASSERT_OK(service_->OnOrderReviewed(Confirmed(kOrder, "0193a0b4-0000-7000-8000-00000000000b"),
                                      kOrder, "rejected"));
  EXPECT_TRUE(notifications_.notices.empty());

  ASSERT_OK(service_->OnOrderReviewed(Confirmed(kOrder), kOrder, "rejected"));
  ASSERT_OK(service_->OnOrderReviewed(Confirmed(kOrder), kOrder, "rejected"));  // redelivered
  ASSERT_EQ(notifications_.notices.size(), 1u);
  const notification::Notice& notice = notifications_.notices[0];
  EXPECT_EQ(notice.kind, "order_not_accepted");
  EXPECT_EQ(notice.key, absl::StrCat("order-not-accepted/", kOrder));
  EXPECT_TRUE(notice.attachments.empty());
  EXPECT_FALSE(notice.email.empty());
  EXPECT_EQ(notice.phone, "");  // never a paid text message for an unpaid order
  ASSERT_OK_AND_ASSIGN(OrderTicketsChanged data, DecodeOrderTicketsChanged(notice.data));
  EXPECT_TRUE(data.tickets.empty());
  EXPECT_EQ(data.order_id, kOrder);
  EXPECT_FALSE(data.operator_name.empty());
  EXPECT_EQ(data.total, (Money{300000, "BDT"}));
  // Nothing was issued for it.
  auto tickets = service_->TicketsOfOrder(kOrder);
  EXPECT_TRUE(!tickets.ok() || tickets->tickets.empty());
}

}  // namespace
}  // namespace travio::fulfillment
