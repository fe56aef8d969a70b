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
};

}  // namespace travio::subscription
