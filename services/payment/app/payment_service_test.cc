// The payment use cases over the real SQL books and the real sandbox provider, on SQLite and on
// PostgreSQL; a decorator around the sandbox loses its answers to simulate a crash or an outage.
#include "services/payment/app/payment_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/payment/providers/sandbox_provider.h"
#include "services/payment/storage/sql_payment_store.h"

namespace travio::payment {
namespace {

using testing::SqlEngine;

constexpr char kApproved[] = "4242424242424242";
constexpr char kDeclined[] = "4000000000000002";
constexpr char kInsufficientFunds[] = "4000000000009995";

// 2026-01-01T00:00:00Z.
const absl::Time kNow = absl::FromUnixSeconds(1'767'225'600);

Card TestCard(const std::string& number) {
  return Card{.number = number, .exp_month = 12, .exp_year = 2035, .cvc = "123"};
}

// A provider that can lose its Authorize: before the sandbox sees the call (nothing reserved),
// or after the sandbox answered (money reserved, the answer lost on the way back).
class FlakyProvider final : public PaymentProvider {
 public:
  enum class Failure { kNone, kBeforeAuthorize, kAfterAuthorize };

  explicit FlakyProvider(PaymentProvider& inner) : inner_(inner) {}

  void FailAuthorize(Failure failure) { failure_ = failure; }
  int authorize_calls() const { return authorize_calls_; }

  const std::string& name() const override { return inner_.name(); }

  absl::StatusOr<ProviderCharge> Authorize(const std::string& key, int64_t amount,
                                           const std::string& currency,
                                           const std::optional<Card>& card) override {
    ++authorize_calls_;
    const Failure failure = failure_;
    if (failure == Failure::kBeforeAuthorize) {
      return absl::UnavailableError("sandbox unreachable (before)");
    }
    auto charge = inner_.Authorize(key, amount, currency, card);
    if (failure == Failure::kAfterAuthorize) {
      return absl::UnavailableError("sandbox answer lost (after)");
    }
    return charge;
  }
  absl::StatusOr<ProviderCharge> StartRedirect(const std::string& key, int64_t amount,
                                               const std::string& currency) override {
    return inner_.StartRedirect(key, amount, currency);
  }
  absl::StatusOr<ProviderCharge> Capture(const std::string& reference) override {
    return inner_.Capture(reference);
  }
  absl::StatusOr<ProviderCharge> Void(const std::string& reference) override {
    return inner_.Void(reference);
  }
  absl::StatusOr<ProviderRefund> Refund(const std::string& reference, int64_t amount,
                                        const std::string& key) override {
    return inner_.Refund(reference, amount, key);
  }
  absl::StatusOr<std::string> VerifiedWebhookKey(const std::string& signature,
                                                 const std::string& body) override {
    return inner_.VerifiedWebhookKey(signature, body);
  }
  absl::StatusOr<std::vector<SettlementLine>> Settlement(absl::Time from, absl::Time to) override {
    return inner_.Settlement(from, to);
  }

 private:
  PaymentProvider& inner_;
  std::atomic<Failure> failure_ = Failure::kNone;
  std::atomic<int> authorize_calls_ = 0;
};

class PaymentServiceTest : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = PaymentMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "payment", migrations));
    outbox_ = std::make_unique<events::Outbox>("payment", *database_);
    ASSERT_OK(outbox_->Migrate());
    store_ = MakeSqlPaymentStore(*database_, *outbox_);
    sandbox_ = MakeSandboxProvider(*database_, clock_, ids_, "test-webhook-secret");
    provider_ = std::make_unique<FlakyProvider>(*sandbox_);
    service_ = std::make_unique<PaymentService>(
        PaymentService::Ports{.store = *store_,
                              .provider = *provider_,
                              .clock = clock_,
                              .ids = ids_,
                              .logger = log::Logger::ToStderr(log::Level::kWarn),
                              .checkout = sandbox_.get()});
  }

  static AuthorizeCommand Command(const std::string& key, int64_t amount, std::optional<Card> card,
                                  const std::string& order = "order-1") {
    return AuthorizeCommand{.key = key,
                            .order_id = order,
                            .org_id = "org-1",
                            .payer = "payer@example.com",
                            .amount = {amount, "BDT"},
                            .card = std::move(card)};
  }

  absl::StatusOr<PaymentView> Authorize(const std::string& key, int64_t amount,
                                        const std::string& number,
                                        const std::string& order = "order-1") {
    return service_->Authorize(Command(key, amount, TestCard(number), order));
  }

  // An approved payment, captured.
  PaymentView Captured(const std::string& key, int64_t amount,
                       const std::string& order = "order-1") {
    auto authorized = Authorize(key, amount, kApproved, order);
    EXPECT_OK(authorized);
    if (!authorized.ok()) return {};
    auto captured = service_->Capture(authorized->id);
    EXPECT_OK(captured);
    EXPECT_EQ(captured.ok() ? StatusName(captured->status) : "", "captured");
    return captured.ok() ? *captured : PaymentView{};
  }

  int64_t Count(const std::string& sql, std::initializer_list<db::Value> params = {}) {
    auto result = database_->Execute(sql, params);
    EXPECT_OK(result);
    return result.ok() ? result->rows[0].Int(0) : -1;
  }

  std::string ChargeReferenceOf(const std::string& payment_id) {
    auto result = database_->Execute("SELECT reference FROM sandbox_charges WHERE charge_key = $1",
                                     {payment_id});
    EXPECT_OK(result);
    if (!result.ok() || result->rows.size() != 1) return "";
    return result->rows[0].Text(0);
  }

  // The types of the outbox's events about `payment_id`, in order.
  std::vector<std::string> EventsOf(const std::string& payment_id) {
    auto pending = outbox_->Pending(1000);
    EXPECT_OK(pending);
    std::vector<std::string> types;
    if (!pending.ok()) return types;
    for (const auto& [sequence, event] : *pending) {
      if (event.aggregate_id == payment_id) types.push_back(event.type);
    }
    return types;
  }

  std::vector<PaymentView> PaymentsOf(const std::string& order) {
    auto payments = service_->PaymentsOfOrder(order);
    EXPECT_OK(payments);
    return payments.ok() ? *payments : std::vector<PaymentView>{};
  }

  testing::SqlTestStorage storage_{GetParam()};
  ManualClock clock_{kNow};
  IdGenerator ids_{clock_};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<PaymentStore> store_;
  std::unique_ptr<SandboxProvider> sandbox_;
  std::unique_ptr<FlakyProvider> provider_;
  std::unique_ptr<PaymentService> service_;
};

