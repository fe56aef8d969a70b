#include "services/subscription/app/subscription_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::subscription {
namespace {

constexpr size_t kMaxKeyBytes = 200;
constexpr int64_t kMaxAmount = 1000;

// How a refusal names what a quota counts, for people.
std::string_view QuotaNoun(Quota quota) {
  switch (quota) {
    case Quota::kBuses:
      return "buses";
    case Quota::kRoutes:
      return "routes";
    case Quota::kStaff:
      return "staff members";
    case Quota::kTripsPerMonth:
      return "published trips a month";
    case Quota::kBookingsPerMonth:
      return "bookings a month";
  }
  return "units";
}

bool HasPendingDowngrade(const Account& account) { return !account.pending_plan.empty(); }

void ClearPending(Account& account) {
  account.pending_plan.clear();
  account.pending_from = absl::InfinitePast();
}

}  // namespace

SubscriptionService::SubscriptionService(Ports ports, SubscriptionSettings settings)
    : ports_(std::move(ports)), settings_(std::move(settings)) {
  std::sort(settings_.plans.begin(), settings_.plans.end(), [](const Plan& a, const Plan& b) {
    return a.monthly_price.amount != b.monthly_price.amount
               ? a.monthly_price.amount < b.monthly_price.amount
               : a.name < b.name;
  });
  if (ports_.metrics != nullptr) {
    refusals_ = &ports_.metrics->AddCounter(
        "travio_subscription_quota_refusals_total",
        "Creations refused because the organization's plan had no room, by quota", {"quota"});
    expired_ = &ports_.metrics
                    ->AddCounter("travio_subscription_reservations_expired_total",
                                 "Quota reservations given back because their resource's event "
                                 "did not come in time")
                    .WithLabels({});
  }
}

absl::StatusOr<std::shared_ptr<SubscriptionService>> SubscriptionService::Create(
    Ports ports, SubscriptionSettings settings) {
  std::set<std::string> names;
  for (const Plan& plan : settings.plans) {
    TRAVIO_RETURN_IF_ERROR(ValidatePlan(plan));
    if (!names.insert(plan.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("two plans are named ", ToAbsl(plan.name)));
    }
    if (plan.monthly_price.currency != settings.plans.front().monthly_price.currency) {
      return absl::InvalidArgumentError("every plan must be priced in the same currency");
    }
  }
  if (!names.count(settings.default_plan)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the default plan ", ToAbsl(settings.default_plan), " is not a plan"));
  }
  if (settings.reservation_ttl <= absl::ZeroDuration() || settings.trial < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "the reservation time must be positive, the trial not negative");
  }
  return std::shared_ptr<SubscriptionService>(
      new SubscriptionService(std::move(ports), std::move(settings)));
}

const Plan* SubscriptionService::FindPlan(const std::string& name) const {
  for (const Plan& plan : settings_.plans) {
    if (plan.name == name) return &plan;
  }
  return nullptr;
}

absl::StatusOr<const Plan*> SubscriptionService::PlanOf(const Account& account) const {
  const Plan* plan = FindPlan(account.plan);
  // The plans are configuration; one an organization is on cannot be taken off sale without
  // a decision about its subscribers, so this is a deployment's mistake, said loudly.
  if (plan == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("organization ", ToAbsl(account.org_id), " is on plan ", ToAbsl(account.plan),
                     ", which the configuration no longer defines"));
  }
  return plan;
}

BillingPeriod SubscriptionService::PeriodAt(absl::Time at) const {
  return PeriodOf(at, settings_.billing_zone, settings_.fixed_period);
}

absl::Time SubscriptionService::PeriodStartOf(Quota quota, absl::Time at) const {
  return IsPerPeriod(quota) ? PeriodAt(at).start : absl::UnixEpoch();
}

