#include "services/queue/storage/queue_state_contract.h"

#include <atomic>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/testing/status_matchers.h"

namespace travio::queue {

std::string PrintAdapterName(const ::testing::TestParamInfo<QueueStateAdapter>& info) {
  return info.param.name;
}

void QueueStateContract::SetUp() {
  harness_ = GetParam().make();
  ASSERT_OK_AND_ASSIGN(state_, harness_->Open(now_));
  // Rooms of other tests (and other runs) on a shared server are other rooms.
  room_ = absl::StrCat("room-", std::random_device()(), "-",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
}

void QueueStateContract::TearDown() {
  if (state_ != nullptr) (void)state_->Drop(room_);
}

InletRules QueueStateContract::Rules() {
  return InletRules{.admit_per_minute = 3,
                    .max_active = 2,
                    .position_ttl = absl::Minutes(2),
                    .session = absl::Minutes(10)};
}

QueueTicket QueueStateContract::Join(const std::string& subject, uint64_t lottery) {
  absl::StatusOr<QueueTicket> ticket = state_->Join(
      room_, subject, absl::StrCat("t", ++next_ticket_), lottery, now_, Rules().position_ttl);
  EXPECT_OK(ticket);
  return ticket.ok() ? *ticket : QueueTicket{};
}

namespace {

TEST_P(QueueStateContract, JoiningTwiceReturnsTheSameTicket) {
  const QueueTicket first = Join("alice", 7);
  EXPECT_EQ(first.position, 0);  // the pre-queue is not drawn yet
  EXPECT_EQ(first.status, TicketStatus::kWaiting);
  const QueueTicket again = Join("alice", 99);
  EXPECT_EQ(again.ticket, first.ticket);
  ASSERT_OK_AND_ASSIGN(RoomCounters counters, state_->Counters(room_));
  EXPECT_EQ(counters.pre_queue, 1);
  EXPECT_EQ(counters.waiting, 1);
  EXPECT_FALSE(counters.opened);
}

TEST_P(QueueStateContract, JoiningAgainAfterFallingSilentIsANewTicketAtTheBack) {
  ASSERT_OK(state_->Open(room_, now_));
  const QueueTicket first = Join("drifter");
  Join("other");
  now_ += absl::Minutes(3);  // silent for longer than the position's two minutes
  const QueueTicket again = Join("drifter");
  EXPECT_NE(again.ticket, first.ticket);
  EXPECT_EQ(again.position, 3);
  ASSERT_OK_AND_ASSIGN(auto old, state_->Poll(room_, first.ticket, now_, Rules().position_ttl));
  EXPECT_EQ(old->status, TicketStatus::kExpired);
  ASSERT_OK_AND_ASSIGN(RoomCounters counters, state_->Counters(room_));
  EXPECT_EQ(counters.expired_total, 1);
  EXPECT_EQ(counters.waiting, 2);
}

TEST_P(QueueStateContract, TheOpeningDrawsThePreQueueByLotteryAndLaterArrivalsQueueBehind) {
  const std::vector<uint64_t> lotteries = {50, 10, 40, 20, 30};
  std::vector<std::string> tickets;
  for (size_t i = 0; i < lotteries.size(); ++i) {
    tickets.push_back(Join(absl::StrCat("early-", i), lotteries[i]).ticket);
  }
  ASSERT_OK(state_->Open(room_, now_));
  ASSERT_OK(state_->Open(room_, now_ + absl::Seconds(1)));  // a second opening changes nothing
  const std::vector<int64_t> expected = {5, 1, 4, 2, 3};
  for (size_t i = 0; i < tickets.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(auto polled, state_->Poll(room_, tickets[i], now_, Rules().position_ttl));
    ASSERT_TRUE(polled.has_value());
    EXPECT_EQ(polled->position, expected[i]) << i;
  }
  EXPECT_EQ(Join("late-1").position, 6);
  EXPECT_EQ(Join("late-2").position, 7);
  ASSERT_OK_AND_ASSIGN(RoomCounters counters, state_->Counters(room_));
  EXPECT_TRUE(counters.opened);
  EXPECT_EQ(counters.opened_at, now_);
  EXPECT_EQ(counters.issued, 7);
  EXPECT_EQ(counters.waiting, 7);
  ASSERT_OK_AND_ASSIGN(auto unknown, state_->Poll(room_, "nope", now_, Rules().position_ttl));
  EXPECT_FALSE(unknown.has_value());
}

TEST_P(QueueStateContract, TheInletAdmitsInOrderWithinTheRateAndTheActiveCap) {
  ASSERT_OK(state_->Open(room_, now_));
  std::vector<QueueTicket> tickets;
  for (int i = 0; i < 5; ++i) tickets.push_back(Join(absl::StrCat("caller-", i)));
  // At the opening, one (the paced share of the minute, rounded up); nothing more at once.
  ASSERT_OK_AND_ASSIGN(InletResult first, state_->Advance(room_, now_, Rules()));
  EXPECT_EQ(first.admitted, 1);
  ASSERT_OK_AND_ASSIGN(InletResult again, state_->Advance(room_, now_, Rules()));
  EXPECT_EQ(again.admitted, 0);
  // Forty seconds in: three a minute paced is three by now, but two may be active.
  ASSERT_OK_AND_ASSIGN(InletResult later,
                       state_->Advance(room_, now_ + absl::Seconds(40), Rules()));
  EXPECT_EQ(later.admitted, 1);
  ASSERT_OK_AND_ASSIGN(RoomCounters counters, state_->Counters(room_));
  EXPECT_EQ(counters.active, 2);
  EXPECT_EQ(counters.serving, 2);
  EXPECT_EQ(counters.admitted_total, 2);
  EXPECT_EQ(counters.waiting, 3);
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(auto polled, state_->Poll(room_, tickets[static_cast<size_t>(i)].ticket,
                                                   now_ + absl::Seconds(40), Rules().position_ttl));
    EXPECT_EQ(polled->status, i < 2 ? TicketStatus::kAdmitted : TicketStatus::kWaiting) << i;
  }
  // A session that ends (an order placed) hands its place to the next caller.
  ASSERT_OK_AND_ASSIGN(bool ended, state_->EndSession(room_, "caller-0"));
  EXPECT_TRUE(ended);
  ASSERT_OK_AND_ASSIGN(bool not_admitted, state_->EndSession(room_, "caller-4"));
  EXPECT_FALSE(not_admitted);
  ASSERT_OK_AND_ASSIGN(InletResult next, state_->Advance(room_, now_ + absl::Seconds(50), Rules()));
  EXPECT_EQ(next.admitted, 1);
  // The minute's quota of three is spent: nothing until the next minute.
  ASSERT_OK(state_->EndSession(room_, "caller-1").status());
  ASSERT_OK_AND_ASSIGN(InletResult spent,
                       state_->Advance(room_, now_ + absl::Seconds(59), Rules()));
  EXPECT_EQ(spent.admitted, 0);
  ASSERT_OK_AND_ASSIGN(InletResult minute_two,
                       state_->Advance(room_, now_ + absl::Seconds(61), Rules()));
  EXPECT_EQ(minute_two.admitted, 1);
  ASSERT_OK_AND_ASSIGN(auto rejoined, state_->Poll(room_, tickets[0].ticket,
                                                   now_ + absl::Seconds(61), Rules().position_ttl));
  EXPECT_EQ(rejoined->status, TicketStatus::kDone);
  // Joining again after a session ended is a new ticket at the back.
  now_ += absl::Seconds(61);
  const QueueTicket back = Join("caller-0");
  EXPECT_NE(back.ticket, tickets[0].ticket);
  EXPECT_EQ(back.position, 6);
}

TEST_P(QueueStateContract, AnInletTickFromBeforeTheOpeningAdmitsNobody) {
  // A tick that read the time just before another process opened the room.
  ASSERT_OK(state_->Open(room_, now_));
  for (int i = 0; i < 5; ++i) Join(absl::StrCat("caller-", i));
  InletRules rules = Rules();
  rules.max_active = 100;
  ASSERT_OK_AND_ASSIGN(InletResult early, state_->Advance(room_, now_ - absl::Seconds(1), rules));
  EXPECT_EQ(early.admitted, 0);
  ASSERT_OK_AND_ASSIGN(InletResult at_opening, state_->Advance(room_, now_, rules));
  EXPECT_EQ(at_opening.admitted, 1);
}

TEST_P(QueueStateContract, SilentCallersLoseTheirPlaceAndSessionsEndOnTime) {
  ASSERT_OK(state_->Open(room_, now_));
  const QueueTicket quiet = Join("quiet");
  const QueueTicket keen = Join("keen");
  const absl::Time later = now_ + absl::Minutes(3);
  ASSERT_OK(
      state_->Poll(room_, keen.ticket, now_ + absl::Minutes(2), Rules().position_ttl).status());
  // The inlet passes the silent caller by, without spending a place on it.
  ASSERT_OK_AND_ASSIGN(InletResult result, state_->Advance(room_, later, Rules()));
  EXPECT_EQ(result.expired, 1);
  EXPECT_EQ(result.admitted, 1);
  ASSERT_OK_AND_ASSIGN(auto gone, state_->Poll(room_, quiet.ticket, later, Rules().position_ttl));
  EXPECT_EQ(gone->status, TicketStatus::kExpired);
  // A poll too finds a silent caller out, before the inlet reaches it.
  Join("third");
  const QueueTicket fourth = Join("fourth");
  ASSERT_OK_AND_ASSIGN(auto late_poll, state_->Poll(room_, fourth.ticket, later + absl::Minutes(5),
                                                    Rules().position_ttl));
  EXPECT_EQ(late_poll->status, TicketStatus::kExpired);
  // The admitted session ends after its ten minutes, and its place is free again.
  ASSERT_OK_AND_ASSIGN(InletResult ended,
                       state_->Advance(room_, later + absl::Minutes(10), Rules()));
  EXPECT_EQ(ended.ended, 1);
  ASSERT_OK_AND_ASSIGN(RoomCounters counters, state_->Counters(room_));
  EXPECT_EQ(counters.expired_total, 3);  // quiet, fourth, and third (silent ten minutes)
  EXPECT_EQ(counters.active, 0);
  EXPECT_EQ(counters.waiting, 0);
}

TEST_P(QueueStateContract, OneTickPassesOverABoundedNumberOfSilentCallers) {
  ASSERT_OK(state_->Open(room_, now_));
  const int64_t silent = QueueState::kMaxPassedOver + 500;
  for (int64_t i = 0; i < silent; ++i) {
    ASSERT_OK(state_
                  ->Join(room_, absl::StrCat("silent-", i), absl::StrCat("s", i), 0, now_,
                         Rules().position_ttl)
                  .status());
  }
  const absl::Time later = now_ + absl::Minutes(3);
  now_ += absl::Minutes(2);
  const QueueTicket keen = Join("keen");
  ASSERT_OK(state_->Poll(room_, keen.ticket, later, Rules().position_ttl).status());
  // The first tick passes over at most kMaxPassedOver silent callers and stops there.
  ASSERT_OK_AND_ASSIGN(InletResult first, state_->Advance(room_, later, Rules()));
  EXPECT_EQ(first.expired, QueueState::kMaxPassedOver);
  EXPECT_EQ(first.admitted, 0);
  // The next goes on from there and reaches the caller who kept polling.
  ASSERT_OK_AND_ASSIGN(InletResult second,
                       state_->Advance(room_, later + absl::Seconds(1), Rules()));
  EXPECT_EQ(second.expired, 500);
  EXPECT_EQ(second.admitted, 1);
}

TEST_P(QueueStateContract, ConcurrentJoinsGetEveryPositionExactlyOnce) {
  ASSERT_OK(state_->Open(room_, now_));
  constexpr int kThreads = 6;
  constexpr int kJoins = 40;
  std::vector<std::vector<int64_t>> positions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJoins; ++i) {
        auto ticket = state_->Join(room_, absl::StrCat("s", t, "-", i),
                                   absl::StrCat("c", t, "-", i), 0, now_, Rules().position_ttl);
        if (ticket.ok()) positions[static_cast<size_t>(t)].push_back(ticket->position);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<int64_t> seen;
  for (const auto& each : positions) seen.insert(each.begin(), each.end());
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kJoins));
  EXPECT_EQ(*seen.begin(), 1);
  EXPECT_EQ(*seen.rbegin(), kThreads * kJoins);
}

