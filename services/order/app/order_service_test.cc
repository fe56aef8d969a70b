// The booking saga's decisions, step by step, with the order service's real SQL store (SQLite)
// and scripted inventory and payment services behind their ports: compensations run in reverse
// and once, a hold that expires while the card is being authorized voids the payment, failures
// worth retrying park the saga and recovery finishes it, declines leave the order payable.
#include "services/order/app/order_service.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "platform/base/errors.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/order/storage/sql_order_store.h"

namespace travio::order {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'767'225'600);  // 2026-01-01T00:00:00Z

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

  absl::StatusOr<inventory::SeatMap> GetSeatMap(const std::string&, const std::string&,
                                                const std::string&) override {
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

  absl::StatusOr<PaymentView> Authorize(const payment::AuthorizeCommand& command) override {
    std::lock_guard lock(mutex_);
    log_.Add("payment.authorize");
    clock_.Advance(authorize_takes);
    const std::string id = "payment-" + std::to_string(payments_.size() + 1);
    PaymentView payment{.id = id, .order_id = command.order_id, .status = "authorized"};
    payment.amount = command.amount;
    if (!decline.empty()) {
      payment.status = "failed";
      payment.failure_code = decline;
    }
    payments_.push_back(payment);
    return payment;
  }
  absl::StatusOr<PaymentView> Capture(const std::string& payment_id) override {
    log_.Add("payment.capture " + payment_id);
    if (!capture_answer.ok()) return capture_answer;
    return Set(payment_id, "captured");
  }
  absl::StatusOr<PaymentView> Void(const std::string& payment_id) override {
    log_.Add("payment.void " + payment_id);
    return Set(payment_id, "voided");
  }
  absl::StatusOr<RefundView> Refund(const std::string&, int64_t, const std::string&,
                                    const std::string&) override {
    return absl::UnimplementedError("not scripted");
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
  absl::Status HandleWebhook(const std::string&, const std::string&, const std::string&) override {
    return absl::UnimplementedError("not scripted");
  }
  absl::StatusOr<PaymentView> CompleteCheckout(const std::string&, bool) override {
    return absl::UnimplementedError("not scripted");
  }

 private:
  absl::StatusOr<PaymentView> Set(const std::string& payment_id, const std::string& status) {
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
};

class FixedDepartures final : public Departures {
 public:
  absl::StatusOr<absl::Time> DepartureAt(const std::string&, const std::string&,
                                         const std::string&) override {
    return kStart + absl::Hours(72);
  }
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
    store_ = MakeSqlOrderStore(*database_, *outbox_);
    service_ = std::make_unique<OrderService>(
        OrderService::Ports{.store = *store_,
                            .inventory = inventory_,
                            .payments = payments_,
                            .departures = departures_,
                            .fraud = fraud_,
                            .policies = policies_,
                            .clock = clock_,
                            .ids = ids_,
                            .logger = log::Logger::ToStderr(log::Level::kError)},
        OrderSettings{.instance_id = "test-instance",
                      .saga_lease = absl::Seconds(30),
                      .tries_per_run = 3,
                      .backoff = absl::Milliseconds(1),
                      .max_backoff = absl::Seconds(4)});
  }

  std::string CreateOrder() {
    auto order = service_->CreateOrder(
        {.buyer = "buyer",
         .hold_id = "hold-1",
         .passengers = {{"A1", {.name = "Rahim", .gender = "male", .age = 30, .phone = ""}},
                        {"A2", {.name = "Karima", .gender = "female", .age = {}, .phone = ""}}},
         .contact = {.email = "rahim@example.com", .phone = ""}});
    EXPECT_OK(order);
    return order.ok() ? order->id : "";
  }

  absl::StatusOr<PayResult> Pay(const std::string& order_id) {
    return service_->Pay(
        {.buyer = "buyer",
         .order_id = order_id,
         .method = "card",
         .card = {.number = "4242424242424242", .exp_month = 12, .exp_year = 2035, .cvc = "123"}});
  }

  std::string Status(const std::string& order_id) {
    auto order = service_->GetOrder(order_id);
    return order.ok() ? order->status : order.status().ToString();
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
  AllowEveryOrder fraud_;
  DefaultRefundPolicies policies_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<OrderStore> store_;
  std::unique_ptr<OrderService> service_;
};

TEST_F(OrderServiceTest, EveryStepIsLoggedBeforeAndAfterItRuns) {
  const std::string id = CreateOrder();
  auto paid = Pay(id);
  ASSERT_OK(paid);
  EXPECT_EQ(paid->payment.status, "captured");
  EXPECT_EQ(paid->order.status, "confirmed");
  EXPECT_EQ(paid->order.booking_id, "booking-1");
  EXPECT_EQ(SagaLog(id), (std::vector<std::string>{
                             "saga started", "fraud started", "fraud succeeded",
                             "authorize started", "authorize succeeded", "confirm_seats started",
                             "confirm_seats succeeded", "capture started", "capture succeeded",
                             "confirm_order started", "confirm_order completed"}));
  EXPECT_EQ(calls_.calls, (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1",
                                                    "payment.capture payment-1"}));
}

// The card takes longer to authorize than the hold has left: the pivot is refused by the
// hold's fence, the authorization is voided, the order expires and its hold is released.
TEST_F(OrderServiceTest, AHoldExpiringDuringTheAuthorizationVoidsThePayment) {
  const std::string id = CreateOrder();
  payments_.authorize_takes = absl::Minutes(6);
  auto paid = Pay(id);
  EXPECT_EQ(ReasonOf(paid.status()), "hold_expired");
  EXPECT_EQ(calls_.calls,
            (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1",
                                      "payment.void payment-1", "inventory.release hold-1"}));
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(payments_.GetPayment("payment-1")->status, "voided");
  EXPECT_EQ(SagaLog(id).back(), "expire_order compensated");
  // Nothing more happens later.
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(*service_->ResumeSagas(), 0);
  EXPECT_EQ(*service_->ExpireOverdue(), 0);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
}

// A refused capture cannot leave seats sold without money: the seats are given back first,
// then the authorization voided: the compensations of the steps done, in reverse, once each.
TEST_F(OrderServiceTest, ARefusedCaptureGivesTheSeatsBackThenVoids) {
  const std::string id = CreateOrder();
  payments_.capture_answer =
      Error(absl::StatusCode::kFailedPrecondition, "invalid_payment_state", "lapsed");
  auto paid = Pay(id);
  EXPECT_FALSE(paid.ok());
  EXPECT_EQ(calls_.calls,
            (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1",
                                      "payment.capture payment-1", "inventory.cancel booking-1",
                                      "payment.void payment-1", "inventory.release hold-1"}));
  EXPECT_EQ(Status(id), "expired");
}