absl::StatusOr<Account> SubscriptionService::EnsureAccount(SubscriptionUnit& unit,
                                                           const std::string& org_id,
                                                           absl::Time at) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Account> found, unit.FindAccount(org_id));
  if (found) return *std::move(found);
  Account account{.org_id = org_id,
                  .plan = settings_.default_plan,
                  .trial_end = at + settings_.trial,
                  .created_at = at,
                  .next_close_at = PeriodAt(at).end};
  TRAVIO_ASSIGN_OR_RETURN(const bool inserted, unit.InsertAccount(account));
  if (!inserted) {
    // Started by a racing transaction meanwhile (SQLite serialises writers, so PostgreSQL's).
    TRAVIO_ASSIGN_OR_RETURN(found, unit.FindAccount(org_id));
    if (!found) return absl::AbortedError("the account appeared and vanished; try again");
    return *std::move(found);
  }
  TRAVIO_RETURN_IF_ERROR(unit.Append(
      kSubscriptionStarted.Make({.plan = account.plan,
                                 .effective_at = at,
                                 .trial_end = account.trial_end,
                                 .charge = {0, settings_.plans.front().monthly_price.currency}},
                                events::HeaderNow(ports_.ids, ports_.clock, org_id, org_id))));
  // The plan history invoices read starts here.
  TRAVIO_RETURN_IF_ERROR(unit.InsertPlanChange({.id = ports_.ids.NewId(),
                                                .org_id = org_id,
                                                .at = at,
                                                .kind = "started",
                                                .to_plan = account.plan,
                                                .period_start = PeriodAt(at).start}));
  ports_.logger.Info("subscription started", {{"org_id", org_id}, {"plan", account.plan}});
  return account;
}

absl::Status SubscriptionService::RecordChange(
    SubscriptionUnit& unit, const Account& account,
    const events::Contract<SubscriptionChanged>& contract, PlanChangeRecord change,
    absl::Time effective_at) {
  change.id = ports_.ids.NewId();
  change.org_id = account.org_id;
  TRAVIO_RETURN_IF_ERROR(unit.InsertPlanChange(change));
  return unit.Append(
      contract.Make({.plan = account.plan,
                     .previous_plan = change.from_plan,
                     .pending_plan = account.pending_plan,
                     .effective_at = effective_at,
                     .trial_end = account.trial_end,
                     .charge = {change.charge, settings_.plans.front().monthly_price.currency},
                     .actor = change.actor},
                    events::HeaderNow(ports_.ids, ports_.clock, account.org_id, account.org_id)));
}

absl::StatusOr<std::vector<Quota>> SubscriptionService::StandingQuotasExceeded(
    SubscriptionUnit& unit, const std::string& org_id, const Plan& plan) {
  std::map<Quota, int64_t> usage;
  for (Quota quota : kQuotas) {
    // Per-period quotas start again with the period the smaller plan begins in.
    if (IsPerPeriod(quota)) continue;
    TRAVIO_ASSIGN_OR_RETURN(usage[quota], unit.Used(org_id, quota, absl::UnixEpoch()));
  }
  return QuotasExceeded(plan, usage);
}

absl::Status SubscriptionService::ApplyDueDowngrade(SubscriptionUnit& unit, Account& account,
                                                    absl::Time now) {
  if (!HasPendingDowngrade(account) || account.pending_from > now) return absl::OkStatus();
  const absl::Time from = account.pending_from;
  const Plan* target = FindPlan(account.pending_plan);
  if (target == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("organization ", ToAbsl(account.org_id), " waits to move to plan ",
                     ToAbsl(account.pending_plan), ", which the configuration no longer defines"));
  }
  TRAVIO_ASSIGN_OR_RETURN(const std::vector<Quota> exceeded,
                          StandingQuotasExceeded(unit, account.org_id, *target));
  if (!exceeded.empty()) {
    // Reservations were held to the smaller plan meanwhile, so only usage counted from late
    // events gets here: the organization stays where its fleet fits, and is told.
    PlanChangeRecord change{.at = from,
                            .kind = "downgrade_cancelled",
                            .from_plan = account.pending_plan,
                            .to_plan = account.plan,
                            .period_start = PeriodAt(from).start};
    ClearPending(account);
    TRAVIO_RETURN_IF_ERROR(unit.UpdateAccount(account));
    ports_.logger.Warn("a downgrade due no longer fits the organization's usage; called off",
                       {{"org_id", account.org_id}, {"plan", account.plan}});
    return RecordChange(unit, account, kDowngradeCancelled, std::move(change), from);
  }
  PlanChangeRecord change{.at = from,
                          .kind = "downgrade",
                          .from_plan = account.plan,
                          .to_plan = account.pending_plan,
                          .period_start = PeriodAt(from).start};
  account.plan = account.pending_plan;
  ClearPending(account);
  TRAVIO_RETURN_IF_ERROR(unit.UpdateAccount(account));
  return RecordChange(unit, account, kPlanChanged, std::move(change), from);
}