TEST_P(PaymentServiceTest, AnApprovedCardIsAuthorizedThenCapturedOnce) {
  auto authorized = Authorize("key-1", 180000, kApproved);
  ASSERT_OK(authorized);
  EXPECT_TRUE(IsUuid(authorized->id));
  EXPECT_EQ(StatusName(authorized->status), "authorized");
  EXPECT_EQ(authorized->order_id, "order-1");
  EXPECT_EQ(authorized->org_id, "org-1");
  EXPECT_EQ(authorized->payer, "payer@example.com");
  EXPECT_EQ(authorized->provider, "sandbox");
  EXPECT_EQ(authorized->amount, (Money{180000, "BDT"}));
  EXPECT_EQ(authorized->refunded, 0);
  EXPECT_EQ(authorized->card_brand, "visa");
  EXPECT_EQ(authorized->card_last4, "4242");
  EXPECT_EQ(authorized->failure_code, "");
  EXPECT_EQ(authorized->created_at, kNow);

  clock_.Advance(absl::Minutes(5));
  auto captured = service_->Capture(authorized->id);
  ASSERT_OK(captured);
  EXPECT_EQ(captured->id, authorized->id);
  EXPECT_EQ(StatusName(captured->status), "captured");
  EXPECT_EQ(captured->updated_at, kNow + absl::Minutes(5));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges WHERE status = 'captured'"), 1);

  auto again = service_->Capture(authorized->id);
  ASSERT_OK(again);
  EXPECT_EQ(StatusName(again->status), "captured");
  EXPECT_EQ(again->amount, (Money{180000, "BDT"}));

  auto voided = service_->Void(authorized->id);
  EXPECT_EQ(voided.status().code(), absl::StatusCode::kFailedPrecondition) << voided.status();
  EXPECT_EQ(ReasonOf(voided.status()), "invalid_payment_state");

  auto stored = service_->GetPayment(authorized->id);
  ASSERT_OK(stored);
  EXPECT_EQ(StatusName(stored->status), "captured");
  // Each change announced once; the repeated capture and the refused void announce nothing.
  EXPECT_EQ(EventsOf(authorized->id),
            (std::vector<std::string>{"payment.authorized.v1", "payment.captured.v1"}));
}

