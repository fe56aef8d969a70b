// The subscription use cases over the SQL store, on SQLite and on PostgreSQL: reservations that
// racing callers cannot push past a plan's limit, usage counted from the events of what exists
// (once per event, whatever the order reservations and events arrive in), reservations given
// back when their event never comes, per-period quotas that start again, and plan changes
// (upgrades at once with their prorated charge, downgrades at the period's end or refused).
#include "services/subscription/app/subscription_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/subscription/api/subscription_events.h"
#include "services/subscription/storage/sql_subscription_store.h"

namespace travio::subscription {
namespace {

using testing::SqlEngine;

constexpr char kOrg[] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
constexpr char kOtherOrg[] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900002";
const absl::Time kJanuary1 = absl::FromUnixSeconds(1'767'225'600);  // 2026-01-01T00:00:00Z

Plan Small() {
  return {.name = "small",
          .monthly_price = {100'000, "BDT"},
          .booking_fee = 500,
          .quotas = {{Quota::kBuses, 3},
                     {Quota::kRoutes, 2},
                     {Quota::kStaff, 2},
                     {Quota::kTripsPerMonth, 5},
                     {Quota::kBookingsPerMonth, 4}}};
}

Plan Big() {
  return {.name = "big",
          .monthly_price = {300'000, "BDT"},
          .booking_fee = 300,
          .quotas = {{Quota::kBuses, 10},
                     {Quota::kRoutes, 10},
                     {Quota::kStaff, 10},
                     {Quota::kTripsPerMonth, 10},
                     {Quota::kBookingsPerMonth, 10}}};
}

class SubscriptionServiceTest : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    clock_.Set(kJanuary1);
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = SubscriptionMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "subscription", migrations));
    outbox_ = std::make_unique<events::Outbox>("subscription", *database_);
    inbox_ = std::make_unique<events::Inbox>("subscription", *database_);
    ASSERT_OK(outbox_->Migrate());
    ASSERT_OK(inbox_->Migrate());
    store_ = MakeSqlSubscriptionStore(*database_, *inbox_, *outbox_);
    auto service =
        SubscriptionService::Create({.store = *store_,
                                     .clock = clock_,
                                     .ids = ids_,
                                     .logger = log::Logger::ToStderr(log::Level::kError)},
                                    {.plans = {Big(), Small()},
                                     .default_plan = "small",
                                     .trial = absl::Hours(14 * 24),
                                     .billing_zone = absl::UTCTimeZone(),
                                     .reservation_ttl = absl::Minutes(5)});
    ASSERT_OK(service);
    service_ = *service;
  }

  QuotaUse Use(Quota quota, const std::string& key, const std::string& org = kOrg) {
    return {.org_id = org, .quota = quota, .key = key};
  }

  // An event of the organization's, as its producer would send it.
  events::Event EventOf(const std::string& aggregate, const std::string& org = kOrg) {
    return {.id = ids_.NewId(),
            .type = "test.v1",
            .aggregate_id = aggregate,
            .org_id = org,
            .occurred_at = clock_.Now(),
            .payload = "{}"};
  }

  int64_t Used(Quota quota, const std::string& org = kOrg) {
    auto view = service_->GetSubscription(org);
    EXPECT_OK(view);
    return view.ok() ? view->usage.at(quota) : -1;
  }

  std::vector<std::string> EventTypes() {
    auto pending = outbox_->Pending(1000);
    EXPECT_OK(pending);
    std::vector<std::string> types;
    if (pending.ok()) {
      for (const auto& [sequence, event] : *pending) types.push_back(event.type);
    }
    return types;
  }

  std::vector<events::Event> Events(std::string_view type) {
    auto pending = outbox_->Pending(1000);
    EXPECT_OK(pending);
    std::vector<events::Event> found;
    if (pending.ok()) {
      for (const auto& [sequence, event] : *pending) {
        if (event.type == type) found.push_back(event);
      }
    }
    return found;
  }