int64_t SubscriptionService::LimitOf(const Account& account, const Plan& plan, Quota quota) const {
  const int64_t limit = plan.LimitOf(quota);
  const Plan* pending = HasPendingDowngrade(account) ? FindPlan(account.pending_plan) : nullptr;
  if (pending == nullptr || IsPerPeriod(quota)) return limit;
  // While a downgrade waits, what stands (buses, routes, staff) grows only within the smaller
  // plan, or it would be carried onto that plan's price.
  const int64_t smaller = pending->LimitOf(quota);
  if (limit == 0) return smaller;
  if (smaller == 0) return limit;
  return std::min(limit, smaller);
}

absl::Status SubscriptionService::PlanLimitReached(SubscriptionUnit& unit, const Plan& plan,
                                                   const QuotaUse& use, absl::Time period_start,
                                                   int64_t limit) {
  TRAVIO_ASSIGN_OR_RETURN(const int64_t used, unit.Used(use.org_id, use.quota, period_start));
  if (refusals_ != nullptr) refusals_->WithLabels({std::string(QuotaName(use.quota))}).Increment();
  return WithProblemFields(
      Error(reasons::kPlanLimitReached,
            absl::StrCat("The organization's ", ToAbsl(plan.name), " plan allows ", limit, " ",
                         ToAbsl(QuotaNoun(use.quota)), " and ", used,
                         " are used; a larger plan lifts the limit at once.")),
      {{"quota", std::string(QuotaName(use.quota))}, {"limit", limit}, {"used", used}});
}

absl::Status SubscriptionService::CheckUse(const QuotaUse& use) const {
  if (use.org_id.empty() || use.key.empty() || use.key.size() > kMaxKeyBytes || use.amount < 1 ||
      use.amount > kMaxAmount) {
    return Error(reasons::kInvalidQuotaUse,
                 "A quota use needs an organization, a key of 1 to 200 bytes and an amount of 1 "
                 "to 1000.");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SubscriptionService::Reserve(const QuotaUse& use) {
  TRAVIO_RETURN_IF_ERROR(CheckUse(use));
  const absl::Time now = ports_.clock.Now();
  bool made = false;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](SubscriptionUnit& unit) -> absl::Status {
    made = false;
    TRAVIO_ASSIGN_OR_RETURN(Account account, EnsureAccount(unit, use.org_id, now));
    TRAVIO_RETURN_IF_ERROR(ApplyDueDowngrade(unit, account, now));
    TRAVIO_ASSIGN_OR_RETURN(std::optional<QuotaUseRecord> existing,
                            unit.FindUse(use.org_id, use.quota, use.key));
    if (existing) {
      if (existing->state != UseState::kRemoved) return absl::OkStatus();  // a retry
      return Error(reasons::kInvalidQuotaUse, "This resource was removed; it cannot come back.");
    }
    TRAVIO_ASSIGN_OR_RETURN(const Plan* plan, PlanOf(account));
    const absl::Time period_start = PeriodStartOf(use.quota, now);
    TRAVIO_ASSIGN_OR_RETURN(const bool inserted,
                            unit.InsertUse({.org_id = use.org_id,
                                            .quota = use.quota,
                                            .key = use.key,
                                            .period_start = period_start,
                                            .amount = use.amount,
                                            .state = UseState::kReserved,
                                            .expires_at = now + settings_.reservation_ttl,
                                            .updated_at = now}));
    // A racing call with the same key made it first: this one is its retry.
    if (!inserted) return absl::AbortedError("the use was reserved meanwhile");
    const int64_t limit = LimitOf(account, *plan, use.quota);
    TRAVIO_ASSIGN_OR_RETURN(const bool added,
                            unit.AddWithin(use.org_id, use.quota, period_start, use.amount, limit));
    if (!added) return PlanLimitReached(unit, *plan, use, period_start, limit);
    made = true;
    return absl::OkStatus();
  }));
  return made;
}