// Inventory unreachable at the pivot: tried three times, then the saga is parked with its
// lease given up; the recovery loop finishes it once the time comes.
TEST_F(OrderServiceTest, AnUnreachablePivotParksTheSagaAndRecoveryFinishesIt) {
  const std::string id = CreateOrder();
  for (int i = 0; i < 3; ++i) inventory_.confirm_script.push_back(absl::UnavailableError("down"));
  auto paid = Pay(id);
  EXPECT_EQ(ReasonOf(paid.status()), "payment_pending");
  EXPECT_EQ(Status(id), "pending_payment");
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 3);
  EXPECT_EQ(*service_->ResumeSagas(), 0);  // not before its time
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(*service_->ResumeSagas(), 1);
  EXPECT_EQ(Status(id), "confirmed");
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 4);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 1);
  EXPECT_EQ(calls_.Count("payment.authorize"), 1);
  const std::vector<std::string> log = SagaLog(id);
  EXPECT_EQ(std::count(log.begin(), log.end(), "confirm_seats retrying"), 2);
  EXPECT_EQ(std::count(log.begin(), log.end(), "confirm_seats parked"), 1);
  // A second payment of the confirmed order is refused.
  EXPECT_EQ(ReasonOf(Pay(id).status()), "order_not_payable");
}

TEST_F(OrderServiceTest, ADeclinedCardEndsTheSagaAndLeavesTheOrderPayable) {
  const std::string id = CreateOrder();
  payments_.decline = "insufficient_funds";
  auto declined = Pay(id);
  EXPECT_EQ(ReasonOf(declined.status()), "payment_declined");
  EXPECT_EQ(Status(id), "pending_payment");
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 0);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 0);
  EXPECT_EQ(SagaLog(id).back(), "authorize failed");
  payments_.decline.clear();
  auto paid = service_->Pay(
      {.buyer = "buyer",
       .order_id = id,
       .method = "card",
       .card = {.number = "4242424242424242", .exp_month = 12, .exp_year = 2035, .cvc = "123"}});
  ASSERT_OK(paid);
  EXPECT_EQ(Status(id), "confirmed");
  // Someone else's order does not exist for them.
  EXPECT_EQ(service_->Pay({.buyer = "stranger", .order_id = id}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(OrderServiceTest, AnUnpaidOrderExpiresAtItsHoldsDeadline) {
  const std::string id = CreateOrder();
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(*service_->ExpireOverdue(), 0);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(*service_->ExpireOverdue(), 1);
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(calls_.Count("inventory.release hold-1"), 1);
  EXPECT_EQ(ReasonOf(Pay(id).status()), "order_expired");
}

}  // namespace
}  // namespace travio::order