  testing::SqlTestStorage storage_{GetParam()};
  ManualClock clock_;
  IdGenerator ids_{clock_};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<events::Inbox> inbox_;
  std::unique_ptr<SubscriptionStore> store_;
  std::shared_ptr<SubscriptionService> service_;
};

TEST_P(SubscriptionServiceTest, ANewOrganizationStartsOnTheDefaultPlansTrial) {
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOrg)));
  auto view = service_->GetSubscription(kOrg);
  ASSERT_OK(view);
  EXPECT_EQ(view->plan, "small");
  EXPECT_EQ(view->status, "trialing");
  EXPECT_EQ(view->trial_end, kJanuary1 + absl::Hours(14 * 24));
  EXPECT_EQ(view->period_start, kJanuary1);
  EXPECT_EQ(view->period_end, absl::FromUnixSeconds(1'769'904'000));  // 2026-02-01
  EXPECT_EQ(view->limits.at(Quota::kBuses), 3);
  EXPECT_EQ(view->usage.at(Quota::kBuses), 0);
  EXPECT_EQ(EventTypes(), std::vector<std::string>{"subscription.started.v1"});
  // Said once, however often the organization is looked at or its creation delivered.
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOrg)));
  ASSERT_OK(service_->GetSubscription(kOrg));
  EXPECT_EQ(EventTypes().size(), 1u);
  clock_.Advance(absl::Hours(15 * 24));
  EXPECT_EQ(service_->GetSubscription(kOrg)->status, "active");
}

TEST_P(SubscriptionServiceTest, RacingReservationsNeverPassTheLimit) {
  constexpr int kCallers = 8;
  std::atomic<int> granted{0};
  std::atomic<int> refused{0};
  std::latch start(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      const absl::Status status =
          service_->Reserve(Use(Quota::kBuses, absl::StrCat("bus-", i))).status();
      if (status.ok()) {
        ++granted;
      } else {
        EXPECT_EQ(ReasonOf(status), "plan_limit_reached") << status;
        ++refused;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(granted.load(), 3);
  EXPECT_EQ(refused.load(), kCallers - 3);
  EXPECT_EQ(Used(Quota::kBuses), 3);

  const absl::Status refusal = service_->Reserve(Use(Quota::kBuses, "bus-late")).status();
  EXPECT_EQ(refusal.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(
      ProblemFieldsOf(refusal),
      (std::vector<ProblemField>{{"quota", "buses"}, {"limit", int64_t{3}}, {"used", int64_t{3}}}));
  EXPECT_OK(service_->Reserve(Use(Quota::kBuses, "bus-x", kOtherOrg)));  // per organization
}

TEST_P(SubscriptionServiceTest, AReservationIsCountedOnceAndGivenBackOnlyWhileReserved) {
  EXPECT_EQ(service_->Reserve(Use(Quota::kRoutes, "route-1")).value_or(false), true);
  // A retry: not made by this call.
  EXPECT_EQ(service_->Reserve(Use(Quota::kRoutes, "route-1")).value_or(true), false);
  EXPECT_EQ(Used(Quota::kRoutes), 1);
  ASSERT_OK(service_->Release(Use(Quota::kRoutes, "route-1")));
  ASSERT_OK(service_->Release(Use(Quota::kRoutes, "route-1")));
  ASSERT_OK(service_->Release(Use(Quota::kRoutes, "never-reserved")));
  EXPECT_EQ(Used(Quota::kRoutes), 0);

  // Once its event counted it, the resource exists: a late give-back changes nothing.
  ASSERT_OK(service_->Reserve(Use(Quota::kRoutes, "route-2")));
  ASSERT_OK(service_->OnResourceAdded(EventOf("route-2"), Quota::kRoutes, "route-2"));
  ASSERT_OK(service_->Release(Use(Quota::kRoutes, "route-2")));
  EXPECT_EQ(Used(Quota::kRoutes), 1);

  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kRoutes, "")).status()), "invalid_quota_use");
  for (int64_t amount : {int64_t{0}, int64_t{-1}, int64_t{1001}, INT64_MAX}) {
    EXPECT_EQ(
        ReasonOf(
            service_
                ->Reserve({.org_id = kOrg, .quota = Quota::kRoutes, .key = "k", .amount = amount})
                .status()),
        "invalid_quota_use");
  }
  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kRoutes, std::string(201, 'k'))).status()),
            "invalid_quota_use");
}

