// The pricing use cases over the SQL rule store, on SQLite and on PostgreSQL: rules are
// versioned, scoped to their organization, refused whole when invalid, and priced from at once.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <latch>
#include <thread>
#include <utility>

#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/cel/conversions.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/pricing/app/pricing_service.h"
#include "services/pricing/storage/sql/sql_rule_store.h"

namespace travio::pricing {
namespace {

using testing::SqlEngine;
using ::travio::testing::StatusIs;

class RuleStoreContract : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    ASSERT_OK(db::ApplyMigrations(*database_, "pricing", PricingMigrations()));
    store_ = MakeSqlRuleStore(*database_);
    clock_.Set(*cel::ParseTimestamp("2026-12-08T10:00:00Z"));
    UseSettings({.max_rules_per_org = 3});
  }

  // The service over the same store, with other settings.
  void UseSettings(PricingService::Settings settings) {
    service_ = std::make_unique<PricingService>(
        PricingService::Ports{.store = *store_,
                              .clock = clock_,
                              .ids = ids_,
                              .logger = log::Logger::ToStderr(log::Level::kError)},
        std::move(settings));
  }

  static RuleDraft Weekend() {
    return RuleDraft{.name = "Weekend surcharge",
                     .priority = 10,
                     .when = "trip.departure.getDayOfWeek() in [5, 6]",
                     .adjust = "price + price / 10"};
  }

  // Reads labels, so no two seats share an evaluation: many seats take many steps.
  static RuleDraft SlowRule() {
    return RuleDraft{.name = "Slow",
                     .priority = 1,
                     .when =
                         "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, "
                         "20].all(x, x > 0) && seat.label != ''",
                     .adjust = "price + 1"};
  }

  // A trip with `seats` seats of one kind, labelled S0, S1, ...
  PriceRequest ManySeats(const std::string& org, int seats) {
    PriceRequest many = Request(org, kFriday);
    many.seats.clear();
    for (int i = 0; i < seats; ++i) {
      many.seats.push_back(
          SeatFacts{.label = "S" + std::to_string(i), .category = "", .deck = 1, .base = 100000});
    }
    return many;
  }

  PriceRequest Request(const std::string& org, const std::string& departure) {
    return PriceRequest{
        .org_id = org,
        .trip = TripFacts{.id = "t1",
                          .route_id = "r1",
                          .departure = *cel::ParseTimestamp(departure),
                          .bus_class = "seater",
                          .ac = true,
                          .zone = "Asia/Dhaka"},
        .journey = JourneyFacts{.from = "DAC", .to = "CXB", .legs = 1},
        .occupancy = 10,
        .passengers = 1,
        .at = std::nullopt,
        .currency = "BDT",
        .seats = {SeatFacts{.label = "A1", .category = "", .deck = 1, .base = 100000},
                  SeatFacts{.label = "A2", .category = "", .deck = 1, .base = 100000}}};
  }

  testing::SqlTestStorage storage_{GetParam()};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<RuleStore> store_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
  std::unique_ptr<PricingService> service_;
  const std::string org_ = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
  const std::string other_org_ = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900002";
  static constexpr char kFriday[] = "2026-12-11T22:30:00+06:00";
  static constexpr char kTuesday[] = "2026-12-08T22:30:00+06:00";
};