absl::Status SubscriptionService::GiveBack(const QuotaUse& use, absl::Time due_by, bool& given) {
  given = false;
  return ports_.store.InTransaction([&](SubscriptionUnit& unit) -> absl::Status {
    given = false;
    TRAVIO_ASSIGN_OR_RETURN(std::optional<QuotaUseRecord> existing,
                            unit.FindUse(use.org_id, use.quota, use.key));
    // Only a reservation goes back: a use its event counted is a resource that exists.
    if (!existing || existing->state != UseState::kReserved || existing->expires_at > due_by) {
      return absl::OkStatus();
    }
    TRAVIO_ASSIGN_OR_RETURN(const bool deleted,
                            unit.DeleteReservation(use.org_id, use.quota, use.key, due_by));
    if (!deleted) return absl::AbortedError("the reservation moved meanwhile");
    TRAVIO_RETURN_IF_ERROR(
        unit.Add(use.org_id, use.quota, existing->period_start, -existing->amount));
    given = true;
    return absl::OkStatus();
  });
}

absl::Status SubscriptionService::Release(const QuotaUse& use) {
  TRAVIO_RETURN_IF_ERROR(CheckUse({.org_id = use.org_id, .quota = use.quota, .key = use.key}));
  bool given = false;
  return GiveBack(use, absl::InfiniteFuture(), given);
}

absl::StatusOr<int> SubscriptionService::ReleaseExpiredReservations(int limit) {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<QuotaUseRecord> expired,
                          ports_.store.ExpiredReservations(now, limit));
  int released = 0;
  for (const QuotaUseRecord& candidate : expired) {
    bool given = false;
    TRAVIO_RETURN_IF_ERROR(GiveBack(
        {.org_id = candidate.org_id, .quota = candidate.quota, .key = candidate.key}, now, given));
    if (given) ++released;
  }
  if (released > 0) {
    if (expired_ != nullptr) expired_->Increment(released);
    ports_.logger.Warn("quota reservations expired without their resource's event",
                       {{"released", released}});
  }
  return released;
}

absl::Status SubscriptionService::OnOrganizationCreated(const events::Event& event) {
  if (event.org_id.empty()) return absl::OkStatus();
  return ports_.store
      .ProcessEvent("subscription", event,
                    [&](SubscriptionUnit& unit) {
                      return EnsureAccount(unit, event.org_id, event.occurred_at).status();
                    })
      .status();
}

absl::Status SubscriptionService::OnResourceAdded(const events::Event& event, Quota quota,
                                                  const std::string& key) {
  if (event.org_id.empty() || key.empty() || key.size() > kMaxKeyBytes) return absl::OkStatus();
  const absl::Time now = ports_.clock.Now();
  return ports_.store
      .ProcessEvent(
          "subscription", event,
          [&](SubscriptionUnit& unit) -> absl::Status {
            TRAVIO_RETURN_IF_ERROR(EnsureAccount(unit, event.org_id, event.occurred_at).status());
            TRAVIO_ASSIGN_OR_RETURN(std::optional<QuotaUseRecord> use,
                                    unit.FindUse(event.org_id, quota, key));
            if (!use) {
              // Never reserved, or given back before its event came: it exists, so it counts,
              // in the period it happened in, over the limit if need be.
              const QuotaUseRecord counted{.org_id = event.org_id,
                                           .quota = quota,
                                           .key = key,
                                           .period_start = PeriodStartOf(quota, event.occurred_at),
                                           .amount = 1,
                                           .state = UseState::kCounted,
                                           .expires_at = now,
                                           .updated_at = now};
              TRAVIO_ASSIGN_OR_RETURN(const bool inserted, unit.InsertUse(counted));
              if (!inserted) return absl::AbortedError("the use appeared meanwhile");
              return unit.Add(event.org_id, quota, counted.period_start, counted.amount);
            }
            // Counted already, or removed first (its removal keeps it out).
            if (use->state != UseState::kReserved) return absl::OkStatus();
            use->state = UseState::kCounted;
            use->updated_at = now;
            TRAVIO_ASSIGN_OR_RETURN(const bool changed, unit.ChangeUse(*use, UseState::kReserved));
            if (!changed) return absl::AbortedError("the use moved meanwhile");
            return absl::OkStatus();
          })
      .status();
}