TEST_P(SubscriptionServiceTest, UsageIsWhatTheEventsSayExistsCountedOncePerEvent) {
  const events::Event registered = EventOf("bus-1");
  // Registered without a reservation (made before quotas were kept): it counts all the same.
  ASSERT_OK(service_->OnResourceAdded(registered, Quota::kBuses, "bus-1"));
  ASSERT_OK(service_->OnResourceAdded(registered, Quota::kBuses, "bus-1"));  // redelivered
  EXPECT_EQ(Used(Quota::kBuses), 1);
  const events::Event removed = EventOf("bus-1");
  ASSERT_OK(service_->OnResourceRemoved(removed, Quota::kBuses, "bus-1"));
  ASSERT_OK(service_->OnResourceRemoved(removed, Quota::kBuses, "bus-1"));
  EXPECT_EQ(Used(Quota::kBuses), 0);
  // A removal seen before its registration keeps the bus out when the registration comes.
  ASSERT_OK(service_->OnResourceRemoved(EventOf("bus-2"), Quota::kBuses, "bus-2"));
  ASSERT_OK(service_->OnResourceAdded(EventOf("bus-2"), Quota::kBuses, "bus-2"));
  EXPECT_EQ(Used(Quota::kBuses), 0);
  // What exists counts even past the limit: the limit stops creations, not facts.
  for (int i = 0; i < 4; ++i) {
    const std::string key = absl::StrCat("old-", i);
    ASSERT_OK(service_->OnResourceAdded(EventOf(key), Quota::kBuses, key));
  }
  EXPECT_EQ(Used(Quota::kBuses), 4);
  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kBuses, "bus-3")).status()),
            "plan_limit_reached");
  // Events without an organization (platform events) count for nobody.
  ASSERT_OK(service_->OnResourceAdded(EventOf("bus-p", ""), Quota::kBuses, "bus-p"));
}

TEST_P(SubscriptionServiceTest, AReservationWhoseEventNeverComesIsGivenBackAndCountedIfItComes) {
  ASSERT_OK(service_->Reserve(Use(Quota::kStaff, "staff-1")));
  ASSERT_OK(service_->Reserve(Use(Quota::kStaff, "staff-2")));
  ASSERT_OK(service_->OnResourceAdded(EventOf("staff-2"), Quota::kStaff, "staff-2"));
  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kStaff, "staff-3")).status()),
            "plan_limit_reached");
  EXPECT_EQ(*service_->ReleaseExpiredReservations(100), 0);  // not yet due
  clock_.Advance(absl::Minutes(6));
  EXPECT_EQ(*service_->ReleaseExpiredReservations(100), 1);  // staff-1's caller died
  EXPECT_EQ(Used(Quota::kStaff), 1);
  ASSERT_OK(service_->Reserve(Use(Quota::kStaff, "staff-3")));
  EXPECT_EQ(Used(Quota::kStaff), 2);
  // staff-1 existed after all (its event was only late): it counts, over the limit if need be.
  ASSERT_OK(service_->OnResourceAdded(EventOf("staff-1"), Quota::kStaff, "staff-1"));
  EXPECT_EQ(Used(Quota::kStaff), 3);
}

