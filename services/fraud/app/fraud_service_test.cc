// The fraud service over the memory hot-state store on a manual clock: what each signal
// counts, that an order is counted once, that declines and registrations feed the counters,
// and the settings an operator keeps.
#include "services/fraud/app/fraud_service.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/kv/memory_store.h"
#include "platform/testing/status_matchers.h"
#include "services/fraud/storage/kv_risk_counters.h"

namespace travio::fraud {
namespace {

using ::travio::testing::StatusIs;

class MemorySettings final : public SettingsStore {
 public:
  absl::StatusOr<std::optional<RiskSettings>> Find(const std::string& org_id) override {
    std::lock_guard lock(mutex_);
    auto found = settings_.find(org_id);
    if (found == settings_.end()) return std::nullopt;
    return found->second;
  }
  absl::Status Put(const std::string& org_id, const RiskSettings& settings, absl::Time) override {
    std::lock_guard lock(mutex_);
    settings_[org_id] = settings;
    return absl::OkStatus();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, RiskSettings> settings_;
};

class FraudServiceTest : public ::testing::Test {
 protected:
  // An order of `seats` on trip-1 (40 seats) by `buyer` with `card`.
  AssessRequest Order(const std::string& buyer, const std::string& card, int seats = 2) {
    ++orders_;
    return AssessRequest{.org_id = "org-1",
                         .order_id = absl::StrCat("order-", orders_),
                         .trip_id = "trip-1",
                         .buyer = buyer,
                         .email = buyer + "@example.com",
                         .client_address = absl::StrCat("198.51.100.", orders_ % 250),
                         .card_fingerprint = Fingerprint(card),
                         .from = "DHK",
                         .to = "CTG",
                         .seats = seats,
                         .capacity = 40,
                         .total = {90000 * seats, "BDT"}};
  }

  // A card's fingerprint as the payment service writes them: lowercase hex.
  static std::string Fingerprint(const std::string& card) { return absl::BytesToHexString(card); }

  std::vector<std::string> Signals(const Assessment& assessment) {
    std::vector<std::string> signals;
    for (const RiskReason& reason : assessment.reasons) signals.push_back(reason.signal);
    return signals;
  }

  ManualClock clock_;
  std::unique_ptr<kv::KeyValueStore> store_ = kv::MakeMemoryStore(clock_);
  std::unique_ptr<RiskCounters> counters_ = MakeKeyValueRiskCounters(*store_);
  MemorySettings settings_;
  FraudService service_{{.settings = settings_,
                         .counters = *counters_,
                         .clock = clock_,
                         .logger = log::Logger::ToStderr(log::Level::kError)}};
  int orders_ = 0;
};

TEST_F(FraudServiceTest, ACardUsedForManyOrdersInAMinuteIsDeniedWhileOthersBook) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(Assessment allowed,
                         service_.Assess(Order(absl::StrCat("u", i), "card-stolen")));
    EXPECT_EQ(allowed.decision, Decision::kAllow) << i;
    clock_.Advance(absl::Seconds(10));
  }
  ASSERT_OK_AND_ASSIGN(Assessment denied, service_.Assess(Order("u9", "card-stolen")));
  EXPECT_EQ(denied.decision, Decision::kDeny);
  EXPECT_EQ(Signals(denied), std::vector<std::string>{"card_velocity"});
  ASSERT_OK_AND_ASSIGN(Assessment normal, service_.Assess(Order("traveller", "card-own")));
  EXPECT_EQ(normal.decision, Decision::kAllow);
  EXPECT_TRUE(normal.reasons.empty());
  // Ten minutes on, the card's burst has left the window.
  clock_.Advance(absl::Minutes(25));
  ASSERT_OK_AND_ASSIGN(Assessment later, service_.Assess(Order("u10", "card-stolen")));
  EXPECT_EQ(later.decision, Decision::kAllow);
}

TEST_F(FraudServiceTest, AnOrderAskedAboutAgainIsNotCountedTwice) {
  const AssessRequest order = Order("u1", "card-1");
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK_AND_ASSIGN(Assessment again, service_.Assess(order));
    EXPECT_EQ(again.decision, Decision::kAllow) << i;
  }
}

TEST_F(FraudServiceTest, CountsAreKeptPerOrganization) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(service_.Assess(Order("u", "card-x")).status());
  AssessRequest elsewhere = Order("u", "card-x");
  elsewhere.org_id = "org-2";
  ASSERT_OK_AND_ASSIGN(Assessment other, service_.Assess(elsewhere));
  EXPECT_EQ(other.decision, Decision::kAllow);
}

