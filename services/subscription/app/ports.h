#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/event.h"
#include "services/subscription/api/subscription_client.h"
#include "services/subscription/domain/billing.h"
#include "services/subscription/domain/plan.h"

namespace travio::subscription {

/// An organization's subscription as stored.
struct Account {
  std::string org_id;
  std::string plan;
  absl::Time trial_end;
  std::string pending_plan;  // a downgrade waiting for `pending_from` (empty: none)
  absl::Time pending_from = absl::InfinitePast();
  absl::Time created_at;
  /// The end of the first period not invoiced yet: when the period job closes it.
  absl::Time next_close_at;
  /// Grows with every change; a change is stored only over the version it was read at.
  int64_t version = 1;
  bool operator==(const Account&) const = default;
};

/// Where one use of a quota stands: reserved and counted uses are in the usage, removed ones
/// are not (and keep the resource out should its creation's event come late). A reservation
/// given back is deleted: no row is the same as never reserved.
enum class UseState { kReserved, kCounted, kRemoved };

struct QuotaUseRecord {
  std::string org_id;
  Quota quota = Quota::kBuses;
  std::string key;
  /// The period the use counts in; the epoch for quotas that are not per period.
  absl::Time period_start;
  int64_t amount = 1;
  UseState state = UseState::kReserved;
  absl::Time expires_at;  // a reservation's deadline for its event
  absl::Time updated_at;
};

/// A plan change as kept for the period's invoice.
struct PlanChangeRecord {
  std::string id;
  std::string org_id;
  absl::Time at;
  std::string kind;  // upgrade, downgrade, downgrade_scheduled, downgrade_cancelled
  std::string from_plan;
  std::string to_plan;
  absl::Time period_start;
  int64_t charge = 0;  // minor units of the plans' currency
  std::string actor;
};

/// Whom an organization's account mail goes to: its name and its owners as they are now.
struct OrgOwners {
  struct Owner {
    std::string user_id;
    std::string email;
  };
  std::string org_name;
  std::vector<Owner> owners;
};

/// Where OwnerMail learns an organization's owners (identity, in the module).
class OwnerDirectory {
 public:
  virtual ~OwnerDirectory() = default;
  /// kNotFound for an organization that does not exist; kUnavailable to be asked again.
  virtual absl::StatusOr<OrgOwners> OwnersOf(const std::string& org_id) = 0;
  /// The organization's name alone (an invoice's customer); errors as OwnersOf.
  virtual absl::StatusOr<std::string> NameOf(const std::string& org_id) = 0;
};

/// What an invoice's PDF shows besides the invoice: who issued it, to whom, and the zone its
/// dates are read in.
struct InvoiceSheet {
  InvoiceView invoice;
  std::string issuer;
  std::string customer;
  std::string time_zone;  // IANA
};

/// Draws invoices as PDF documents (render/, platform/pdf).
class InvoiceRenderer {
 public:
  virtual ~InvoiceRenderer() = default;
  virtual absl::StatusOr<std::string> RenderPdf(const InvoiceSheet& sheet) = 0;
};

/// The statements of one transaction on the subscription tables; a change and the event
/// describing it commit together.
class SubscriptionUnit {
 public:
  virtual ~SubscriptionUnit() = default;
  virtual absl::StatusOr<std::optional<Account>> FindAccount(const std::string& org_id) = 0;
  /// False when the organization already has an account (nothing written).
  virtual absl::StatusOr<bool> InsertAccount(const Account& account) = 0;
  /// Stores `account` over the version it was read at and moves it to the next version;
  /// kAborted (the transaction is tried again) when another change came first.
  virtual absl::Status UpdateAccount(Account& account) = 0;

  /// The usage of `quota` in the period starting at `period_start` (0 when none was recorded).
  virtual absl::StatusOr<int64_t> Used(const std::string& org_id, Quota quota,
                                       absl::Time period_start) = 0;
  /// Adds `amount` to the usage when the result stays within `limit` (0: unlimited), as one
  /// statement, so racing callers cannot pass the limit together; false when it would not.
  virtual absl::StatusOr<bool> AddWithin(const std::string& org_id, Quota quota,
                                         absl::Time period_start, int64_t amount,
                                         int64_t limit) = 0;
  /// Adds `delta` (which may be negative) to the usage whatever the limit: what has happened
  /// counts.
  virtual absl::Status Add(const std::string& org_id, Quota quota, absl::Time period_start,
                           int64_t delta) = 0;

