// The payment use cases over the real SQL books and the real sandbox provider, on SQLite and on
// PostgreSQL; a decorator around the sandbox loses its answers to simulate a crash or an outage.
// Authorizing, capturing and voiding here; refunds and reconciliation in payment_refunds_test.cc.
#include "services/payment/app/payment_service.h"

#include <gtest/gtest.h>

#include <latch>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/payment/app/payment_service_fixture.h"

namespace travio::payment {
namespace {

using testing::SqlEngine;

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
  // The card's keyed fingerprint: the same for the same card, never its digits.
  EXPECT_EQ(authorized->card_fingerprint, fingerprints_.Of("4242424242424242"));
  EXPECT_EQ(authorized->card_fingerprint.size(), 32u);
  EXPECT_EQ(authorized->card_fingerprint.find("4242"), std::string::npos);
  EXPECT_NE(authorized->card_fingerprint, fingerprints_.Of("4000000000000002"));
  EXPECT_NE(authorized->card_fingerprint,
            CardFingerprints(std::string(32, 'x')).Of("4242424242424242"));
  auto same_card = Authorize("key-fingerprint", 1000, kApproved);
  ASSERT_OK(same_card);
  EXPECT_EQ(same_card->card_fingerprint, authorized->card_fingerprint);
  auto read_back = service_->GetPayment(authorized->id);
  ASSERT_OK(read_back);
  EXPECT_EQ(read_back->card_fingerprint, authorized->card_fingerprint);

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
