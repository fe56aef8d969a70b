#include "services/subscription/domain/billing.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/money.h"

namespace travio::subscription {

BillingPeriod MonthOf(absl::Time at, const absl::TimeZone& zone) {
  const absl::CivilMonth month = absl::ToCivilMonth(at, zone);
  return {absl::FromCivil(month, zone), absl::FromCivil(month + 1, zone)};
}

BillingPeriod PeriodOf(absl::Time at, const absl::TimeZone& zone, absl::Duration fixed) {
  if (fixed <= absl::ZeroDuration()) return MonthOf(at, zone);
  absl::Duration remainder;
  int64_t index = absl::IDivDuration(at - absl::UnixEpoch(), fixed, &remainder);
  if (remainder < absl::ZeroDuration()) --index;  // floor, before the epoch too
  const absl::Time start = absl::UnixEpoch() + index * fixed;
  return {start, start + fixed};
}

int64_t Prorate(int64_t amount, absl::Duration part, absl::Duration whole) {
  if (whole <= absl::ZeroDuration()) return 0;
  part = std::clamp(part, absl::ZeroDuration(), whole);
  const __int128 numerator = static_cast<__int128>(amount) * absl::ToInt64Microseconds(part);
  const __int128 denominator = absl::ToInt64Microseconds(whole);
  // Halves away from zero: |n| / d rounded, then the sign put back.
  const __int128 magnitude = numerator < 0 ? -numerator : numerator;
  const __int128 rounded = (2 * magnitude + denominator) / (2 * denominator);
  return static_cast<int64_t>(numerator < 0 ? -rounded : rounded);
}

int64_t UpgradeCharge(const Plan& from, const Plan& to, const BillingPeriod& period, absl::Time at,
                      absl::Time trial_end) {
  const absl::Time charged_from = std::max({at, trial_end, period.start});
  const int64_t difference = to.monthly_price.amount - from.monthly_price.amount;
  if (difference <= 0 || charged_from >= period.end) return 0;
  return Prorate(difference, period.end - charged_from, period.length());
}

InvoiceDraft DraftInvoice(const Plan& plan_at_start, const BillingPeriod& period,
                          absl::Time trial_end, const std::vector<PlanChange>& upgrades,
                          const std::vector<BookingFees>& fees) {
  InvoiceDraft draft;
  draft.currency = plan_at_start.monthly_price.currency;
  const absl::Time paid_from = std::clamp(trial_end, period.start, period.end);
  const int64_t plan_fee =
      Prorate(plan_at_start.monthly_price.amount, period.end - paid_from, period.length());
  draft.lines.push_back(
      {.kind = "plan_fee",
       .description = absl::StrCat(plan_at_start.name, " plan",
                                   paid_from > period.start ? ", after the trial" : ""),
       .quantity = 1,
       .unit_amount = plan_fee,
       .amount = plan_fee});
  for (const PlanChange& upgrade : upgrades) {
    if (upgrade.charge <= 0) continue;
    draft.lines.push_back(
        {.kind = "proration",
         .description = absl::StrCat("upgrade from ", upgrade.from, " to ", upgrade.to),
         .quantity = 1,
         .unit_amount = upgrade.charge,
         .amount = upgrade.charge});
  }
  for (const BookingFees& group : fees) {
    if (group.bookings <= 0) continue;
    draft.lines.push_back(
        {.kind = "booking_fees",
         .description = absl::StrCat("bookings at ", FormatAmount(group.fee), " each"),
         .quantity = group.bookings,
         .unit_amount = group.fee,
         .amount = group.fee * group.bookings});
  }
  for (const InvoiceLine& line : draft.lines) draft.total += line.amount;
  return draft;
}

}  // namespace travio::subscription
