#pragma once

// The payment service's fixture, shared by its suites and instantiated on SQLite and PostgreSQL
// in payment_service_test.cc: the real SQL books and the real sandbox provider, behind a
// decorator that loses the sandbox's answers to simulate a crash or an outage.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/payment/app/payment_service.h"
#include "services/payment/providers/sandbox_provider.h"
#include "services/payment/storage/sql_payment_store.h"

namespace travio::payment {

inline constexpr char kApproved[] = "4242424242424242";
inline constexpr char kDeclined[] = "4000000000000002";
inline constexpr char kInsufficientFunds[] = "4000000000009995";

// 2026-01-01T00:00:00Z.
inline const absl::Time kNow = absl::FromUnixSeconds(1'767'225'600);

inline Card TestCard(const std::string& number) {
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

class PaymentServiceTest : public ::testing::TestWithParam<testing::SqlEngine> {
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
                              .checkout = sandbox_.get(),
                              .fingerprints = &fingerprints_});
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
  CardFingerprints fingerprints_{std::string(32, 'k')};
  std::unique_ptr<PaymentService> service_;
};

}  // namespace travio::payment