TEST_P(SubscriptionServiceTest, PerPeriodQuotasStartAgainWithEachPeriod) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(service_->Reserve(Use(Quota::kTripsPerMonth, absl::StrCat("trip-", i))));
  }
  ASSERT_OK(service_->Reserve(Use(Quota::kBuses, "bus-1")));
  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kTripsPerMonth, "trip-5")).status()),
            "plan_limit_reached");
  clock_.Set(absl::FromUnixSeconds(1'769'904'000));  // 2026-02-01: a new period
  EXPECT_EQ(Used(Quota::kTripsPerMonth), 0);
  EXPECT_EQ(Used(Quota::kBuses), 1);  // buses are counted as they stand
  ASSERT_OK(service_->Reserve(Use(Quota::kTripsPerMonth, "trip-5")));
  // A January trip's late event counts in January, where it was reserved.
  ASSERT_OK(service_->OnResourceAdded(EventOf("trip-0"), Quota::kTripsPerMonth, "trip-0"));
  EXPECT_EQ(Used(Quota::kTripsPerMonth), 1);
}

TEST_P(SubscriptionServiceTest, AnUpgradeLiftsTheLimitAtOnceAndChargesTheRestOfThePeriod) {
  for (int i = 0; i < 3; ++i)
    ASSERT_OK(service_->Reserve(Use(Quota::kBuses, absl::StrCat("b", i))));
  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kBuses, "b3")).status()), "plan_limit_reached");
  clock_.Set(kJanuary1 + absl::Hours(19 * 24));  // January 20th, after the trial
  auto view = service_->ChangePlan({.org_id = kOrg, .plan = "big", .actor = "owner-1"});
  ASSERT_OK(view);
  EXPECT_EQ(view->plan, "big");
  EXPECT_EQ(view->limits.at(Quota::kBuses), 10);
  ASSERT_OK(service_->Reserve(Use(Quota::kBuses, "b3")));
  // 12 of January's 31 days left at (300,000 - 100,000) poisha a month: 77,419.35, rounded.
  const std::vector<events::Event> changed = Events("subscription.plan_changed.v1");
  ASSERT_EQ(changed.size(), 1u);
  auto payload = kPlanChanged.Read(changed[0]);
  ASSERT_OK(payload);
  EXPECT_EQ(payload->charge, (Money{77'419, "BDT"}));
  EXPECT_EQ(payload->previous_plan, "small");
  EXPECT_EQ(payload->actor, "owner-1");
  EXPECT_EQ(changed[0].org_id, kOrg);
  EXPECT_EQ(ReasonOf(service_->ChangePlan({.org_id = kOrg, .plan = "gold"}).status()),
            "plan_not_found");
}

TEST_P(SubscriptionServiceTest, ADowngradeWaitsForThePeriodsEndOrIsRefusedNamingTheQuotas) {
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "big"}));
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(service_->Reserve(Use(Quota::kBuses, absl::StrCat("b", i))));
  }
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(service_->Reserve(Use(Quota::kStaff, absl::StrCat("s", i))));
  }
  // This month's trips do not stand in the way: next month starts counting again.
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK(service_->Reserve(Use(Quota::kTripsPerMonth, absl::StrCat("t", i))));
  }
  auto refused = service_->ChangePlan({.org_id = kOrg, .plan = "small"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(refused.status()), "plan_downgrade_blocked");
  ASSERT_TRUE(ProblemListOf(refused.status()).has_value());
  EXPECT_EQ(ProblemListOf(refused.status())->values, (std::vector<std::string>{"buses", "staff"}));
  EXPECT_EQ(service_->GetSubscription(kOrg)->plan, "big");

  // Back within the smaller plan, the downgrade waits for the end of January.
  ASSERT_OK(service_->OnResourceRemoved(EventOf("b0"), Quota::kBuses, "b0"));
  ASSERT_OK(service_->OnResourceRemoved(EventOf("s0"), Quota::kStaff, "s0"));
  auto scheduled = service_->ChangePlan({.org_id = kOrg, .plan = "small"});
  ASSERT_OK(scheduled);
  EXPECT_EQ(scheduled->plan, "big");
  EXPECT_EQ(scheduled->pending_plan, "small");
  EXPECT_EQ(scheduled->pending_from, absl::FromUnixSeconds(1'769'904'000));
  EXPECT_EQ(scheduled->limits.at(Quota::kBuses), 3);           // the smaller plan's, already
  EXPECT_EQ(scheduled->limits.at(Quota::kTripsPerMonth), 10);  // this period's, still
  // Meanwhile what stands grows only within the smaller plan (or it would move there unpaid
  // for); what counts per period keeps this period's larger limit.
  EXPECT_EQ(ReasonOf(service_->Reserve(Use(Quota::kBuses, "b4")).status()), "plan_limit_reached");
  ASSERT_OK(service_->Reserve(Use(Quota::kTripsPerMonth, "t6")));
  // Asking for the current plan calls it off; asking again schedules it again.
  auto kept = service_->ChangePlan({.org_id = kOrg, .plan = "big"});
  ASSERT_OK(kept);
  EXPECT_TRUE(kept->pending_plan.empty());
  ASSERT_OK(service_->Reserve(Use(Quota::kBuses, "b4")));
  ASSERT_OK(service_->OnResourceRemoved(EventOf("b4"), Quota::kBuses, "b4"));
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "small"}));
  clock_.Set(absl::FromUnixSeconds(1'769'904'000) + absl::Seconds(1));
  EXPECT_EQ(*service_->ApplyDueDowngrades(10), 1);
  EXPECT_EQ(*service_->ApplyDueDowngrades(10), 0);
  auto february = service_->GetSubscription(kOrg);
  ASSERT_OK(february);
  EXPECT_EQ(february->plan, "small");
  EXPECT_TRUE(february->pending_plan.empty());
  EXPECT_EQ(EventTypes(),
            (std::vector<std::string>{
                "subscription.started.v1", "subscription.plan_changed.v1",
                "subscription.downgrade_scheduled.v1", "subscription.downgrade_cancelled.v1",
                "subscription.downgrade_scheduled.v1", "subscription.plan_changed.v1"}));
}

TEST_P(SubscriptionServiceTest, ADowngradeTheUsageNoLongerFitsIsCalledOffWhenDue) {
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "big"}));
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "small"}));
  // Buses made before quotas were kept, their events late: they exist all the same.
  for (int i = 0; i < 4; ++i) {
    const std::string key = absl::StrCat("old-", i);
    ASSERT_OK(service_->OnResourceAdded(EventOf(key), Quota::kBuses, key));
  }
  clock_.Set(absl::FromUnixSeconds(1'769'904'000));
  auto view = service_->GetSubscription(kOrg);  // applies what is due on the spot
  ASSERT_OK(view);
  EXPECT_EQ(view->plan, "big");
  EXPECT_TRUE(view->pending_plan.empty());
  EXPECT_EQ(Events("subscription.downgrade_cancelled.v1").size(), 1u);
  EXPECT_EQ(*service_->ApplyDueDowngrades(10), 0);
}

TEST_P(SubscriptionServiceTest, RacingChangesOfOnePlanChargeOnce) {
  clock_.Set(kJanuary1 + absl::Hours(19 * 24));  // after the trial: an upgrade is charged
  // Several organizations, each upgraded by racing requests (a double-clicked button).
  constexpr int kOrganizations = 10;
  constexpr int kCallers = 4;
  std::vector<std::string> orgs;
  for (int o = 0; o < kOrganizations; ++o) {
    orgs.push_back(absl::StrCat("0192f0c4-6c1b-7c3e-9a2b-5d7e8f9100", 10 + o));
    ASSERT_OK(service_->GetSubscription(orgs.back()));
  }
  std::latch start(kOrganizations * kCallers);
  std::vector<std::thread> callers;
  for (const std::string& org : orgs) {
    for (int i = 0; i < kCallers; ++i) {
      callers.emplace_back([&, org] {
        start.arrive_and_wait();
        EXPECT_OK(service_->ChangePlan({.org_id = org, .plan = "big", .actor = "owner-1"}));
      });
    }
  }
  for (std::thread& caller : callers) caller.join();
  std::map<std::string, int> upgrades;
  for (const events::Event& event : Events("subscription.plan_changed.v1"))
    ++upgrades[event.org_id];
  for (const std::string& org : orgs) {
    EXPECT_EQ(upgrades[org], 1) << org;
    EXPECT_EQ(service_->GetSubscription(org)->plan, "big");
  }
}

TEST_P(SubscriptionServiceTest, RacersWithOneKeyMakeOneUseAndTheSweeperNeverRacesAnEventIntoDrift) {
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "big"}));  // room for ten of each
  constexpr int kKeys = 10;
  constexpr int kCallers = 4;
  std::atomic<int> made{0};
  std::latch start(kKeys * kCallers);
  std::vector<std::thread> callers;
  for (int k = 0; k < kKeys; ++k) {
    for (int i = 0; i < kCallers; ++i) {
      callers.emplace_back([&, k] {
        start.arrive_and_wait();
        absl::StatusOr<bool> reserved =
            service_->Reserve(Use(Quota::kRoutes, absl::StrCat("route-", k % 2)));
        EXPECT_OK(reserved);
        if (reserved.ok() && *reserved) ++made;
        reserved = service_->Reserve(
            {.org_id = kOrg, .quota = Quota::kTripsPerMonth, .key = absl::StrCat("trip-", k)});
        EXPECT_OK(reserved);
      });
    }
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(made.load(), 2);
  EXPECT_EQ(Used(Quota::kRoutes), 2);
  EXPECT_EQ(Used(Quota::kTripsPerMonth), kKeys);

  // Reservations past their deadline, each given back by the sweeper while its late event
  // counts it: whichever comes first, each resource counts once.
  constexpr int kRaces = 4;
  for (int i = 0; i < kRaces; ++i) {
    ASSERT_OK(service_->Reserve(Use(Quota::kBookingsPerMonth, absl::StrCat("order-", i))));
  }
  clock_.Advance(absl::Minutes(6));
  std::latch go(kRaces + 1);
  std::vector<std::thread> events;
  for (int i = 0; i < kRaces; ++i) {
    events.emplace_back([&, i] {
      go.arrive_and_wait();
      const std::string key = absl::StrCat("order-", i);
      EXPECT_OK(service_->OnResourceAdded(EventOf(key), Quota::kBookingsPerMonth, key));
    });
  }
  go.arrive_and_wait();
  EXPECT_OK(service_->ReleaseExpiredReservations(100));
  for (std::thread& event : events) event.join();
  EXPECT_EQ(Used(Quota::kBookingsPerMonth), kRaces);
}

