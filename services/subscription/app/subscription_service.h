#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/base/crash_point.h"
#include "platform/base/ids.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/subscription/api/subscription_client.h"
#include "services/subscription/api/subscription_events.h"
#include "services/subscription/app/ports.h"
#include "services/subscription/domain/billing.h"

namespace travio::subscription {

/// The plans on sale and how subscriptions run, from configuration.
struct SubscriptionSettings {
  std::vector<Plan> plans;   // every one valid, in one currency
  std::string default_plan;  // what a new organization starts on, in its trial
  absl::Duration trial = absl::Hours(14 * 24);
  absl::TimeZone billing_zone;
  /// Periods of this length from the epoch instead of calendar months (tests); zero: months.
  absl::Duration fixed_period = absl::ZeroDuration();
  /// A test hook: "subscription:invoice-written" kills the process after an invoice is written
  /// and before it commits.
  CrashPoint crash_point;
  /// How long a reservation waits for its resource's event before it is given back.
  absl::Duration reservation_ttl = absl::Hours(1);
  /// Who issues the invoices, as their PDF says.
  std::string invoice_issuer = "Travio";
};

/// The subscription use cases: plans and each organization's subscription, quota reservations
/// against its plan, usage counted from the events of the resources it limits, plan changes.
class SubscriptionService final : public SubscriptionClient {
 public:
  struct Ports {
    SubscriptionStore& store;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
    metrics::Registry* metrics = nullptr;
    /// For invoice PDFs: the organization's name, and the drawing (GetInvoicePdf is
    /// unimplemented without them).
    OwnerDirectory* directory = nullptr;
    InvoiceRenderer* renderer = nullptr;
  };

  /// kInvalidArgument when a plan is not valid, the plans mix currencies or repeat a name, or
  /// the default plan is not one of them.
  static absl::StatusOr<std::shared_ptr<SubscriptionService>> Create(Ports ports,
                                                                     SubscriptionSettings settings);

  absl::StatusOr<bool> Reserve(const QuotaUse& use) override;
  absl::Status Release(const QuotaUse& use) override;
  absl::StatusOr<std::vector<Plan>> ListPlans() override;
  absl::StatusOr<SubscriptionView> GetSubscription(const std::string& org_id) override;
  absl::StatusOr<SubscriptionView> ChangePlan(const PlanChangeRequest& request) override;

  /// An organization was created: its subscription starts, on the default plan's trial.
  absl::Status OnOrganizationCreated(const events::Event& event);
  /// The resource `key` exists (its event): its use of `quota` counts, reserved or not.
  absl::Status OnResourceAdded(const events::Event& event, Quota quota, const std::string& key);
  /// The resource `key` is gone, or (an order that expired unpaid) never became a booking.
  absl::Status OnResourceRemoved(const events::Event& event, Quota quota, const std::string& key);

  /// order.confirmed.v1: the booking's fee, at the plan in force then, for its period's invoice.
  absl::Status OnBookingConfirmed(const events::Event& event, const std::string& order_id);
  /// Closes the next ended period of up to `limit` organizations, one transaction each: its
  /// invoice, written once whatever runs it again; how many invoices were issued.
  absl::StatusOr<int> CloseDuePeriods(int limit);
  absl::StatusOr<InvoicePage> ListInvoices(const std::string& org_id, int limit,
                                           const std::string& cursor) override;
  absl::StatusOr<InvoiceView> GetInvoice(const std::string& org_id,
                                         const std::string& invoice_id) override;
  absl::StatusOr<InvoiceDocument> GetInvoicePdf(const std::string& org_id,
                                                const std::string& invoice_id) override;

  /// Gives back up to `limit` reservations whose event never came in time; how many.
  absl::StatusOr<int> ReleaseExpiredReservations(int limit);
  /// Moves up to `limit` organizations whose downgrade is due to their new plan; how many.
  absl::StatusOr<int> ApplyDueDowngrades(int limit);

  const log::Logger& logger() const { return ports_.logger; }

 private:
  SubscriptionService(Ports ports, SubscriptionSettings settings);

  const Plan* FindPlan(const std::string& name) const;
  absl::StatusOr<const Plan*> PlanOf(const Account& account) const;
  BillingPeriod PeriodAt(absl::Time at) const;
  absl::Time PeriodStartOf(Quota quota, absl::Time at) const;
  /// The organization's account, started at `at` on the default plan when it has none.
  absl::StatusOr<Account> EnsureAccount(SubscriptionUnit& unit, const std::string& org_id,
                                        absl::Time at);
  /// Moves `account` to its waiting downgrade when that is due at `now`.
  absl::Status ApplyDueDowngrade(SubscriptionUnit& unit, Account& account, absl::Time now);
  absl::Status RecordChange(SubscriptionUnit& unit, const Account& account,
                            const events::Contract<SubscriptionChanged>& contract,
                            PlanChangeRecord change, absl::Time effective_at);
  absl::StatusOr<SubscriptionView> ViewOf(const Account& account, absl::Time now);
  absl::Status PlanLimitReached(SubscriptionUnit& unit, const Plan& plan, const QuotaUse& use,
                                absl::Time period_start, int64_t limit);
  /// The limit a reservation of `quota` meets: the plan's, and while a downgrade waits, for
  /// what stands, the smaller of the two plans' (0: unlimited).
  int64_t LimitOf(const Account& account, const Plan& plan, Quota quota) const;
  /// The quotas counted as they stand (buses, routes, staff) whose usage `plan` does not allow.
  absl::StatusOr<std::vector<Quota>> StandingQuotasExceeded(SubscriptionUnit& unit,
                                                            const std::string& org_id,
                                                            const Plan& plan);
  absl::Status CheckUse(const QuotaUse& use) const;
  /// Invoices the organization's next ended period, if it has one by `now`.
  absl::StatusOr<bool> CloseNextPeriod(const std::string& org_id, absl::Time now);
  /// Deletes the use's reservation if it is still one and due by `due_by`, and takes it out of
  /// the usage; `given` says whether it did.
  absl::Status GiveBack(const QuotaUse& use, absl::Time due_by, bool& given);

  Ports ports_;
  SubscriptionSettings settings_;
  metrics::Family<metrics::Counter>* refusals_ = nullptr;
  metrics::Counter* expired_ = nullptr;
};

}  // namespace travio::subscription