TEST_P(PaymentServiceTest, DeclinedCardsMakeFailedPaymentsThatCannotBeCaptured) {
  struct Case {
    const char* number;
    const char* failure_code;
    const char* last4;
  };
  for (const Case& c : {Case{kDeclined, "payment_declined", "0002"},
                        Case{kInsufficientFunds, "insufficient_funds", "9995"}}) {
    SCOPED_TRACE(c.number);
    auto failed = Authorize(absl::StrCat("key-", c.number), 50000, c.number);
    ASSERT_OK(failed);  // a decline is not an error
    EXPECT_EQ(StatusName(failed->status), "failed");
    EXPECT_EQ(failed->failure_code, c.failure_code);
    EXPECT_EQ(failed->card_last4, c.last4);

    auto stored = service_->GetPayment(failed->id);
    ASSERT_OK(stored);
    EXPECT_EQ(StatusName(stored->status), "failed");
    EXPECT_EQ(stored->failure_code, c.failure_code);

    auto capture = service_->Capture(failed->id);
    EXPECT_EQ(capture.status().code(), absl::StatusCode::kFailedPrecondition) << capture.status();
    EXPECT_EQ(ReasonOf(capture.status()), "invalid_payment_state");
    EXPECT_EQ(EventsOf(failed->id), std::vector<std::string>{"payment.failed.v1"});

    // Voiding a failed payment answers it as it is.
    auto voided = service_->Void(failed->id);
    ASSERT_OK(voided);
    EXPECT_EQ(StatusName(voided->status), "failed");
  }
  EXPECT_EQ(PaymentsOf("order-1").size(), 2u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges WHERE status = 'declined'"), 2);
}

TEST_P(PaymentServiceTest, TheSameKeyTwiceIsTheSamePayment) {
  auto first = Authorize("key-1", 180000, kApproved);
  ASSERT_OK(first);
  auto second = Authorize("key-1", 180000, kApproved);
  ASSERT_OK(second);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(StatusName(second->status), "authorized");
  const std::vector<PaymentView> payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].id, first->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 1);
  // A retry answers the payment; it does not go back to the provider.
  EXPECT_EQ(provider_->authorize_calls(), 1);
}

TEST_P(PaymentServiceTest, RacingAuthorizesWithOneKeyMakeOnePayment) {
  constexpr int kThreads = 16;
  std::latch start(kThreads);
  std::mutex mutex;
  std::vector<absl::StatusOr<PaymentView>> results;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto result = Authorize("race-key", 120000, kApproved);
      std::lock_guard lock(mutex);
      results.push_back(std::move(result));
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(results.size(), static_cast<size_t>(kThreads));
  std::set<std::string> ids;
  for (const auto& result : results) {
    ASSERT_OK(result);
    EXPECT_EQ(StatusName(result->status), "authorized");
    ids.insert(result->id);
  }
  EXPECT_EQ(ids.size(), 1u);
  const std::vector<PaymentView> payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].id, *ids.begin());
  EXPECT_EQ(StatusName(payments[0].status), "authorized");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 1);
  // Announced once, however many racers saw it pending.
  EXPECT_EQ(EventsOf(*ids.begin()), std::vector<std::string>{"payment.authorized.v1"});
}