// An order confirmed at `at`, as the order service announces it.
events::Event Confirmed(IdGenerator& ids, absl::Time at, const std::string& org = kOrg) {
  return {.id = ids.NewId(),
          .type = "order.confirmed.v1",
          .aggregate_id = ids.NewId(),
          .org_id = org,
          .occurred_at = at,
          .payload = "{}"};
}

TEST_P(SubscriptionServiceTest, APeriodsInvoiceBillsThePlanAfterTheTrialTheUpgradeAndTheBookings) {
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOrg)));  // January 1st: trial to the 15th
  const absl::Duration day = absl::Hours(24);
  const events::Event first = Confirmed(ids_, kJanuary1 + 9 * day);
  ASSERT_OK(service_->OnBookingConfirmed(first, first.aggregate_id));
  ASSERT_OK(service_->OnBookingConfirmed(first, first.aggregate_id));  // redelivered
  // Confirmed on the 10th too, but its event only comes after the upgrade: small's fee still.
  const events::Event delayed = Confirmed(ids_, kJanuary1 + 9 * day);
  clock_.Set(kJanuary1 + 19 * day);
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "big"}));
  ASSERT_OK(service_->OnBookingConfirmed(delayed, delayed.aggregate_id));
  const events::Event late_january = Confirmed(ids_, kJanuary1 + 24 * day);
  ASSERT_OK(service_->OnBookingConfirmed(late_january, late_january.aggregate_id));

  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 0);  // January has not ended
  const absl::Time february = absl::FromUnixSeconds(1'769'904'000);
  clock_.Set(february + absl::Seconds(1));
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 0);  // run again: nothing billed twice

  auto page = service_->ListInvoices(kOrg, 10, "");
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  auto invoice = service_->GetInvoice(kOrg, page->items[0].id);
  ASSERT_OK(invoice);
  EXPECT_EQ(invoice->plan, "small");
  EXPECT_EQ(invoice->period_start, kJanuary1);
  EXPECT_EQ(invoice->period_end, february);
  EXPECT_EQ(invoice->number, "TRV-202601-000001");
  // Worked out by hand: small's 100,000 a month for the 17 of January's 31 days after the
  // trial (54,838.7); big less small for the 12 days from the 20th (77,419.35); two bookings at
  // small's 500 and one at big's 300.
  const std::vector<InvoiceLine> lines = {
      {"plan_fee", "small plan, after the trial", 1, 54'839, 54'839},
      {"proration", "upgrade from small to big", 1, 77'419, 77'419},
      {"booking_fees", "bookings at 5.00 each", 2, 500, 1'000},
      {"booking_fees", "bookings at 3.00 each", 1, 300, 300}};
  EXPECT_EQ(invoice->lines, lines);
  EXPECT_EQ(invoice->total, 54'839 + 77'419 + 1'000 + 300);
  EXPECT_EQ(invoice->currency, "BDT");
  EXPECT_EQ(Events("subscription.invoice_issued.v1").size(), 1u);

  // A January booking whose event comes after January closed is billed with February, at the
  // fee of the plan it was made under.
  const events::Event straggler = Confirmed(ids_, february - day);
  ASSERT_OK(service_->OnBookingConfirmed(straggler, straggler.aggregate_id));
  clock_.Set(absl::FromUnixSeconds(1'772'323'200) + absl::Seconds(1));  // March 1st
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);
  page = service_->ListInvoices(kOrg, 1, "");
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_FALSE(page->next_cursor.empty());
  auto march = service_->GetInvoice(kOrg, page->items[0].id);
  ASSERT_OK(march);
  EXPECT_EQ(march->plan, "big");
  EXPECT_EQ(march->number, "TRV-202602-000001");
  EXPECT_EQ(march->total, 300'000 + 300);
  auto older = service_->ListInvoices(kOrg, 1, page->next_cursor);
  ASSERT_OK(older);
  ASSERT_EQ(older->items.size(), 1u);
  EXPECT_EQ(older->items[0].id, invoice->id);

  // Invoices are their organization's alone; bad paging is refused.
  EXPECT_EQ(ReasonOf(service_->GetInvoice(kOtherOrg, invoice->id).status()), "invoice_not_found");
  EXPECT_EQ(ReasonOf(service_->ListInvoices(kOrg, 0, "").status()), "invalid_limit");
  EXPECT_EQ(ReasonOf(service_->ListInvoices(kOrg, 10, "yesterday").status()), "invalid_cursor");
}

TEST_P(SubscriptionServiceTest, APlanChosenAtTheStartIsTheOneEveryLaterPeriodIsBilledOn) {
  // The owner's first act is an upgrade: the subscription starts and moves in one instant.
  const absl::Duration day = absl::Hours(24);
  clock_.Set(kJanuary1 + 9 * day);
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "big"}));
  const absl::Time february = absl::FromUnixSeconds(1'769'904'000);
  clock_.Set(february + absl::Seconds(1));
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);
  // Another organization, started in February, is billed from its own first period.
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOtherOrg, kOtherOrg)));
  clock_.Set(absl::FromUnixSeconds(1'772'323'200) + absl::Seconds(1));  // March 1st
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 2);
  auto ours = service_->ListInvoices(kOrg, 10, "");
  ASSERT_OK(ours);
  ASSERT_EQ(ours->items.size(), 2u);
  // January: small from the trial's end on the 24th, and the upgrade from then (8 of 31 days:
  // 25,806.45 and 51,612.90); February: big's month.
  EXPECT_EQ(ours->items[1].total, 25'806 + 51'613);
  EXPECT_EQ(ours->items[0].plan, "big");
  EXPECT_EQ(ours->items[0].total, 300'000);
}

TEST_P(SubscriptionServiceTest, AnUpgradeAtAPeriodsFirstInstantIsChargedNotBilledTwice) {
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOrg)));  // January 1st, small
  const absl::Time february = absl::FromUnixSeconds(1'769'904'000);
  clock_.Set(february);
  ASSERT_OK(service_->ChangePlan({.org_id = kOrg, .plan = "big"}));
  clock_.Set(absl::FromUnixSeconds(1'772'323'200) + absl::Seconds(1));  // March 1st
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);             // January's
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);             // February's, a pass later
  auto page = service_->ListInvoices(kOrg, 10, "");
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  // February started on small and moved to big at once: small's month and the whole
  // difference, not big's month and the difference again.
  EXPECT_EQ(page->items[0].plan, "small");
  EXPECT_EQ(page->items[0].total, 100'000 + 200'000);
}

