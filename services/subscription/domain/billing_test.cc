// Billing arithmetic against amounts worked out by hand.
#include "services/subscription/domain/billing.h"

#include <gtest/gtest.h>

#include <limits>

namespace travio::subscription {
namespace {

absl::Time Utc(int year, int month, int day, int hour = 0) {
  return absl::FromCivil(absl::CivilHour(year, month, day, hour), absl::UTCTimeZone());
}

Plan PlanOf(std::string name, int64_t price, int64_t fee = 0) {
  return Plan{.name = std::move(name), .monthly_price = {price, "BDT"}, .booking_fee = fee};
}

TEST(BillingTest, APeriodIsTheCalendarMonthInTheBillingZone) {
  absl::TimeZone dhaka;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Dhaka", &dhaka));
  // 02:00 on 1 April in Dhaka (UTC+6) is still 31 March in UTC.
  const BillingPeriod april = MonthOf(Utc(2026, 3, 31, 20), dhaka);
  EXPECT_EQ(april.start, Utc(2026, 3, 31, 18));
  EXPECT_EQ(april.end, Utc(2026, 4, 30, 18));
  EXPECT_EQ(MonthOf(Utc(2026, 3, 31, 20), absl::UTCTimeZone()).start, Utc(2026, 3, 1));
  // February of a leap year.
  EXPECT_EQ(MonthOf(Utc(2028, 2, 15), absl::UTCTimeZone()).length(), absl::Hours(29 * 24));
}

TEST(BillingTest, FixedPeriodsFollowEachOtherFromTheEpoch) {
  const absl::Time at = absl::FromUnixSeconds(1'000'000'005);
  const BillingPeriod period = PeriodOf(at, absl::UTCTimeZone(), absl::Seconds(40));
  EXPECT_EQ(period.start, absl::FromUnixSeconds(1'000'000'000));
  EXPECT_EQ(period.end, absl::FromUnixSeconds(1'000'000'040));
  EXPECT_EQ(PeriodOf(period.end, absl::UTCTimeZone(), absl::Seconds(40)).start, period.end);
  // Without a fixed length, the calendar month.
  EXPECT_EQ(PeriodOf(Utc(2026, 4, 11), absl::UTCTimeZone(), absl::ZeroDuration()).start,
            Utc(2026, 4, 1));
}

TEST(BillingTest, ProratingRoundsHalvesAwayFromZero) {
  EXPECT_EQ(Prorate(300000, absl::Hours(15 * 24), absl::Hours(30 * 24)), 150000);
  EXPECT_EQ(Prorate(1, absl::Seconds(1), absl::Seconds(2)), 1);    // 0.5
  EXPECT_EQ(Prorate(-1, absl::Seconds(1), absl::Seconds(2)), -1);  // -0.5
  EXPECT_EQ(Prorate(1, absl::Seconds(1), absl::Seconds(3)), 0);    // 0.33
  EXPECT_EQ(Prorate(2, absl::Seconds(1), absl::Seconds(3)), 1);    // 0.67
  EXPECT_EQ(Prorate(100, absl::Hours(-1), absl::Hours(10)), 0);    // clamped
  EXPECT_EQ(Prorate(100, absl::Hours(11), absl::Hours(10)), 100);  // clamped
  EXPECT_EQ(Prorate(100, absl::Hours(1), absl::ZeroDuration()), 0);
  // The product of a large amount and a month in microseconds does not fit in 64 bits.
  const int64_t large = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_EQ(Prorate(large, absl::Hours(31 * 24), absl::Hours(31 * 24)), large);
  EXPECT_EQ(Prorate(large, absl::Hours(1), absl::Hours(2)), large / 2 + 1);  // x.5 up
}

TEST(BillingTest, AnUpgradeIsChargedTheDifferenceForWhatIsLeftOfThePeriod) {
  const BillingPeriod april = MonthOf(Utc(2026, 4, 11), absl::UTCTimeZone());  // 30 days
  const Plan starter = PlanOf("starter", 150000);
  const Plan growth = PlanOf("growth", 450000);
  // 20 of 30 days left: (450,000 - 150,000) x 20 / 30.
  EXPECT_EQ(UpgradeCharge(starter, growth, april, Utc(2026, 4, 11), Utc(2026, 1, 1)), 200000);
  // Still in the trial until the 21st: only the 10 paid days are charged.
  EXPECT_EQ(UpgradeCharge(starter, growth, april, Utc(2026, 4, 11), Utc(2026, 4, 21)), 100000);
  // A trial past the period's end, a move down, and a move at the very end charge nothing.
  EXPECT_EQ(UpgradeCharge(starter, growth, april, Utc(2026, 4, 11), Utc(2026, 5, 3)), 0);
  EXPECT_EQ(UpgradeCharge(growth, starter, april, Utc(2026, 4, 11), Utc(2026, 1, 1)), 0);
  EXPECT_EQ(UpgradeCharge(starter, growth, april, april.end, Utc(2026, 1, 1)), 0);
  // A third of a poisha rounds away: 100 x 1 / 3 days = 33.33.
  const BillingPeriod three_days{Utc(2026, 4, 1), Utc(2026, 4, 4)};
  EXPECT_EQ(
      UpgradeCharge(PlanOf("a", 0), PlanOf("b", 100), three_days, Utc(2026, 4, 3), Utc(2026, 1, 1)),
      33);
}

TEST(BillingTest, AnInvoiceHasThePlanFeeUpgradesAndBookingFees) {
  const BillingPeriod april = MonthOf(Utc(2026, 4, 11), absl::UTCTimeZone());
  const InvoiceDraft invoice = DraftInvoice(
      PlanOf("starter", 150000, 500), april, Utc(2026, 1, 1),
      {{.at = Utc(2026, 4, 11), .from = "starter", .to = "growth", .charge = 200000}},
      {{.fee = 500, .bookings = 12}, {.fee = 300, .bookings = 4}, {.fee = 300, .bookings = 0}});
  EXPECT_EQ(invoice.currency, "BDT");
  ASSERT_EQ(invoice.lines.size(), 4u);
  EXPECT_EQ(invoice.lines[0], (InvoiceLine{.kind = "plan_fee",
                                           .description = "starter plan",
                                           .quantity = 1,
                                           .unit_amount = 150000,
                                           .amount = 150000}));
  EXPECT_EQ(invoice.lines[1].kind, "proration");
  EXPECT_EQ(invoice.lines[1].description, "upgrade from starter to growth");
  EXPECT_EQ(invoice.lines[1].amount, 200000);
  EXPECT_EQ(invoice.lines[2], (InvoiceLine{.kind = "booking_fees",
                                           .description = "bookings at 5.00 each",
                                           .quantity = 12,
                                           .unit_amount = 500,
                                           .amount = 6000}));
  EXPECT_EQ(invoice.lines[3].amount, 1200);
  EXPECT_EQ(invoice.total, 150000 + 200000 + 6000 + 1200);
}

TEST(BillingTest, TheTrialIsNotBilled) {
  const BillingPeriod april = MonthOf(Utc(2026, 4, 11), absl::UTCTimeZone());
  // Trial until the 11th: 20 of 30 days paid.
  InvoiceDraft invoice = DraftInvoice(PlanOf("starter", 150000), april, Utc(2026, 4, 11), {}, {});
  ASSERT_EQ(invoice.lines.size(), 1u);
  EXPECT_EQ(invoice.lines[0].description, "starter plan, after the trial");
  EXPECT_EQ(invoice.total, 100000);
  // A trial over the whole period: the plan is named at no charge.
  invoice = DraftInvoice(PlanOf("starter", 150000), april, Utc(2026, 5, 14), {}, {});
  EXPECT_EQ(invoice.total, 0);
}

}  // namespace
}  // namespace travio::subscription