absl::Status SubscriptionService::OnResourceRemoved(const events::Event& event, Quota quota,
                                                    const std::string& key) {
  if (event.org_id.empty() || key.empty() || key.size() > kMaxKeyBytes) return absl::OkStatus();
  const absl::Time now = ports_.clock.Now();
  return ports_.store
      .ProcessEvent("subscription", event,
                    [&](SubscriptionUnit& unit) -> absl::Status {
                      TRAVIO_ASSIGN_OR_RETURN(std::optional<QuotaUseRecord> use,
                                              unit.FindUse(event.org_id, quota, key));
                      if (!use) {
                        TRAVIO_ASSIGN_OR_RETURN(
                            const bool inserted,
                            unit.InsertUse({.org_id = event.org_id,
                                            .quota = quota,
                                            .key = key,
                                            .period_start = PeriodStartOf(quota, event.occurred_at),
                                            .amount = 1,
                                            .state = UseState::kRemoved,
                                            .expires_at = now,
                                            .updated_at = now}));
                        if (!inserted) return absl::AbortedError("the use appeared meanwhile");
                        return absl::OkStatus();
                      }
                      if (use->state == UseState::kRemoved) return absl::OkStatus();
                      const UseState was = use->state;
                      use->state = UseState::kRemoved;
                      use->updated_at = now;
                      TRAVIO_ASSIGN_OR_RETURN(const bool changed, unit.ChangeUse(*use, was));
                      if (!changed) return absl::AbortedError("the use moved meanwhile");
                      return unit.Add(event.org_id, quota, use->period_start, -use->amount);
                    })
      .status();
}

absl::StatusOr<std::vector<Plan>> SubscriptionService::ListPlans() { return settings_.plans; }

absl::StatusOr<SubscriptionView> SubscriptionService::ViewOf(const Account& account,
                                                             absl::Time now) {
  TRAVIO_ASSIGN_OR_RETURN(const Plan* plan, PlanOf(account));
  const BillingPeriod period = PeriodAt(now);
  using Usage = std::map<Quota, int64_t>;
  TRAVIO_ASSIGN_OR_RETURN(Usage usage, ports_.store.UsageOf(account.org_id, period.start));
  SubscriptionView view{.org_id = account.org_id,
                        .plan = account.plan,
                        .status = now < account.trial_end ? "trialing" : "active",
                        .trial_end = account.trial_end,
                        .period_start = period.start,
                        .period_end = period.end,
                        .pending_plan = account.pending_plan};
  if (HasPendingDowngrade(account)) view.pending_from = account.pending_from;
  for (Quota quota : kQuotas) {
    view.usage[quota] = usage.count(quota) ? usage.at(quota) : 0;
    view.limits[quota] = LimitOf(account, *plan, quota);  // what reservations meet now
  }
  return view;
}

absl::StatusOr<SubscriptionView> SubscriptionService::GetSubscription(const std::string& org_id) {
  if (org_id.empty()) return Error(reasons::kInvalidQuotaUse, "An organization is required.");
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::optional<Account> account, ports_.store.FindAccount(org_id));
  if (!account || (HasPendingDowngrade(*account) && account->pending_from <= now)) {
    TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](SubscriptionUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(account, EnsureAccount(unit, org_id, now));
      return ApplyDueDowngrade(unit, *account, now);
    }));
  }
  return ViewOf(*account, now);
}