TEST_F(FraudServiceTest, DeclinedPaymentsCountOnceEachAgainstTheCardAndThePayer) {
  payment::PaymentChanged declined{.payment_id = "p-1",
                                   .status = payment::PaymentStatus::kFailed,
                                   .failure_code = "payment_declined",
                                   .payer = "u1",
                                   .card_fingerprint = Fingerprint("card-1")};
  ASSERT_OK(service_.OnPaymentFailed("org-1", declined));
  ASSERT_OK(service_.OnPaymentFailed("org-1", declined));  // redelivered: nothing more
  declined.payment_id = "p-2";
  ASSERT_OK(service_.OnPaymentFailed("org-1", declined));
  ASSERT_OK_AND_ASSIGN(Assessment two, service_.Assess(Order("u1", "card-2")));
  EXPECT_TRUE(Signals(two).empty());
  declined.payment_id = "p-3";
  ASSERT_OK(service_.OnPaymentFailed("org-1", declined));
  ASSERT_OK_AND_ASSIGN(Assessment three, service_.Assess(Order("u1", "card-2")));
  EXPECT_EQ(Signals(three), std::vector<std::string>{"recent_declines"});
  // The card's declines follow the card to another payer.
  ASSERT_OK_AND_ASSIGN(Assessment card, service_.Assess(Order("u2", "card-1")));
  EXPECT_EQ(Signals(card), std::vector<std::string>{"recent_declines"});
}

TEST_F(FraudServiceTest, GuestsAndNewAccountsBuyingManySeatsCount) {
  ASSERT_OK_AND_ASSIGN(Assessment guest, service_.Assess(Order("guest:g1", "card-1", 6)));
  EXPECT_EQ(Signals(guest), std::vector<std::string>{"new_buyer_many_seats"});
  ASSERT_OK_AND_ASSIGN(Assessment old_account, service_.Assess(Order("u-old", "card-2", 6)));
  EXPECT_TRUE(Signals(old_account).empty());
  ASSERT_OK(service_.OnUserRegistered({.user_id = "u-new"}, clock_.Now()));
  ASSERT_OK_AND_ASSIGN(Assessment fresh, service_.Assess(Order("u-new", "card-3", 6)));
  EXPECT_EQ(Signals(fresh), std::vector<std::string>{"new_buyer_many_seats"});
  clock_.Advance(absl::Hours(25));
  ASSERT_OK_AND_ASSIGN(Assessment day_later, service_.Assess(Order("u-new", "card-3", 5)));
  EXPECT_TRUE(Signals(day_later).empty());
}

TEST_F(FraudServiceTest, OneBuyerTakingMuchOfATripIsHeldForReview) {
  // 10 of 40 seats in one order: 25% of the trip.
  ASSERT_OK_AND_ASSIGN(Assessment big, service_.Assess(Order("u1", "card-1", 10)));
  EXPECT_EQ(Signals(big), std::vector<std::string>{"seats_of_capacity"});
  EXPECT_EQ(big.decision, Decision::kAllow);  // 30 alone stays below review
  // Then 6 more: the buyer holds 16 of 40, 40%.
  ASSERT_OK_AND_ASSIGN(Assessment share, service_.Assess(Order("u1", "card-1", 6)));
  EXPECT_EQ(Signals(share), std::vector<std::string>{"buyer_share_of_trip"});
  EXPECT_EQ(share.decision, Decision::kReview);
  EXPECT_EQ(share.review_for, absl::Hours(2));
}

TEST_F(FraudServiceTest, ATotalFarAboveTheJourneysUsualOrderCountsOnceThereIsAHistory) {
  RiskSettings settings = DefaultRiskSettings();
  settings.rules[Signal::kSeatsOfCapacity].enabled = false;
  settings.rules[Signal::kBuyerShareOfTrip].enabled = false;
  settings.rules[Signal::kNewBuyerManySeats].enabled = false;
  ASSERT_OK(service_.PutSettings("org-1", settings).status());
  AssessRequest large = Order("big", "card-big", 1);
  large.total = {90000 * 6, "BDT"};
  ASSERT_OK_AND_ASSIGN(Assessment early, service_.Assess(large));
  EXPECT_TRUE(Signals(early).empty());  // no history yet
  for (int i = 0; i < 20; ++i) {
    ASSERT_OK(service_.Assess(Order(absl::StrCat("t", i), absl::StrCat("c", i), 1)).status());
  }
  // The usual order is now (540,000 + 20 x 90,000) / 21, about 111,000: 720,000 is 646% of it.
  AssessRequest again = Order("big2", "card-big2", 1);
  again.total = {90000 * 8, "BDT"};
  ASSERT_OK_AND_ASSIGN(Assessment later, service_.Assess(again));
  EXPECT_EQ(Signals(later), std::vector<std::string>{"total_above_usual"});
}