TEST_P(RuleStoreContract, ASavedRulePricesAtOnce) {
  ASSERT_OK_AND_ASSIGN(PriceResult before, service_->PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(before.seats[0].price, 100000);
  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  EXPECT_EQ(rule.version, 1);
  ASSERT_OK_AND_ASSIGN(PriceResult friday, service_->PriceSeats(Request(org_, kFriday)));
  ASSERT_EQ(friday.seats.size(), 2u);
  EXPECT_EQ(friday.seats[0].price, 110000);
  EXPECT_EQ(friday.seats[1].seat, "A2");
  EXPECT_EQ(friday.seats[1].price, 110000);
  ASSERT_EQ(friday.seats[0].applied.size(), 1u);
  EXPECT_EQ(friday.seats[0].applied[0].rule_id, rule.id);
  EXPECT_EQ(friday.seats[0].applied[0].version, 1);
  ASSERT_OK_AND_ASSIGN(PriceResult tuesday, service_->PriceSeats(Request(org_, kTuesday)));
  EXPECT_EQ(tuesday.seats[0].price, 100000);
  EXPECT_TRUE(tuesday.seats[0].applied.empty());
  // Another organization's trips are not touched by it.
  ASSERT_OK_AND_ASSIGN(PriceResult other, service_->PriceSeats(Request(other_org_, kFriday)));
  EXPECT_EQ(other.seats[0].price, 100000);
}

TEST_P(RuleStoreContract, AChangeIsANewVersionAndOldVersionsStay) {
  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  RuleDraft steeper = Weekend();
  steeper.adjust = "price + price / 5";
  ASSERT_OK_AND_ASSIGN(PricingRule changed, service_->UpdateRule(org_, rule.id, steeper));
  EXPECT_EQ(changed.version, 2);
  EXPECT_EQ(changed.created_at, rule.created_at);
  ASSERT_OK_AND_ASSIGN(PriceResult friday, service_->PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(friday.seats[0].price, 120000);
  EXPECT_EQ(friday.seats[0].applied[0].version, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<PricingRule> listed, service_->ListRules(org_));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].version, 2);
  ASSERT_OK_AND_ASSIGN(db::Result versions,
                       database_->Execute("SELECT version FROM pricing_rules WHERE id = $1 "
                                          "ORDER BY version",
                                          {rule.id}));
  EXPECT_EQ(versions.rows.size(), 2u);
}

TEST_P(RuleStoreContract, AnInvalidRuleIsRefusedWithItsPlaceAndNothingIsSaved) {
  RuleDraft typo = Weekend();
  typo.when = "trp.departure.getDayOfWeek() == 5";
  auto created = service_->CreateRule(org_, typo);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument, "invalid_expression"));
  EXPECT_EQ(FieldErrorsOf(created.status()),
            (std::vector<FieldError>{{"when", "undeclared reference to 'trp'", 1, 1}}));
  ASSERT_OK_AND_ASSIGN(std::vector<PricingRule> listed, service_->ListRules(org_));
  EXPECT_TRUE(listed.empty());

  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  RuleDraft bad_change = Weekend();
  bad_change.adjust = "price * 1.1";
  EXPECT_THAT(service_->UpdateRule(org_, rule.id, bad_change),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid_expression"));
  ASSERT_OK_AND_ASSIGN(PricingRule still, service_->GetRule(org_, rule.id));
  EXPECT_EQ(still.version, 1);
  EXPECT_EQ(still.spec.adjust, Weekend().adjust);
}

TEST_P(RuleStoreContract, RulesBelongToTheirOrganization) {
  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  EXPECT_THAT(service_->GetRule(other_org_, rule.id),
              StatusIs(absl::StatusCode::kNotFound, "rule_not_found"));
  EXPECT_THAT(service_->UpdateRule(other_org_, rule.id, Weekend()),
              StatusIs(absl::StatusCode::kNotFound, "rule_not_found"));
  EXPECT_THAT(service_->DeleteRule(other_org_, rule.id),
              StatusIs(absl::StatusCode::kNotFound, "rule_not_found"));
  ASSERT_OK_AND_ASSIGN(std::vector<PricingRule> theirs, service_->ListRules(other_org_));
  EXPECT_TRUE(theirs.empty());
  ASSERT_OK(service_->GetRule(org_, rule.id));
}