  virtual absl::StatusOr<std::optional<QuotaUseRecord>> FindUse(const std::string& org_id,
                                                                Quota quota,
                                                                const std::string& key) = 0;
  /// Inserts the use; false when one with its organization, quota and key exists.
  virtual absl::StatusOr<bool> InsertUse(const QuotaUseRecord& use) = 0;
  /// Moves the use to `use.state` (and its other fields) if it is still in `expected`; false
  /// when a racing transaction moved it first. Every change of state is made this way, so two
  /// transactions never both act on one state (PostgreSQL re-checks the row it waited for).
  virtual absl::StatusOr<bool> ChangeUse(const QuotaUseRecord& use, UseState expected) = 0;
  /// Deletes the reservation if it is still reserved and due by `due_by`; false otherwise.
  virtual absl::StatusOr<bool> DeleteReservation(const std::string& org_id, Quota quota,
                                                 const std::string& key, absl::Time due_by) = 0;

  virtual absl::Status InsertPlanChange(const PlanChangeRecord& change) = 0;
  /// The plan in force at `at` by the organization's changes (its start, upgrades, downgrades
  /// taken effect; of changes at one instant, the start counts first); nullopt before any.
  virtual absl::StatusOr<std::optional<std::string>> PlanInForce(const std::string& org_id,
                                                                 absl::Time at) = 0;
  /// The plan the period starting at `period_start` is billed on: as in force at its start
  /// (or at the organization's start within it), upgrades made within it left to their
  /// prorated charges.
  virtual absl::StatusOr<std::optional<std::string>> PlanAtPeriodStart(const std::string& org_id,
                                                                       absl::Time period_start) = 0;

  /// Records a confirmed booking's fee; false when the order's fee is recorded.
  virtual absl::StatusOr<bool> InsertBookingFee(const std::string& org_id,
                                                const std::string& order_id, int64_t fee,
                                                absl::Time at) = 0;
  /// Marks the upgrades made before `before` and not invoiced yet as `invoice_id`'s; returns
  /// them in order. A change whose transaction commits after a period closed is claimed by
  /// the next invoice: billed late, never lost.
  virtual absl::StatusOr<std::vector<PlanChange>> ClaimUpgrades(const std::string& org_id,
                                                                const std::string& invoice_id,
                                                                absl::Time before) = 0;
  /// The same for booking fees; returns them by fee, highest first.
  virtual absl::StatusOr<std::vector<BookingFees>> ClaimBookingFees(const std::string& org_id,
                                                                    const std::string& invoice_id,
                                                                    absl::Time before) = 0;
  virtual absl::StatusOr<bool> InvoiceExists(const std::string& org_id,
                                             absl::Time period_start) = 0;
  /// The next number of the deployment's invoices of `month` ("202601"): 1, 2, ...
  virtual absl::StatusOr<int64_t> NextInvoiceNumber(const std::string& month) = 0;
  /// Stores the invoice with its lines; false when the organization's period has one.
  virtual absl::StatusOr<bool> InsertInvoice(const InvoiceView& invoice) = 0;
  virtual absl::Status Append(const events::Event& event) = 0;
};

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;
  /// Runs `work` in one transaction, committed when it returns OK (retried on a conflict).
  virtual absl::Status InTransaction(
      const std::function<absl::Status(SubscriptionUnit&)>& work) = 0;
  /// Runs `work` and records `event` as processed by `consumer` in one transaction, unless it
  /// was processed before: false then, nothing run.
  virtual absl::StatusOr<bool> ProcessEvent(
      const std::string& consumer, const events::Event& event,
      const std::function<absl::Status(SubscriptionUnit&)>& work) = 0;
  virtual absl::StatusOr<std::optional<Account>> FindAccount(const std::string& org_id) = 0;
  /// Usage per quota in the period starting at `period_start`, with the standing quotas (kept
  /// at the epoch); a quota never used is missing.
  virtual absl::StatusOr<std::map<Quota, int64_t>> UsageOf(const std::string& org_id,
                                                           absl::Time period_start) = 0;
  /// Up to `limit` reservations whose deadline passed before `now`, oldest deadline first.
  virtual absl::StatusOr<std::vector<QuotaUseRecord>> ExpiredReservations(absl::Time now,
                                                                          int limit) = 0;
  /// Up to `limit` organizations whose waiting downgrade is due at `now`.
  virtual absl::StatusOr<std::vector<std::string>> DueDowngrades(absl::Time now, int limit) = 0;
  /// Up to `limit` organizations with a period ended by `now` and not invoiced, oldest first.
  virtual absl::StatusOr<std::vector<std::string>> DueForClosing(absl::Time now, int limit) = 0;
  /// Up to `limit` invoices of the organization whose period started before `before`, newest
  /// first, without their lines.
  virtual absl::StatusOr<std::vector<InvoiceView>> ListInvoices(const std::string& org_id,
                                                                absl::Time before, int limit) = 0;
  virtual absl::StatusOr<std::optional<InvoiceView>> FindInvoice(const std::string& org_id,
                                                                 const std::string& id) = 0;
};

}  // namespace travio::subscription
