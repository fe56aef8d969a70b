#include "services/queue/domain/inlet.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"

namespace travio::queue {
namespace {

const absl::Time kOpened = absl::FromUnixSeconds(1'767'225'600);

TEST(AdmissionBudget, PacesTheMinutesQuotaAndNeverExceedsIt) {
  InletWindow window;
  // 60 a minute: one at the opening, then one more each second.
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened, 60, 1000, 0, window), 1);
  window.admitted += 1;
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Milliseconds(999), 60, 1000, 0, window), 0);
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(10), 60, 1000, 0, window), 10);
  window.admitted += 10;
  // Late in the minute the whole quota is due, never more.
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(59.9), 60, 1000, 0, window), 49);
  window.admitted += 49;
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(59.99), 60, 1000, 0, window), 0);
  // A new minute starts a new quota.
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(60), 60, 1000, 0, window), 1);
  EXPECT_EQ(window.minute, 1);
  EXPECT_EQ(window.admitted, 0);
}

TEST(AdmissionBudget, KeepsActiveSessionsUnderTheCap) {
  InletWindow window;
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(30), 600, 50, 45, window), 5);
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(30), 600, 50, 50, window), 0);
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(30), 600, 50, 70, window), 0);
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened - absl::Seconds(1), 600, 50, 0, window), 0);
}

TEST(AdmissionBudget, TheLargestQuotaDoesNotOverflow) {
  InletWindow window;
  EXPECT_EQ(AdmissionBudget(kOpened, kOpened + absl::Seconds(59), 1'000'000, 10'000'000, 0, window),
            983'334);
}

TEST(Estimates, WaitAndPollingPace) {
  EXPECT_EQ(EstimatedWaitSeconds(0, 100), 0);
  EXPECT_EQ(EstimatedWaitSeconds(100, 100), 60);
  EXPECT_EQ(EstimatedWaitSeconds(1, 100), 1);
  EXPECT_EQ(PollInterval(0), absl::Seconds(2));
  EXPECT_EQ(PollInterval(40), absl::Seconds(10));
  EXPECT_EQ(PollInterval(3600), absl::Seconds(20));
}

TEST(Estimates, APreQueueComesBackSpreadOverTheFirstSecondsAfterTheOpening) {
  const absl::Duration spread = absl::Seconds(20);
  // Far from the opening: the usual pace, whatever the ticket.
  EXPECT_EQ(PreQueuePollInterval(3600, 7200, PreQueueReturnOffset("ticket-a", spread)),
            absl::Seconds(20));
  // Ten seconds before an opening: 10,000 tickets come back between 10 and 30 s from now,
  // never before the opening, each second of it about as busy (500 each if perfectly even).
  std::map<int64_t, int> per_second;
  for (int i = 0; i < 10000; ++i) {
    const std::string ticket = absl::StrCat("ticket-", i);
    const absl::Duration offset = PreQueueReturnOffset(ticket, spread);
    ASSERT_GE(offset, absl::ZeroDuration());
    ASSERT_LT(offset, spread);
    EXPECT_EQ(offset, PreQueueReturnOffset(ticket, spread));  // a ticket keeps its moment
    const absl::Duration wait = PreQueuePollInterval(10, 3600, offset);
    EXPECT_EQ(wait, absl::Seconds(10) + offset);
    ++per_second[absl::ToInt64Seconds(wait)];
  }
  EXPECT_EQ(per_second.size(), 20u);
  for (const auto& [second, count] : per_second) {
    EXPECT_GT(count, 350) << second;
    EXPECT_LT(count, 650) << second;
  }
  // No spread: back at the opening, as before.
  EXPECT_EQ(PreQueueReturnOffset("ticket-x", absl::ZeroDuration()), absl::ZeroDuration());
  EXPECT_EQ(PreQueuePollInterval(10, 3600, absl::ZeroDuration()), absl::Seconds(10));
}

}  // namespace
}  // namespace travio::queue