TEST_P(RuleStoreContract, ADeletedRuleNoLongerPrices) {
  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  ASSERT_OK(service_->DeleteRule(org_, rule.id));
  EXPECT_THAT(service_->GetRule(org_, rule.id), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(service_->DeleteRule(org_, rule.id), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(PriceResult friday, service_->PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(friday.seats[0].price, 100000);
}

TEST_P(RuleStoreContract, AnOrganizationHasAtMostItsLimitOfRules) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(service_->CreateRule(org_, Weekend()));
  EXPECT_THAT(service_->CreateRule(org_, Weekend()),
              StatusIs(absl::StatusCode::kFailedPrecondition, "too_many_rules"));
  ASSERT_OK(service_->CreateRule(other_org_, Weekend()));
}

TEST_P(RuleStoreContract, RacingChangesOfOneVersionLeaveExactlyOneWinner) {
  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  constexpr int kRacers = 4;
  std::latch start(kRacers);
  std::atomic<int> won = 0;
  std::atomic<int> lost = 0;
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      PricingRule next = rule;
      next.spec.adjust = "price + " + std::to_string(i + 1);
      next.version = 2;
      start.arrive_and_wait();
      absl::Status replaced = store_->Replace(next);
      if (replaced.ok()) {
        ++won;
      } else if (IsReason(replaced, reasons::kConcurrentUpdate)) {
        ++lost;
      }
    });
  }
  for (std::thread& racer : racers) racer.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), kRacers - 1);
  ASSERT_OK_AND_ASSIGN(db::Result current, database_->Execute("SELECT COUNT(*) FROM pricing_rules "
                                                              "WHERE id = $1 AND current = 1",
                                                              {rule.id}));
  EXPECT_EQ(current.rows[0].Int(0), 1);
}

