#pragma once

// The arithmetic of billing, apart from where its inputs are kept: billing periods, prorated
// amounts in minor units, and the lines of a period's invoice.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/subscription/domain/plan.h"

namespace travio::subscription {

/// [start, end): what one invoice covers.
struct BillingPeriod {
  absl::Time start;
  absl::Time end;
  absl::Duration length() const { return end - start; }
  bool operator==(const BillingPeriod&) const = default;
};

/// The calendar month holding `at` in `zone` (billing follows the operator's calendar).
BillingPeriod MonthOf(absl::Time at, const absl::TimeZone& zone);
/// The period holding `at`: its calendar month, or with `fixed` > 0, periods of that length
/// counted from the Unix epoch (for tests that close periods in seconds).
BillingPeriod PeriodOf(absl::Time at, const absl::TimeZone& zone, absl::Duration fixed);

/// `amount` × `part` / `whole`, to the nearest minor unit, halves away from zero; `part` is
/// clamped to [0, whole]. Exact for any int64 amount (the product is taken in 128 bits).
int64_t Prorate(int64_t amount, absl::Duration part, absl::Duration whole);

/// What moving from `from` to `to` at `at` adds to `period`'s invoice: the difference of the
/// monthly prices for the part of the period left, not counting time still in the trial
/// (which ends at `trial_end`). Zero or less is not charged (downgrades wait for the period's
/// end).
int64_t UpgradeCharge(const Plan& from, const Plan& to, const BillingPeriod& period, absl::Time at,
                      absl::Time trial_end);

/// An upgrade within the period, with the charge UpgradeCharge gave when it was made.
struct PlanChange {
  absl::Time at;
  std::string from;
  std::string to;
  int64_t charge = 0;
};

/// Bookings billed at one fee (the fee of the plan in force when each was confirmed).
struct BookingFees {
  int64_t fee = 0;
  int64_t bookings = 0;
};

struct InvoiceLine {
  std::string kind;  // "plan_fee", "proration" or "booking_fees"
  std::string description;
  int64_t quantity = 1;
  int64_t unit_amount = 0;
  int64_t amount = 0;
  bool operator==(const InvoiceLine&) const = default;
};

struct InvoiceDraft {
  std::string currency;
  std::vector<InvoiceLine> lines;
  int64_t total = 0;
};

/// A period's invoice: the fee of the plan it started on (less the part still in the trial),
/// each upgrade's charge, and the booking fees by fee, in that order; totals in minor units.
InvoiceDraft DraftInvoice(const Plan& plan_at_start, const BillingPeriod& period,
                          absl::Time trial_end, const std::vector<PlanChange>& upgrades,
                          const std::vector<BookingFees>& fees);

}  // namespace travio::subscription
