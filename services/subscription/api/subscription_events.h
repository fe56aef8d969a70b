#pragma once

// The events the subscription service publishes (platform/events/contract.h): a subscription
// started on its trial, a plan changed (an upgrade at once, a downgrade at the end of its
// period), a downgrade scheduled or called off. The organization is each event's aggregate;
// the audit log keeps them and the notification service tells the owner.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "platform/events/contract.h"

namespace travio::subscription {

struct SubscriptionChanged {
  std::string plan;           // in force after the change
  std::string previous_plan;  // in force before it (empty when the subscription started)
  std::string pending_plan;   // a scheduled downgrade's plan
  absl::Time effective_at;    // when the change takes (or took) effect
  absl::Time trial_end;
  Money charge;       // an upgrade's prorated charge on the period's invoice
  std::string actor;  // the user who asked; empty for the service's own changes
  bool operator==(const SubscriptionChanged&) const = default;
};
std::string EncodeSubscriptionChanged(const SubscriptionChanged& event);
absl::StatusOr<SubscriptionChanged> DecodeSubscriptionChanged(std::string_view payload);

/// subscription.started.v1: a new organization's subscription, on `plan`'s trial.
inline constexpr events::Contract<SubscriptionChanged> kSubscriptionStarted{
    "subscription.started.v1", &EncodeSubscriptionChanged, &DecodeSubscriptionChanged};
/// subscription.plan_changed.v1: `plan` replaced `previous_plan` at `effective_at`.
inline constexpr events::Contract<SubscriptionChanged> kPlanChanged{
    "subscription.plan_changed.v1", &EncodeSubscriptionChanged, &DecodeSubscriptionChanged};
/// subscription.downgrade_scheduled.v1: `pending_plan` replaces `plan` at `effective_at`.
inline constexpr events::Contract<SubscriptionChanged> kDowngradeScheduled{
    "subscription.downgrade_scheduled.v1", &EncodeSubscriptionChanged, &DecodeSubscriptionChanged};
/// subscription.downgrade_cancelled.v1: the organization stays on `plan`.
inline constexpr events::Contract<SubscriptionChanged> kDowngradeCancelled{
    "subscription.downgrade_cancelled.v1", &EncodeSubscriptionChanged, &DecodeSubscriptionChanged};

/// subscription.invoice_issued.v1: a period closed, its invoice issued.
struct InvoiceIssued {
  std::string invoice_id;
  std::string number;
  absl::Time period_start;
  absl::Time period_end;
  Money total;
  bool operator==(const InvoiceIssued&) const = default;
};
std::string EncodeInvoiceIssued(const InvoiceIssued& event);
absl::StatusOr<InvoiceIssued> DecodeInvoiceIssued(std::string_view payload);
inline constexpr events::Contract<InvoiceIssued> kInvoiceIssued{
    "subscription.invoice_issued.v1", &EncodeInvoiceIssued, &DecodeInvoiceIssued};

inline constexpr const events::Contract<SubscriptionChanged>* kSubscriptionEvents[] = {
    &kSubscriptionStarted, &kPlanChanged, &kDowngradeScheduled, &kDowngradeCancelled};

}  // namespace travio::subscription