TEST_P(QueueStateContract, ARestartKeepsEveryPlaceAndCounter) {
  if (!harness_->survives_reopen()) GTEST_SKIP() << "nothing survives this adapter";
  std::vector<QueueTicket> early;
  for (int i = 0; i < 4; ++i) early.push_back(Join(absl::StrCat("early-", i), 100 - i));
  ASSERT_OK(state_->Open(room_, now_));
  const QueueTicket late = Join("late");
  ASSERT_OK(state_->Advance(room_, now_ + absl::Seconds(30), Rules()).status());
  ASSERT_OK_AND_ASSIGN(RoomCounters before, state_->Counters(room_));
  // The process restarts; every place and counter is where it was.
  const absl::Time restart = now_ + absl::Seconds(31);
  state_.reset();
  ASSERT_OK_AND_ASSIGN(state_, harness_->Open(restart));
  ASSERT_OK_AND_ASSIGN(RoomCounters after, state_->Counters(room_));
  EXPECT_EQ(after.issued, before.issued);
  EXPECT_EQ(after.serving, before.serving);
  EXPECT_EQ(after.active, before.active);
  EXPECT_EQ(after.admitted_total, before.admitted_total);
  EXPECT_EQ(after.opened_at, before.opened_at);
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK_AND_ASSIGN(auto polled, state_->Poll(room_, early[static_cast<size_t>(i)].ticket,
                                                   restart, Rules().position_ttl));
    EXPECT_EQ(polled->position, 4 - i) << i;
    EXPECT_EQ(polled->status, i >= 2 ? TicketStatus::kAdmitted : TicketStatus::kWaiting) << i;
  }
  const QueueTicket next =
      state_->Join(room_, "newcomer", "t-new", 0, restart, Rules().position_ttl).value();
  EXPECT_EQ(next.position, late.position + 1);
}

TEST_P(QueueStateContract, ADroppedRoomIsForgotten) {
  Join("alice");
  ASSERT_OK(state_->Drop(room_));
  ASSERT_OK_AND_ASSIGN(RoomCounters counters, state_->Counters(room_));
  EXPECT_EQ(counters.pre_queue, 0);
  EXPECT_EQ(counters.waiting, 0);
}

}  // namespace
}  // namespace travio::queue
