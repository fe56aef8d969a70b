#pragma once

// The order service's fixture, shared by its suites: the real SQL store (SQLite), and scripted
// inventory and payment services behind their ports that log what they were asked.

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "platform/base/errors.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/order/app/order_service.h"
#include "services/order/storage/sql_order_store.h"

namespace travio::order {

inline const absl::Time kStart = absl::FromUnixSeconds(1'767'225'600);  // 2026-01-01T00:00:00Z

// What the scripted services were asked, in order, across both.
struct CallLog {
  std::mutex mutex;
  std::vector<std::string> calls;
  void Add(std::string call) {
    std::lock_guard lock(mutex);
    calls.push_back(std::move(call));
  }
  int Count(const std::string& call) {
    std::lock_guard lock(mutex);
    return static_cast<int>(std::count(calls.begin(), calls.end(), call));
  }
};

// Inventory holding seats A1, A2 for five minutes; ConfirmHold answers from a script, then
// judges the hold by the clock like the real one.
class ScriptedInventory final : public inventory::InventoryClient {
 public:
  ScriptedInventory(CallLog& log, ManualClock& clock) : log_(log), clock_(clock) {
    hold_.hold_id = "hold-1";
    hold_.trip_id = "trip-1";
    hold_.org_id = "org-1";
    hold_.holder = "buyer";
    hold_.seats = {"A1", "A2"};
    hold_.from = "DHK";
    hold_.to = "CTG";
    hold_.expires_at = kStart + absl::Minutes(5);
    hold_.prices = {{"A1", 90000, "BDT"}, {"A2", 90000, "BDT"}};
    hold_.total = {180000, "BDT"};
  }

  std::deque<absl::Status> confirm_script;
  // Runs while a hold is being confirmed (something else happening to the order meanwhile).
  std::function<void()> during_confirm;
  // Answers of the next booking cancellations (OK once they run out).
  std::deque<absl::Status> cancel_script;

  // The trip's seat map, once a test sets it.
  std::optional<inventory::SeatMap> seat_map;
  std::string seat_map_journey;  // "from-to" of the last seat map asked for
  absl::StatusOr<inventory::SeatMap> GetSeatMap(const std::string&, const std::string& from,
                                                const std::string& to) override {
    seat_map_journey = from + "-" + to;
    if (seat_map) return *seat_map;
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<inventory::TripQuote> QuoteSeats(const inventory::QuoteCommand&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<inventory::HoldView> HoldSeats(const inventory::HoldCommand&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<inventory::HoldView> GetHold(const std::string& holder,
                                              const std::string& hold_id) override {
    if (holder != hold_.holder || hold_id != hold_.hold_id) {
      return Error(absl::StatusCode::kNotFound, "hold_not_found", "no");
    }
    return hold_;
  }
  absl::Status ReleaseHold(const std::string&, const std::string& hold_id) override {
    log_.Add("inventory.release " + hold_id);
    return absl::OkStatus();
  }
  absl::StatusOr<inventory::BookingRecord> ConfirmHold(const std::string&, const std::string&,
                                                       const std::string& hold_id,
                                                       int64_t) override {
    log_.Add("inventory.confirm " + hold_id);
    if (during_confirm) std::exchange(during_confirm, nullptr)();
    if (!confirm_script.empty()) {
      absl::Status next = confirm_script.front();
      confirm_script.pop_front();
      if (!next.ok()) return next;
    }
    if (clock_.Now() >= hold_.expires_at) {
      return Error(absl::StatusCode::kFailedPrecondition, "hold_expired", "expired");
    }
    inventory::BookingRecord booking;
    booking.id = "booking-1";
    booking.trip_id = hold_.trip_id;
    booking.hold_id = hold_id;
    booking.seats = hold_.seats;
    return booking;
  }
  absl::StatusOr<inventory::BookingRecord> CancelBooking(const std::string&,
                                                         const std::string& booking_id,
                                                         const std::vector<std::string>&) override {
    log_.Add("inventory.cancel " + booking_id);
    if (!cancel_script.empty()) {
      absl::Status next = cancel_script.front();
      cancel_script.pop_front();
      if (!next.ok()) return next;
    }
    return inventory::BookingRecord{};
  }
  absl::StatusOr<inventory::BookingRecord> BlockSeats(const std::string&, const std::string&,
                                                      const std::vector<std::string>&,
                                                      const std::string&,
                                                      const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::Status UnblockSeats(const std::string&, const std::string&, const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<inventory::TripBlocks> ListBlocks(const std::string&,
                                                   const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }

 private:
  CallLog& log_;
  ManualClock& clock_;
  inventory::HoldView hold_;
};

// A payment service keeping one payment per key; how long authorizing takes, whether the card
// is declined and what capture answers are scripted.
class ScriptedPayments final : public payment::PaymentClient {
 public:
  ScriptedPayments(CallLog& log, ManualClock& clock) : log_(log), clock_(clock) {}

  absl::Duration authorize_takes = absl::ZeroDuration();
  std::string decline;
  absl::Status capture_answer = absl::OkStatus();
  // Runs while a capture is in flight (something else happening to the order meanwhile).
  std::function<void()> during_capture;
  // Answers of the next refunds (OK once they run out).
  std::deque<absl::Status> refund_script;

  absl::StatusOr<PaymentView> Authorize(const payment::AuthorizeCommand& command) override {
    std::lock_guard lock(mutex_);
    log_.Add("payment.authorize");
    clock_.Advance(authorize_takes);
    const std::string id = "payment-" + std::to_string(payments_.size() + 1);
    PaymentView payment{
        .id = id, .order_id = command.order_id, .status = payment::PaymentStatus::kAuthorized};
    payment.amount = command.amount;
    payment.method = command.method;
    payment.payer = command.payer;
    payment.card_fingerprint = "fingerprint-" + (command.card ? command.card->number : "none");
    if (!decline.empty()) {
      payment.status = payment::PaymentStatus::kFailed;
      payment.failure_code = decline;
    }
    payments_.push_back(payment);
    return payment;
  }
  absl::StatusOr<PaymentView> Capture(const std::string& payment_id) override {
    log_.Add("payment.capture " + payment_id);
    if (during_capture) std::exchange(during_capture, nullptr)();
    if (!capture_answer.ok()) return capture_answer;
    return Set(payment_id, payment::PaymentStatus::kCaptured);
  }
  absl::StatusOr<PaymentView> Void(const std::string& payment_id) override {
    log_.Add("payment.void " + payment_id);
    return Set(payment_id, payment::PaymentStatus::kVoided);
  }
  // One refund per key, as the real service keeps them.
  absl::StatusOr<RefundView> Refund(const std::string& payment_id, int64_t amount,
                                    const std::string& key, const std::string& reason) override {
    std::lock_guard lock(mutex_);
    log_.Add("payment.refund " + std::to_string(amount) + " " + reason);
    if (!refund_script.empty()) {
      absl::Status next = refund_script.front();
      refund_script.pop_front();
      if (!next.ok()) return next;
    }
    if (auto it = refunds_.find(key); it != refunds_.end()) return it->second;
    RefundView refund{.id = "refund-" + std::to_string(refunds_.size() + 1),
                      .payment_id = payment_id,
                      .order_id = "",
                      .status = payment::RefundStatus::kSucceeded,
                      .amount = {amount, "BDT"},
                      .reason = reason};
    refunds_[key] = refund;
    return refund;
  }
  int64_t Refunded() {
    std::lock_guard lock(mutex_);
    int64_t total = 0;
    for (const auto& [key, refund] : refunds_) total += refund.amount.amount;
    return total;
  }
  absl::StatusOr<PaymentView> GetPayment(const std::string& payment_id) override {
    std::lock_guard lock(mutex_);
    for (const PaymentView& payment : payments_) {
      if (payment.id == payment_id) return payment;
    }
    return Error(absl::StatusCode::kNotFound, "payment_not_found", "no");
  }
  absl::StatusOr<std::vector<PaymentView>> PaymentsOfOrder(const std::string&) override {
    std::lock_guard lock(mutex_);
    return payments_;
  }
  absl::StatusOr<std::vector<RefundView>> RefundsOfOrder(const std::string&) override {
    return std::vector<RefundView>{};
  }
  absl::StatusOr<std::vector<payment::Mismatch>> MismatchesOfOrg(const std::string&, absl::Time,
                                                                 int) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<RefundView> PayOutRefund(const std::string&, const std::string&,
                                          const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::Status HandleWebhook(const std::string&, const std::string&, const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<PaymentView> GetCheckout(const std::string&, const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<PaymentView> CompleteCheckout(const std::string&, const std::string&,
                                               bool) override {
    return absl::UnimplementedError("not scripted");
  }

 private:
  absl::StatusOr<PaymentView> Set(const std::string& payment_id, payment::PaymentStatus status) {
    std::lock_guard lock(mutex_);
    for (PaymentView& payment : payments_) {
      if (payment.id == payment_id) {
        payment.status = status;
        return payment;
      }
    }
    return Error(absl::StatusCode::kNotFound, "payment_not_found", "no");
  }

  CallLog& log_;
  ManualClock& clock_;
  std::mutex mutex_;
  std::vector<PaymentView> payments_;
  std::map<std::string, RefundView> refunds_;
};

// Refund policies an operator changes over time.
class ChangingPolicies final : public RefundPolicies {
 public:
  absl::StatusOr<std::optional<RefundPolicy>> Find(const std::string&) override { return own; }
  absl::Status Put(const std::string&, const RefundPolicy& policy, absl::Time) override {
    own = policy;
    return absl::OkStatus();
  }
  std::optional<RefundPolicy> own;
};

class FixedDepartures final : public Departures {
 public:
  absl::StatusOr<absl::Time> DepartureAt(const std::string&, const std::string&,
                                         const std::string&) override {
    return kStart + absl::Hours(72);
  }
};

// Fraud answering what the test scripts (allow, unless told otherwise), or failing as told.
class ScriptedFraud final : public fraud::FraudClient {
 public:
  explicit ScriptedFraud(CallLog& calls) : calls_(calls) {}

  absl::StatusOr<fraud::Assessment> Assess(const fraud::AssessRequest& request) override {
    calls_.Add("fraud");
    std::lock_guard lock(mutex_);
    last_ = request;
    if (!failure_.ok()) return failure_;
    return answer_;
  }
  absl::StatusOr<fraud::RiskSettings> GetSettings(const std::string&) override {
    return fraud::DefaultRiskSettings();
  }
  absl::StatusOr<fraud::RiskSettings> PutSettings(const std::string&,
                                                  const fraud::RiskSettings& settings) override {
    return settings;
  }

  void Answer(fraud::Decision decision, int score = 0,
              absl::Duration review_for = absl::Minutes(30)) {
    std::lock_guard lock(mutex_);
    answer_.decision = decision;
    answer_.score = score;
    answer_.reasons = {{.signal = "card_velocity", .weight = score, .detail = "scripted"}};
    answer_.review_for = review_for;
  }
  void Fail(absl::Status failure) {
    std::lock_guard lock(mutex_);
    failure_ = std::move(failure);
  }
  fraud::AssessRequest last() {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  CallLog& calls_;
  std::mutex mutex_;
  fraud::Assessment answer_;
  absl::Status failure_;
  fraud::AssessRequest last_;
};

// The operator's plan as the order service meets it: room for every booking until Fill(); what
// was reserved and given back is kept.
class BookingQuota final : public subscription::QuotaGate {
 public:
  absl::StatusOr<bool> Reserve(const subscription::QuotaUse& use) override {
    std::lock_guard lock(mutex_);
    if (!answer_.ok()) return answer_;
    reserved_.push_back(use.key);
    return true;
  }
  absl::Status Release(const subscription::QuotaUse& use) override {
    std::lock_guard lock(mutex_);
    released_.push_back(use.key);
    return absl::OkStatus();
  }
  void Fill() {
    std::lock_guard lock(mutex_);
    answer_ = WithProblemFields(Error(reasons::kPlanLimitReached, "The starter plan is full."),
                                {{"quota", "bookings_per_month"}, {"limit", int64_t{10}}});
  }
  void GoAway() {
    std::lock_guard lock(mutex_);
    answer_ = absl::UnavailableError("subscription is down");
  }
  std::vector<std::string> reserved() {
    std::lock_guard lock(mutex_);
    return reserved_;
  }
  std::vector<std::string> released() {
    std::lock_guard lock(mutex_);
    return released_;
  }

 private:
  std::mutex mutex_;
  absl::Status answer_;
  std::vector<std::string> reserved_;
  std::vector<std::string> released_;
};

// The real store, with a hook run when a saga is woken: another runner (the recovery loop of
// this or another process) acting at that very moment; and one that hides a hold's order from
// the next lookups, as a racing request storing it just after them would.
class StoreWithWakeHook final : public OrderStore {
 public:
  explicit StoreWithWakeHook(std::unique_ptr<OrderStore> store) : store_(std::move(store)) {}

  std::function<void()> after_wake;
  int hide_order_of_hold = 0;  // lookups by hold still to answer "none"

  absl::Status WakeSaga(const std::string& saga_id, absl::Time now) override {
    absl::Status woken = store_->WakeSaga(saga_id, now);
    if (after_wake) std::exchange(after_wake, nullptr)();
    return woken;
  }

  absl::Status CreateOrder(const OrderRecord& order, const events::Event& event) override {
    return store_->CreateOrder(order, event);
  }
  absl::StatusOr<std::optional<OrderRecord>> FindOrder(const std::string& order_id) override {
    return store_->FindOrder(order_id);
  }
  absl::StatusOr<std::optional<OrderRecord>> FindOrderByHold(const std::string& hold_id) override {
    if (hide_order_of_hold > 0) {
      --hide_order_of_hold;
      return std::nullopt;
    }
    return store_->FindOrderByHold(hold_id);
  }
  absl::StatusOr<std::vector<OrderRecord>> OrdersOfBuyer(const std::string& buyer, int limit,
                                                         const std::string& before_id) override {
    return store_->OrdersOfBuyer(buyer, limit, before_id);
  }
  absl::StatusOr<std::vector<OrderRecord>> OrdersOnTrip(
      const std::string& trip_id, const std::vector<OrderStatus>& statuses) override {
    return store_->OrdersOnTrip(trip_id, statuses);
  }
  absl::StatusOr<std::vector<OrderRecord>> OrdersOfOrgIn(OrderStatus status,
                                                         const std::string& org_id, int limit,
                                                         const std::string& after_id) override {
    return store_->OrdersOfOrgIn(status, org_id, limit, after_id);
  }
  absl::StatusOr<std::vector<OrderRecord>> OrdersOfOrg(const OrgOrderQuery& query,
                                                       int limit) override {
    return store_->OrdersOfOrg(query, limit);
  }
  absl::StatusOr<std::vector<SalesTotal>> SalesOfOrgSince(const std::string& org_id,
                                                          absl::Time since) override {
    return store_->SalesOfOrgSince(org_id, since);
  }
  absl::StatusOr<FailedPayments> FailedPaymentsSince(const std::string& buyer,
                                                     const std::string& client_address,
                                                     absl::Time since) override {
    return store_->FailedPaymentsSince(buyer, client_address, since);
  }
  absl::StatusOr<std::vector<OrderRecord>> Overdue(absl::Time now, int limit) override {
    return store_->Overdue(now, limit);
  }
  absl::StatusOr<std::vector<RunningSagas>> RunningSagaBacklog() override {
    return store_->RunningSagaBacklog();
  }
  absl::Status UpdateOrder(const OrderRecord& order, const events::Event& event) override {
    return store_->UpdateOrder(order, event);
  }
  absl::Status StartSaga(const SagaRecord& saga, const SagaLogEntry& entry,
                         int64_t order_version) override {
    return store_->StartSaga(saga, entry, order_version);
  }
  absl::StatusOr<bool> SaveSaga(const SagaRecord& saga, const SagaLogEntry& entry,
                                const std::string& owner) override {
    return store_->SaveSaga(saga, entry, owner);
  }
  absl::StatusOr<bool> SaveSagaAndOrder(const SagaRecord& saga, const SagaLogEntry& entry,
                                        const std::string& owner, const OrderRecord& order,
                                        const events::Event& event) override {
    return store_->SaveSagaAndOrder(saga, entry, owner, order, event);
  }
  absl::StatusOr<std::vector<SagaRecord>> Resumable(absl::Time now, int limit) override {
    return store_->Resumable(now, limit);
  }
  absl::StatusOr<bool> ClaimSaga(const std::string& saga_id, const std::string& owner,
                                 absl::Time lease_until, absl::Time now) override {
    return store_->ClaimSaga(saga_id, owner, lease_until, now);
  }
  absl::StatusOr<std::optional<SagaRecord>> FindSaga(const std::string& saga_id) override {
    return store_->FindSaga(saga_id);
  }
  absl::StatusOr<std::optional<SagaRecord>> RunningSagaOfPayment(
      const std::string& payment_id) override {
    return store_->RunningSagaOfPayment(payment_id);
  }
  absl::StatusOr<std::vector<SagaRecord>> SagasOfOrder(const std::string& order_id) override {
    return store_->SagasOfOrder(order_id);
  }
  absl::StatusOr<std::vector<SagaLogEntry>> SagaLog(const std::string& saga_id) override {
    return store_->SagaLog(saga_id);
  }
  absl::Status SaveQuote(const QuoteRecord& quote) override { return store_->SaveQuote(quote); }
  absl::StatusOr<std::optional<QuoteRecord>> FindQuote(const std::string& quote_id) override {
    return store_->FindQuote(quote_id);
  }

 private:
  std::unique_ptr<OrderStore> store_;
};

class OrderServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = db::OpenSqlite({.path = (dir_ / "order.db").string()});
    ASSERT_OK(database);
    database_ = *std::move(database);
    ASSERT_OK(db::ApplyMigrations(*database_, "order", OrderMigrations()));
    outbox_ = std::make_unique<events::Outbox>("order", *database_);
    ASSERT_OK(outbox_->Migrate());
    auto store = std::make_unique<StoreWithWakeHook>(MakeSqlOrderStore(*database_, *outbox_));
    hooked_store_ = store.get();
    store_ = std::move(store);
    UseFraudPolicy({});
  }

  // The service anew, with `fraud` as its fraud policy (and `metrics`, when given).
  void UseFraudPolicy(FraudPolicy fraud, metrics::Registry* metrics = nullptr) {
    service_ = std::make_unique<OrderService>(
        OrderService::Ports{.store = *store_,
                            .inventory = inventory_,
                            .payments = payments_,
                            .departures = departures_,
                            .fraud = fraud_,
                            .quota = quota_,
                            .policies = policies_,
                            .clock = clock_,
                            .ids = ids_,
                            .logger = log::Logger::ToStderr(log::Level::kError),
                            .metrics = metrics},
        OrderSettings{.sagas = {.instance_id = "test-instance",
                                .lease = absl::Seconds(30),
                                .backoff = absl::Seconds(1),
                                .max_backoff = absl::Seconds(4)},
                      .fraud = std::move(fraud)});
  }

  // The buyer's order of the fixture's hold, sent as the request `request_key` (none: empty).
  absl::StatusOr<OrderView> TryCreateOrder(const std::string& request_key = "") {
    return service_->CreateOrder(
        {.buyer = "buyer",
         .hold_id = "hold-1",
         .passengers = {{"A1", {.name = "Rahim", .gender = "male", .age = 30, .phone = ""}},
                        {"A2", {.name = "Karima", .gender = "female", .age = {}, .phone = ""}}},
         .contact = {.email = "rahim@example.com", .phone = ""},
         .request_key = request_key});
  }

  std::string CreateOrder() {
    auto order = TryCreateOrder();
    EXPECT_OK(order);
    return order.ok() ? order->id : "";
  }

  // Pays the order by card, sent as the request `request_key` (none: empty).
  absl::StatusOr<PayResult> Pay(const std::string& order_id, const std::string& request_key = "") {
    return service_->Pay(
        {.buyer = "buyer",
         .order_id = order_id,
         .method = "card",
         .card = {.number = "4242424242424242", .exp_month = 12, .exp_year = 2035, .cvc = "123"},
         .client_address = "203.0.113.7",
         .collected_by = "",
         .request_key = request_key});
  }

  // The fixture's trip, cancelled by its operator.
  static catalog::PublishedTrip CancelledTrip() {
    catalog::PublishedTrip trip;
    trip.id = "trip-1";
    trip.org_id = "org-1";
    trip.status = catalog::TripStatus::kCancelled;
    return trip;
  }

  absl::StatusOr<PayResult> PayCash(const std::string& order_id, const std::string& staff) {
    return service_->Pay({.buyer = "buyer",
                          .order_id = order_id,
                          .method = "cash",
                          .card = {},
                          .client_address = "",
                          .collected_by = staff});
  }

  std::string Status(const std::string& order_id) {
    auto order = service_->GetOrder(order_id);
    return order.ok() ? std::string(OrderStatusName(order->status)) : order.status().ToString();
  }

  // "step outcome" lines of the order's only saga.
  std::vector<std::string> SagaLog(const std::string& order_id) {
    std::vector<std::string> lines;
    auto sagas = store_->SagasOfOrder(order_id);
    EXPECT_TRUE(sagas.ok() && sagas->size() == 1u);
    if (!sagas.ok() || sagas->empty()) return lines;
    auto log = store_->SagaLog(sagas->back().id);
    EXPECT_OK(log);
    for (const SagaLogEntry& entry : *log) lines.push_back(entry.step + " " + entry.outcome);
    return lines;
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
  IdGenerator ids_{clock_};
  CallLog calls_;
  ScriptedInventory inventory_{calls_, clock_};
  ScriptedPayments payments_{calls_, clock_};
  FixedDepartures departures_;
  ScriptedFraud fraud_{calls_};
  BookingQuota quota_;
  ChangingPolicies policies_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<OrderStore> store_;
  StoreWithWakeHook* hooked_store_ = nullptr;
  std::unique_ptr<OrderService> service_;
};

}  // namespace travio::order