TEST_F(FraudServiceTest, ABuyerTryingManyCardsCounts) {
  for (const char* card : {"c1", "c2", "c1"}) {
    ASSERT_OK_AND_ASSIGN(Assessment allowed, service_.Assess(Order("u1", card)));
    EXPECT_TRUE(Signals(allowed).empty()) << card;
  }
  ASSERT_OK_AND_ASSIGN(Assessment third, service_.Assess(Order("u1", "c3")));
  EXPECT_EQ(Signals(third), std::vector<std::string>{"distinct_cards"});
}

// Cards refused before a success still count among the cards the buyer tried.
TEST_F(FraudServiceTest, DeclinedCardsCountAmongTheBuyersCards) {
  for (const char* card : {"c1", "c2"}) {
    ASSERT_OK(service_.OnPaymentFailed("org-1", {.payment_id = absl::StrCat("p-", card),
                                                 .status = payment::PaymentStatus::kFailed,
                                                 .failure_code = "payment_declined",
                                                 .payer = "u1",
                                                 .card_fingerprint = Fingerprint(card)}));
  }
  ASSERT_OK_AND_ASSIGN(Assessment third, service_.Assess(Order("u1", "c3")));
  EXPECT_NE(std::find(third.reasons.begin(), third.reasons.end(),
                      RiskReason{.signal = "distinct_cards",
                                 .weight = 50,
                                 .detail = "buyer paid with 3 cards in 1 day (threshold 3)"}),
            third.reasons.end())
      << Signals(third).size();
}

TEST_F(FraudServiceTest, SettingsAreTheOrganizationsOwnAndValidated) {
  ASSERT_OK_AND_ASSIGN(RiskSettings defaults, service_.GetSettings("org-1"));
  EXPECT_EQ(defaults, DefaultRiskSettings());
  RiskSettings bad = defaults;
  bad.deny_score = 0;
  EXPECT_THAT(service_.PutSettings("org-1", bad).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid_fraud_settings"));
  ASSERT_OK_AND_ASSIGN(RiskSettings still, service_.GetSettings("org-1"));
  EXPECT_EQ(still, DefaultRiskSettings());

  RiskSettings strict = defaults;
  strict.rules[Signal::kCardVelocity].threshold = 2;
  ASSERT_OK(service_.PutSettings("org-1", strict).status());
  ASSERT_OK(service_.Assess(Order("a", "card-strict")).status());
  ASSERT_OK_AND_ASSIGN(Assessment second, service_.Assess(Order("b", "card-strict")));
  EXPECT_EQ(second.decision, Decision::kDeny);
  ASSERT_OK_AND_ASSIGN(RiskSettings other, service_.GetSettings("org-2"));
  EXPECT_EQ(other, DefaultRiskSettings());
}

TEST_F(FraudServiceTest, OneMailboxCountsAsOneHoweverItIsSpelt) {
  RiskSettings settings = DefaultRiskSettings();
  settings.rules[Signal::kEmailVelocity].threshold = 3;
  ASSERT_OK(service_.PutSettings("org-1", settings).status());
  const char* spellings[] = {"Rahim.Uddin@Gmail.com", "rahimuddin+eid1@googlemail.com",
                             " rahim.uddin+2@gmail.com"};
  std::vector<std::vector<std::string>> signals;
  for (int i = 0; i < 3; ++i) {
    AssessRequest order = Order(absl::StrCat("u", i), absl::StrCat("c", i));
    order.email = spellings[i];
    ASSERT_OK_AND_ASSIGN(Assessment assessment, service_.Assess(order));
    signals.push_back(Signals(assessment));
  }
  EXPECT_TRUE(signals[1].empty());
  EXPECT_EQ(signals[2], std::vector<std::string>{"email_velocity"});
}

// From a compromised caller: shapes and sizes that would poison keys or overflow sums.
TEST_F(FraudServiceTest, MalformedOrHugeFactsAreRefusedAndCountNothing) {
  AssessRequest huge = Order("u1", "card-1");
  huge.total = {9'000'000'000'000'000'000, "BDT"};
  huge.card_fingerprint = "NOT:HEX;";
  huge.seats = 1'000'000;
  huge.email = std::string(300, 'a');
  const absl::Status refused = service_.Assess(huge).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(refused)) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"email", "card_fingerprint", "seats", "total"}));
  // Nothing was counted: the next normal order on the journey is measured as the first.
  ASSERT_OK_AND_ASSIGN(Assessment normal, service_.Assess(Order("u2", "card-1")));
  EXPECT_TRUE(normal.reasons.empty());
}

TEST_F(FraudServiceTest, AnIncompleteRequestIsRefused) {
  AssessRequest bad = Order("u1", "card-1");
  bad.order_id = "";
  bad.seats = 0;
  EXPECT_THAT(service_.Assess(bad).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
}

}  // namespace
}  // namespace travio::fraud