TEST_P(PaymentServiceTest, AnInvalidCardIsRefusedAndNothingIsRecorded) {
  struct Case {
    const char* name;
    Card card;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"bad luhn",
       Card{.number = "4242424242424241", .exp_month = 12, .exp_year = 2035, .cvc = "123"},
       {"method.number"}},
      // The clock says January 2026: a card valid through December 2025 has expired.
      {"expired",
       Card{.number = kApproved, .exp_month = 12, .exp_year = 2025, .cvc = "123"},
       {"method.exp_year"}},
      {"bad luhn, expired and a short cvc",
       Card{.number = "4242424242424241", .exp_month = 11, .exp_year = 2025, .cvc = "12"},
       {"method.number", "method.exp_year", "method.cvc"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto refused = service_->Authorize(Command(absl::StrCat("key-", c.name), 180000, c.card));
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
    EXPECT_EQ(ReasonOf(refused.status()), "invalid_card");
    std::vector<std::string> fields;
    for (const FieldError& error : FieldErrorsOf(refused.status())) fields.push_back(error.field);
    EXPECT_EQ(fields, c.fields);
  }
  EXPECT_TRUE(PaymentsOf("order-1").empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 0);
  EXPECT_EQ(provider_->authorize_calls(), 0);
  auto pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  EXPECT_TRUE(pending->empty());

  // Valid through the end of its month: a card expiring this month is still accepted.
  auto expiring = service_->Authorize(
      Command("key-expiring", 180000,
              Card{.number = kApproved, .exp_month = 1, .exp_year = 2026, .cvc = "1234"}));
  ASSERT_OK(expiring);
  EXPECT_EQ(StatusName(expiring->status), "authorized");
}

TEST_P(PaymentServiceTest, AnAnswerLostAfterTheProviderReservedIsFoundByKey) {
  provider_->FailAuthorize(FlakyProvider::Failure::kAfterAuthorize);
  auto lost = Authorize("key-1", 180000, kApproved);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable) << lost.status();
  std::vector<PaymentView> payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(StatusName(payments[0].status), "pending");
  EXPECT_EQ(payments[0].card_last4, "4242");
  // The provider did reserve the money.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges WHERE status = 'authorized'"), 1);

  provider_->FailAuthorize(FlakyProvider::Failure::kNone);
  auto resumed = service_->Authorize(Command("key-1", 180000, std::nullopt));
  ASSERT_OK(resumed);
  EXPECT_EQ(resumed->id, payments[0].id);
  EXPECT_EQ(StatusName(resumed->status), "authorized");
  EXPECT_EQ(resumed->card_last4, "4242");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 1);  // reserved once

  // The settled payment carries the provider's reference: it can be captured.
  auto captured = service_->Capture(resumed->id);
  ASSERT_OK(captured);
  EXPECT_EQ(StatusName(captured->status), "captured");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges WHERE status = 'captured'"), 1);
  payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(StatusName(payments[0].status), "captured");
}

TEST_P(PaymentServiceTest, AKeyTheProviderNeverSawFailsAsInterrupted) {
  provider_->FailAuthorize(FlakyProvider::Failure::kBeforeAuthorize);
  auto lost = Authorize("key-1", 180000, kApproved);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable) << lost.status();
  std::vector<PaymentView> payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(StatusName(payments[0].status), "pending");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 0);

  provider_->FailAuthorize(FlakyProvider::Failure::kNone);
  auto resumed = service_->Authorize(Command("key-1", 180000, std::nullopt));
  ASSERT_OK(resumed);
  EXPECT_EQ(resumed->id, payments[0].id);
  EXPECT_EQ(StatusName(resumed->status), "failed");
  EXPECT_EQ(resumed->failure_code, "payment_interrupted");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 0);  // nothing reserved
  payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(StatusName(payments[0].status), "failed");
  EXPECT_EQ(payments[0].failure_code, "payment_interrupted");
  EXPECT_EQ(ReasonOf(service_->Capture(resumed->id).status()), "invalid_payment_state");
}

TEST_P(PaymentServiceTest, ARetryWithTheCardAfterAnOutageAuthorizes) {
  provider_->FailAuthorize(FlakyProvider::Failure::kBeforeAuthorize);
  auto lost = Authorize("key-1", 180000, kApproved);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable) << lost.status();

  provider_->FailAuthorize(FlakyProvider::Failure::kNone);
  auto retried = Authorize("key-1", 180000, kApproved);
  ASSERT_OK(retried);
  EXPECT_EQ(StatusName(retried->status), "authorized");
  const std::vector<PaymentView> payments = PaymentsOf("order-1");
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].id, retried->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges"), 1);
}

TEST_P(PaymentServiceTest, AuthorizeWithoutACardForAnUnknownKeyIsNotFound) {
  auto unknown = service_->Authorize(Command("never-seen", 180000, std::nullopt));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  EXPECT_EQ(ReasonOf(unknown.status()), "payment_not_found");
  EXPECT_TRUE(PaymentsOf("order-1").empty());
  EXPECT_EQ(provider_->authorize_calls(), 0);

  for (auto status : {service_->GetPayment("nope").status(), service_->Capture("nope").status(),
                      service_->Void("nope").status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
    EXPECT_EQ(ReasonOf(status), "payment_not_found");
  }
}

TEST_P(PaymentServiceTest, VoidingAnAuthorizedPaymentGivesTheReservationBackOnce) {
  auto authorized = Authorize("key-1", 180000, kApproved);
  ASSERT_OK(authorized);
  auto voided = service_->Void(authorized->id);
  ASSERT_OK(voided);
  EXPECT_EQ(StatusName(voided->status), "voided");
  auto again = service_->Void(authorized->id);
  ASSERT_OK(again);
  EXPECT_EQ(StatusName(again->status), "voided");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_charges WHERE status = 'voided'"), 1);
  EXPECT_EQ(EventsOf(authorized->id),
            (std::vector<std::string>{"payment.authorized.v1", "payment.voided.v1"}));

  auto capture = service_->Capture(authorized->id);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kFailedPrecondition) << capture.status();
  EXPECT_EQ(ReasonOf(capture.status()), "invalid_payment_state");
}