TEST_P(SubscriptionServiceTest, OneOrganizationsFailureHoldsBackNobodyElsesInvoice) {
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOrg)));
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOtherOrg, kOtherOrg)));
  // Its plan taken off the configuration: its period cannot be billed.
  ASSERT_OK(database_->Execute(
      "UPDATE subscription_plan_changes SET to_plan = 'gone' WHERE org_id = $1", {kOrg}));
  ASSERT_OK(database_->Execute("UPDATE subscription_accounts SET plan = 'gone' WHERE org_id = $1",
                               {kOrg}));
  clock_.Set(absl::FromUnixSeconds(1'769'904'000) + absl::Seconds(1));
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);
  EXPECT_EQ(service_->ListInvoices(kOtherOrg, 10, "")->items.size(), 1u);
  EXPECT_TRUE(service_->ListInvoices(kOrg, 10, "")->items.empty());
}

TEST_P(SubscriptionServiceTest, AnAccountFromBeforeInvoicesIsBilledFromItsOwnFirstPeriod) {
  ASSERT_OK(service_->OnOrganizationCreated(EventOf(kOrg)));
  // As migration 2 leaves an account it found: due since 1970.
  ASSERT_OK(database_->Execute("UPDATE subscription_accounts SET next_close_at = 0"));
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 0);
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 0);
  EXPECT_TRUE(service_->ListInvoices(kOrg, 10, "")->items.empty());
  clock_.Set(absl::FromUnixSeconds(1'769'904'000) + absl::Seconds(1));
  EXPECT_EQ(service_->CloseDuePeriods(10).value_or(-1), 1);
  EXPECT_EQ(service_->ListInvoices(kOrg, 10, "")->items[0].period_start, kJanuary1);
}

TEST_P(SubscriptionServiceTest, RacingPeriodJobsBillAPeriodOnce) {
  constexpr int kOrganizations = 5;
  for (int o = 0; o < kOrganizations; ++o) {
    ASSERT_OK(
        service_->GetSubscription(absl::StrCat("0192f0c4-6c1b-7c3e-9a2b-5d7e8f9200", 10 + o)));
  }
  clock_.Set(absl::FromUnixSeconds(1'769'904'000) + absl::Seconds(1));
  constexpr int kJobs = 3;
  std::atomic<int> issued{0};
  std::latch start(kJobs);
  std::vector<std::thread> jobs;
  for (int j = 0; j < kJobs; ++j) {
    jobs.emplace_back([&] {
      start.arrive_and_wait();
      absl::StatusOr<int> closed = service_->CloseDuePeriods(100);
      EXPECT_OK(closed);
      if (closed.ok()) issued += *closed;
    });
  }
  for (std::thread& job : jobs) job.join();
  EXPECT_EQ(issued.load(), kOrganizations);
  EXPECT_EQ(Events("subscription.invoice_issued.v1").size(), static_cast<size_t>(kOrganizations));
}

TEST_P(SubscriptionServiceTest, PlansAreListedCheapestFirstAndMustBeSound) {
  auto plans = service_->ListPlans();
  ASSERT_OK(plans);
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0].name, "small");
  EXPECT_EQ((*plans)[1].name, "big");
  Plan dollars = Big();
  dollars.monthly_price.currency = "USD";
  const SubscriptionService::Ports ports{.store = *store_,
                                         .clock = clock_,
                                         .ids = ids_,
                                         .logger = log::Logger::ToStderr(log::Level::kError)};
  EXPECT_FALSE(SubscriptionService::Create(ports, {.plans = {Small(), dollars},
                                                   .default_plan = "small",
                                                   .billing_zone = absl::UTCTimeZone()})
                   .ok());
  EXPECT_FALSE(
      SubscriptionService::Create(
          ports, {.plans = {Small()}, .default_plan = "big", .billing_zone = absl::UTCTimeZone()})
          .ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, SubscriptionServiceTest,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::subscription