TEST_P(RuleStoreContract, EvaluatesTheEditorsExpressionsWithTypedBindings) {
  ASSERT_OK_AND_ASSIGN(
      EvaluationResult result,
      service_->Evaluate(
          org_, {"trip.departure.getDayOfWeek('Asia/Dhaka') == 5 ? price + 1 : 0",
                 R"({"price": 100, "trip": {"departure": ")" + std::string(kFriday) + R"("}})"}));
  EXPECT_EQ(result.value_json, "101");
  EXPECT_EQ(result.type, "int");
  ASSERT_OK_AND_ASSIGN(result, service_->Evaluate(org_, {"[x, 1.5]", R"({"x": 2})"}));
  EXPECT_EQ(result.value_json, "[2,1.5]");
  EXPECT_EQ(result.type, "list");
  auto invalid = service_->Evaluate(org_, {"1 + 1.0", "{}"});
  EXPECT_THAT(invalid, StatusIs(absl::StatusCode::kInvalidArgument, "invalid_expression"));
  EXPECT_EQ(
      FieldErrorsOf(invalid.status())[0],
      (FieldError{"expression", "no matching overload for '_+_' applied to (int, double)", 1, 3}));
  EXPECT_THAT(service_->Evaluate(org_, {"price / 0", R"({"price": 1})"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "evaluation_error"));
  EXPECT_THAT(service_->Evaluate(org_, {"price", R"({"price": "cheap"})"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
}

TEST_P(RuleStoreContract, AnOrganizationIsPricedFromMemoryOnlyWhileItsRulesAreFreshAndLight) {
  auto light = [&](const std::string& org, int trips) {
    const std::optional<int64_t> steps = service_->StepsFromMemory(org, trips);
    return steps.has_value() && *steps <= kStepsPricedFromMemory;
  };
  EXPECT_FALSE(light(org_, 1));  // its rules not read yet
  ASSERT_OK(service_->CreateRule(org_, Weekend()));
  ASSERT_OK(service_->PriceSeats(Request(org_, kFriday)));
  EXPECT_TRUE(light(org_, 1));
  EXPECT_TRUE(light(org_, 6));
  // A page of very many trips under rules that cost anything at all is not light.
  EXPECT_FALSE(light(org_, kStepsPricedFromMemory + 1));
  // In the last tenth of the rules' two seconds in cache, the next search reads them again.
  clock_.Advance(absl::Milliseconds(1850));
  EXPECT_FALSE(light(org_, 1));
  clock_.Advance(absl::Seconds(1));
  ASSERT_OK(service_->PriceSeats(Request(org_, kFriday)));  // read again
  EXPECT_TRUE(light(org_, 1));
  // A change forgets them until they are read again.
  ASSERT_OK(service_->CreateRule(org_, SlowRule()));
  EXPECT_FALSE(light(org_, 1));
  // Rules that took many steps for one trip: a few such trips already go to the workers.
  ASSERT_OK(service_->PriceSeats(ManySeats(org_, 40)));
  EXPECT_FALSE(light(org_, 10));
  // Another organization's rules are its own.
  EXPECT_FALSE(light(other_org_, 1));
}

TEST_P(RuleStoreContract, PricingFromMemoryNeverReadsAndStaysWithinItsSteps) {
  ASSERT_OK(service_->CreateRule(org_, Weekend()));
  const std::vector<PriceRequest> page = {Request(org_, kFriday), Request(org_, kTuesday)};
  // The rules are not in memory: it would read them.
  EXPECT_THAT(service_->PriceManyFromMemory(page, kStepsPricedFromMemory),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  ASSERT_OK_AND_ASSIGN(std::vector<PriceResult> read, service_->PriceMany(page));
  ASSERT_OK_AND_ASSIGN(std::vector<PriceResult> from_memory,
                       service_->PriceManyFromMemory(page, kStepsPricedFromMemory));
  ASSERT_EQ(from_memory.size(), 2u);
  EXPECT_EQ(from_memory[0].seats[0].price, 110000);
  EXPECT_EQ(from_memory[0].seats[0].price, read[0].seats[0].price);
  EXPECT_EQ(from_memory[1].seats[0].price, 100000);
  // More steps than it may take: the workers price it.
  EXPECT_THAT(service_->PriceManyFromMemory(page, 1),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  // That budget may have been a page's, spent on other operators: this one stays light.
  EXPECT_TRUE(service_->StepsFromMemory(org_, 1).has_value());
  // Rules gone stale are read again, but not from memory.
  clock_.Advance(absl::Seconds(3));
  EXPECT_THAT(service_->PriceManyFromMemory(page, kStepsPricedFromMemory),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  // A rule that fails is logged where logging may wait: on the workers.
  ASSERT_OK(service_->CreateRule(org_, RuleDraft{.name = "Fails",
                                                 .priority = 2,
                                                 .when = "true",
                                                 .adjust = "price / (occupancy - occupancy)"}));
  ASSERT_OK_AND_ASSIGN(read, service_->PriceMany(page));
  ASSERT_FALSE(read[0].seats[0].skipped.empty());
  EXPECT_TRUE(service_->StepsFromMemory(org_, 1).has_value());  // it has not learnt yet
  EXPECT_THAT(service_->PriceManyFromMemory(page, kStepsPricedFromMemory),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  // The forecast learns: searches of its trips stop trying memory until the rules are read.
  EXPECT_FALSE(service_->StepsFromMemory(org_, 1).has_value());
  clock_.Advance(absl::Seconds(3));
  ASSERT_OK(service_->PriceMany(page));
  EXPECT_TRUE(service_->StepsFromMemory(org_, 1).has_value());
}

TEST_P(RuleStoreContract, RulesThatCostTooMuchPriceNothingAndSearchFallsBackToBaseFares) {
  // Each evaluation stays within its own budget, but reading labels (no sharing between seats)
  // over many seats adds up beyond the request's.
  UseSettings({.max_rules_per_org = 3, .max_request_cost = 2000});
  ASSERT_OK(service_->CreateRule(org_, SlowRule()));
  const PriceRequest many = ManySeats(org_, 40);
  EXPECT_THAT(service_->PriceSeats(many),
              StatusIs(absl::StatusCode::kFailedPrecondition, "pricing_too_costly"));
  // A hold of two seats is within the budget.
  ASSERT_OK_AND_ASSIGN(PriceResult two, service_->PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(two.seats[0].price, 100001);
  // In a page of results, that operator's trip shows base fares; the others are priced.
  ASSERT_OK(service_->CreateRule(other_org_, Weekend()));
  ASSERT_OK_AND_ASSIGN(std::vector<PriceResult> page,
                       service_->PriceMany({many, Request(other_org_, kFriday)}));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].seats[0].price, 100000);
  EXPECT_NE(page[0].seats[0].refused, "");
  EXPECT_EQ(page[1].seats[0].price, 110000);
}

TEST_P(RuleStoreContract, APageOfResultsSharesOneBudgetPerOperator) {
  // Two seats cost under 300 steps under this rule: 40 of the operator's trips on one page would
  // cost forty times that, had each trip a budget of its own.
  UseSettings({.max_rules_per_org = 3, .max_request_cost = 300});
  ASSERT_OK(service_->CreateRule(org_, RuleDraft{.name = "Labelled",
                                                 .priority = 1,
                                                 .when = "[1, 2, 3, 4, 5].all(x, x > 0) && "
                                                         "seat.label != ''",
                                                 .adjust = "price + 1"}));
  ASSERT_OK(service_->CreateRule(other_org_, Weekend()));
  ASSERT_OK_AND_ASSIGN(PriceResult alone, service_->PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(alone.seats[0].price, 100001);
  std::vector<PriceRequest> page(40, Request(org_, kFriday));
  page.push_back(Request(other_org_, kFriday));
  ASSERT_OK_AND_ASSIGN(std::vector<PriceResult> priced, service_->PriceMany(page));
  ASSERT_EQ(priced.size(), 41u);
  int with_rules = 0;
  for (size_t i = 0; i < 40; ++i) {
    if (priced[i].seats[0].price == 100001) {
      ++with_rules;
    } else {
      EXPECT_EQ(priced[i].seats[0].price, 100000);
      EXPECT_NE(priced[i].seats[0].refused, "");
    }
  }
  EXPECT_GE(with_rules, 1);
  EXPECT_LE(with_rules, 6);
  // Another operator on the page has a budget of its own.
  EXPECT_EQ(priced[40].seats[0].price, 110000);
}

// A store through which a rule changes while the service reads the organization's rules.
class ChangingWhileRead final : public RuleStore {
 public:
  ChangingWhileRead(RuleStore& store, std::function<void()> change)
      : store_(store), change_(std::move(change)) {}
  absl::Status Insert(const PricingRule& rule) override { return store_.Insert(rule); }
  absl::StatusOr<std::optional<PricingRule>> Find(const std::string& org_id,
                                                  const std::string& rule_id) override {
    return store_.Find(org_id, rule_id);
  }
  absl::StatusOr<std::vector<PricingRule>> ListCurrent(const std::string& org_id) override {
    auto rules = store_.ListCurrent(org_id);
    if (change_) std::exchange(change_, nullptr)();
    return rules;
  }
  absl::Status Replace(const PricingRule& next) override { return store_.Replace(next); }
  absl::StatusOr<bool> Delete(const std::string& org_id, const std::string& rule_id,
                              absl::Time at) override {
    return store_.Delete(org_id, rule_id, at);
  }

 private:
  RuleStore& store_;
  std::function<void()> change_;
};

TEST_P(RuleStoreContract, RulesReadBeforeAChangeAreNotCachedAfterIt) {
  ASSERT_OK_AND_ASSIGN(PricingRule rule, service_->CreateRule(org_, Weekend()));
  PricingService* service = nullptr;
  ChangingWhileRead changing(*store_, [&] {
    RuleDraft steeper = Weekend();
    steeper.adjust = "price + price / 5";
    ASSERT_OK(service->UpdateRule(org_, rule.id, steeper));
  });
  PricingService racing(PricingService::Ports{.store = changing,
                                              .clock = clock_,
                                              .ids = ids_,
                                              .logger = log::Logger::ToStderr(log::Level::kError)},
                        PricingService::Settings{.max_rules_per_org = 3});
  service = &racing;
  // The first price raced the change (it read version 1); the next one sees version 2 at once,
  // not after the cache's lifetime.
  ASSERT_OK_AND_ASSIGN(PriceResult raced, racing.PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(raced.seats[0].price, 110000);
  ASSERT_OK_AND_ASSIGN(PriceResult next, racing.PriceSeats(Request(org_, kFriday)));
  EXPECT_EQ(next.seats[0].price, 120000);
  EXPECT_EQ(next.seats[0].applied[0].version, 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, RuleStoreContract,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::pricing