TEST_P(PaymentServiceTest, RefundsAreIdempotentByKeyAndNeverExceedTheCapture) {
  const PaymentView payment = Captured("key-1", 180000);
  ASSERT_FALSE(payment.id.empty());

  auto first = service_->Refund(payment.id, 50000, "r1", "seat cancelled");
  ASSERT_OK(first);
  EXPECT_EQ(StatusName(first->status), "succeeded");
  EXPECT_EQ(first->payment_id, payment.id);
  EXPECT_EQ(first->order_id, "order-1");
  EXPECT_EQ(first->amount, (Money{50000, "BDT"}));
  EXPECT_EQ(first->reason, "seat cancelled");
  auto after_first = service_->GetPayment(payment.id);
  ASSERT_OK(after_first);
  EXPECT_EQ(StatusName(after_first->status), "partially_refunded");
  EXPECT_EQ(after_first->refunded, 50000);

  auto retry = service_->Refund(payment.id, 50000, "r1", "seat cancelled");
  ASSERT_OK(retry);
  EXPECT_EQ(retry->id, first->id);
  EXPECT_EQ(service_->GetPayment(payment.id)->refunded, 50000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_refunds"), 1);

  auto too_large = service_->Refund(payment.id, 140000, "r2", "too much");
  EXPECT_EQ(too_large.status().code(), absl::StatusCode::kInvalidArgument) << too_large.status();
  EXPECT_EQ(ReasonOf(too_large.status()), "refund_too_large");
  EXPECT_EQ(service_->GetPayment(payment.id)->refunded, 50000);

  auto rest = service_->Refund(payment.id, 130000, "r3", "trip cancelled");
  ASSERT_OK(rest);
  EXPECT_EQ(StatusName(rest->status), "succeeded");
  EXPECT_NE(rest->id, first->id);
  auto after_rest = service_->GetPayment(payment.id);
  ASSERT_OK(after_rest);
  EXPECT_EQ(StatusName(after_rest->status), "refunded");
  EXPECT_EQ(after_rest->refunded, 180000);

  // Nothing is left to refund.
  EXPECT_EQ(ReasonOf(service_->Refund(payment.id, 1, "r4", "").status()), "refund_too_large");

  auto refunds = service_->RefundsOfOrder("order-1");
  ASSERT_OK(refunds);
  ASSERT_EQ(refunds->size(), 2u);
  std::set<std::string> refund_ids;
  int64_t total = 0;
  for (const RefundView& refund : *refunds) {
    refund_ids.insert(refund.id);
    total += refund.amount.amount;
  }
  EXPECT_EQ(refund_ids, (std::set<std::string>{first->id, rest->id}));
  EXPECT_EQ(total, 180000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_refunds"), 2);
  EXPECT_EQ(Count("SELECT refunded FROM sandbox_charges"), 180000);
}

TEST_P(PaymentServiceTest, OnlyACapturedPaymentCanBeRefunded) {
  auto authorized = Authorize("key-1", 180000, kApproved);
  ASSERT_OK(authorized);
  auto refund = service_->Refund(authorized->id, 10000, "r1", "");
  EXPECT_EQ(refund.status().code(), absl::StatusCode::kFailedPrecondition) << refund.status();
  EXPECT_EQ(ReasonOf(refund.status()), "invalid_payment_state");

  auto failed = Authorize("key-2", 180000, kDeclined);
  ASSERT_OK(failed);
  EXPECT_EQ(ReasonOf(service_->Refund(failed->id, 10000, "r2", "").status()),
            "invalid_payment_state");

  EXPECT_EQ(ReasonOf(service_->Refund("nope", 10000, "r3", "").status()), "payment_not_found");
  auto refunds = service_->RefundsOfOrder("order-1");
  ASSERT_OK(refunds);
  EXPECT_TRUE(refunds->empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sandbox_refunds"), 0);
}

// Refunds of one payment with different keys, at once (several seats cancelled together): the
// payment's refunded sum must be the sum of its refunds.
TEST_P(PaymentServiceTest, RacingRefundsOfOnePaymentAddUp) {
  const PaymentView payment = Captured("key-1", 180000);
  ASSERT_FALSE(payment.id.empty());
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> succeeded = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      auto refund = service_->Refund(payment.id, 10000, absl::StrCat("r", t), "seat cancelled");
      EXPECT_OK(refund);
      if (refund.ok()) ++succeeded;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), kThreads);
  EXPECT_EQ(Count("SELECT refunded FROM sandbox_charges"), kThreads * 10000);
  EXPECT_EQ(Count("SELECT COALESCE(SUM(amount), 0) FROM payment_refunds"), kThreads * 10000);
  auto stored = service_->GetPayment(payment.id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->refunded, kThreads * 10000);
  EXPECT_EQ(StatusName(stored->status), "partially_refunded");
}

TEST_P(PaymentServiceTest, ReconcileFindsWhatTheBooksDisagreeOn) {
  const PaymentView refunded = Captured("key-1", 180000);
  ASSERT_FALSE(refunded.id.empty());
  ASSERT_OK(service_->Refund(refunded.id, 50000, "r1", ""));
  const PaymentView captured = Captured("key-2", 90000, "order-2");
  ASSERT_FALSE(captured.id.empty());
  auto authorized = Authorize("key-3", 70000, kApproved, "order-3");
  ASSERT_OK(authorized);
  auto voided = Authorize("key-4", 60000, kApproved, "order-4");
  ASSERT_OK(voided);
  ASSERT_OK(service_->Void(voided->id));
  auto declined = Authorize("key-5", 40000, kDeclined, "order-5");
  ASSERT_OK(declined);

  const absl::Time from = kNow - absl::Hours(1);
  const absl::Time to = kNow + absl::Hours(1);
  auto agreed = service_->Reconcile(from, to);
  ASSERT_OK(agreed);
  EXPECT_TRUE(agreed->empty()) << agreed->size() << " mismatches, first " << (*agreed)[0].kind;

  // (a) The provider captured a charge Travio never recorded.
  ASSERT_OK(
      database_->Execute("INSERT INTO sandbox_charges (reference, charge_key, status, "
                         "decline_code, amount, currency, refunded, created_at, updated_at, "
                         "captured_at) VALUES ($1, $2, 'captured', '', $3, 'BDT', 0, $4, $4, $4)",
                         {std::string("sbx_stray"), std::string("stray-key"), int64_t{25000},
                          absl::ToUnixMicros(kNow + absl::Minutes(10))}));
  auto stray = service_->Reconcile(from, to);
  ASSERT_OK(stray);
  ASSERT_EQ(stray->size(), 1u);
  EXPECT_EQ((*stray)[0].kind, "missing_in_travio");
  EXPECT_EQ((*stray)[0].provider_reference, "sbx_stray");
  EXPECT_EQ((*stray)[0].payment_id, "stray-key");
  EXPECT_EQ((*stray)[0].travio_amount, 0);
  EXPECT_EQ((*stray)[0].provider_amount, 25000);

  // (b) Travio's amount of a captured payment drifted from the provider's.
  auto updated =
      database_->Execute("UPDATE payments SET amount = amount + 1 WHERE id = $1", {captured.id});
  ASSERT_OK(updated);
  ASSERT_EQ(updated->affected_rows, 1);
  auto drifted = service_->Reconcile(from, to);
  ASSERT_OK(drifted);
  ASSERT_EQ(drifted->size(), 2u);
  const Mismatch* differs = nullptr;
  for (const Mismatch& mismatch : *drifted) {
    if (mismatch.kind == "amount_differs") differs = &mismatch;
  }
  ASSERT_NE(differs, nullptr);
  EXPECT_EQ(differs->payment_id, captured.id);
  EXPECT_EQ(differs->provider_reference, ChargeReferenceOf(captured.id));
  EXPECT_EQ(differs->travio_amount, 90001);
  EXPECT_EQ(differs->provider_amount, 90000);
  EXPECT_EQ(std::count_if(drifted->begin(), drifted->end(),
                          [](const Mismatch& m) { return m.kind == "missing_in_travio"; }),
            1);

  // Windows that hold none of it.
  for (const auto& [start, end] : {std::pair{kNow + absl::Hours(1), kNow + absl::Hours(2)},
                                   std::pair{kNow - absl::Hours(2), kNow - absl::Hours(1)}}) {
    auto outside = service_->Reconcile(start, end);
    ASSERT_OK(outside);
    EXPECT_TRUE(outside->empty());
  }
}

// The sandbox's hosted page opens only with the token of the payment's redirect_url, which is
// its payer's: knowing a payment's id is not enough to approve it, and a token is short-lived.
TEST_P(PaymentServiceTest, TheHostedPageOpensOnlyWithItsPayersToken) {
  AuthorizeCommand command = Command("redirect-1", 180000, std::nullopt);
  command.method = "redirect";
  ASSERT_OK_AND_ASSIGN(PaymentView pending, service_->Authorize(command));
  ASSERT_EQ(StatusName(pending.status), "pending");
  const std::string prefix = "/v1/payments/sandbox/checkout/" + pending.id + "?token=";
  ASSERT_EQ(pending.redirect_url.rfind(prefix, 0), 0u) << pending.redirect_url;
  const std::string token = pending.redirect_url.substr(prefix.size());
  // Another payment's token, a changed one, none at all: the same answer as no such payment.
  AuthorizeCommand other = Command("redirect-2", 180000, std::nullopt, "order-2");
  other.method = "redirect";
  other.payer = "someone-else";
  ASSERT_OK_AND_ASSIGN(PaymentView theirs, service_->Authorize(other));
  const std::string their_token = theirs.redirect_url.substr(theirs.redirect_url.find("=") + 1);
  std::string changed = token;
  changed.back() = changed.back() == '0' ? '1' : '0';
  for (const std::string& wrong : {their_token, changed, std::string(), std::string("1.00")}) {
    EXPECT_THAT(service_->GetCheckout(pending.id, wrong),
                testing::StatusIs(absl::StatusCode::kNotFound, "payment_not_found"));
    EXPECT_THAT(service_->CompleteCheckout(pending.id, wrong, true),
                testing::StatusIs(absl::StatusCode::kNotFound, "payment_not_found"));
  }
  EXPECT_EQ(StatusName(service_->GetPayment(pending.id)->status), "pending");
  // Its own token opens it, while it lasts.
  ASSERT_OK(service_->GetCheckout(pending.id, token));
  clock_.Advance(absl::Minutes(31));
  EXPECT_THAT(service_->CompleteCheckout(pending.id, token, true),
              testing::StatusIs(absl::StatusCode::kNotFound));
  clock_.Advance(absl::Minutes(-31));
  ASSERT_OK_AND_ASSIGN(PaymentView approved, service_->CompleteCheckout(pending.id, token, true));
  EXPECT_EQ(StatusName(approved.status), "authorized");
}

TEST_P(PaymentServiceTest, BadAuthorizeCommandsAreRefusedWithFieldErrors) {
  struct Case {
    const char* name;
    AuthorizeCommand command;
    std::vector<std::string> fields;
  };
  AuthorizeCommand no_key = Command("", 180000, TestCard(kApproved));
  AuthorizeCommand zero = Command("key-1", 0, TestCard(kApproved));
  AuthorizeCommand negative = Command("key-2", -5, TestCard(kApproved));
  AuthorizeCommand short_currency = Command("key-3", 180000, TestCard(kApproved));
  short_currency.amount.currency = "BD";
  AuthorizeCommand everything = Command("", 0, TestCard(kApproved));
  everything.amount.currency = "BD";
  const std::vector<Case> cases = {
      {"empty key", no_key, {"key"}},
      {"amount 0", zero, {"amount"}},
      {"negative amount", negative, {"amount"}},
      {"currency BD", short_currency, {"currency"}},
      {"everything", everything, {"key", "amount", "currency"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto refused = service_->Authorize(c.command);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
    EXPECT_EQ(ReasonOf(refused.status()), "validation_failed");
    std::vector<std::string> fields;
    for (const FieldError& error : FieldErrorsOf(refused.status())) fields.push_back(error.field);
    EXPECT_EQ(fields, c.fields);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(provider_->authorize_calls(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, PaymentServiceTest,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::payment