absl::StatusOr<SubscriptionView> SubscriptionService::ChangePlan(const PlanChangeRequest& request) {
  if (request.org_id.empty())
    return Error(reasons::kInvalidQuotaUse, "An organization is required.");
  const Plan* target = FindPlan(request.plan);
  if (target == nullptr) {
    return Error(reasons::kPlanNotFound,
                 absl::StrCat("There is no plan named \"", ToAbsl(request.plan), "\"."));
  }
  const absl::Time now = ports_.clock.Now();
  Account changed;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](SubscriptionUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(Account account, EnsureAccount(unit, request.org_id, now));
    TRAVIO_RETURN_IF_ERROR(ApplyDueDowngrade(unit, account, now));
    TRAVIO_ASSIGN_OR_RETURN(const Plan* current, PlanOf(account));
    const BillingPeriod period = PeriodAt(now);
    PlanChangeRecord change{.at = now,
                            .from_plan = account.plan,
                            .to_plan = target->name,
                            .period_start = period.start,
                            .actor = request.actor};
    if (target->name == account.plan) {
      changed = account;
      if (!HasPendingDowngrade(account)) return absl::OkStatus();  // nothing to change
      change.kind = "downgrade_cancelled";
      change.from_plan = account.pending_plan;
      ClearPending(account);
      TRAVIO_RETURN_IF_ERROR(unit.UpdateAccount(account));
      changed = account;
      return RecordChange(unit, account, kDowngradeCancelled, std::move(change), now);
    }
    if (IsUpgrade(*current, *target)) {
      change.kind = "upgrade";
      change.charge = UpgradeCharge(*current, *target, period, now, account.trial_end);
      account.plan = target->name;
      ClearPending(account);  // an upgrade supersedes a downgrade that was waiting
      TRAVIO_RETURN_IF_ERROR(unit.UpdateAccount(account));
      changed = account;
      return RecordChange(unit, account, kPlanChanged, std::move(change), now);
    }
    TRAVIO_ASSIGN_OR_RETURN(const std::vector<Quota> exceeded,
                            StandingQuotasExceeded(unit, request.org_id, *target));
    if (!exceeded.empty()) {
      std::vector<std::string> names;
      std::vector<std::string> facts;
      for (Quota quota : exceeded) {
        names.emplace_back(QuotaName(quota));
        TRAVIO_ASSIGN_OR_RETURN(const int64_t used,
                                unit.Used(request.org_id, quota, absl::UnixEpoch()));
        facts.push_back(absl::StrCat(used, " ", ToAbsl(QuotaNoun(quota)), " (",
                                     ToAbsl(target->name), " allows ", target->LimitOf(quota),
                                     ")"));
      }
      return WithProblemList(
          Error(reasons::kPlanDowngradeBlocked,
                absl::StrCat("The organization uses more than the ", ToAbsl(target->name),
                             " plan allows: ", absl::StrJoin(facts, ", "),
                             ". Reduce the usage, then ask again.")),
          {"exceeded", names});
    }
    change.kind = "downgrade_scheduled";
    account.pending_plan = target->name;
    account.pending_from = period.end;
    TRAVIO_RETURN_IF_ERROR(unit.UpdateAccount(account));
    changed = account;
    return RecordChange(unit, account, kDowngradeScheduled, std::move(change), period.end);
  }));
  ports_.logger.Info("subscription plan asked for", {{"org_id", request.org_id},
                                                     {"plan", request.plan},
                                                     {"now_on", changed.plan},
                                                     {"pending", changed.pending_plan}});
  return ViewOf(changed, now);
}

absl::StatusOr<int> SubscriptionService::ApplyDueDowngrades(int limit) {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<std::string> due, ports_.store.DueDowngrades(now, limit));
  int applied = 0;
  for (const std::string& org_id : due) {
    bool moved = false;
    TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](SubscriptionUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(std::optional<Account> account, unit.FindAccount(org_id));
      moved = account && HasPendingDowngrade(*account) && account->pending_from <= now;
      if (!moved) return absl::OkStatus();  // moved by a racing reader first
      return ApplyDueDowngrade(unit, *account, now);
    }));
    if (moved) ++applied;
  }
  return applied;
}

}  // namespace travio::subscription
