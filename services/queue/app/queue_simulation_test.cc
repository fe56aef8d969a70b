// The simulation: 10,000 travellers arrive with jitter at a scheduled ticket drop, on an
// injected clock, through the queue's use cases and real adapters. Positions form a
// permutation; no minute admits more than the room's rate; active sessions never exceed the
// room's cap; the pre-queue's early and late arrivals leave in no particular order (a
// chi-square test); after the opening, arrival order is admission order.

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/queue/app/queue_service_fixture.h"

namespace travio::queue {
namespace {

struct Traveller {
  std::string subject;
  absl::Time arrives;
  std::string ticket;
  int64_t position = 0;
  absl::Time next_poll;
  bool admitted = false;
  absl::Time orders_at = absl::InfiniteFuture();
};

class QueueSimulationTest : public QueueServiceTest {};

TEST_F(QueueSimulationTest, TenThousandArrivalsWithJitterIntoAScheduledRoom) {
  constexpr int kPreQueue = 6000;
  constexpr int kTotal = 10000;
  constexpr int64_t kRate = 400;
  constexpr int64_t kMaxActive = 250;
  const absl::Time start = clock_.Now();
  RoomSpec spec = Scheduled();
  spec.opens_at = start + absl::Minutes(10);
  spec.pre_queue_minutes = 10;
  spec.admit_per_minute = kRate;
  spec.max_active = kMaxActive;
  spec.session_minutes = 4;
  ASSERT_OK(service_->PutRoom(spec).status());
  const absl::Time opens = *spec.opens_at;

  std::mt19937_64 random(20261204);
  std::vector<Traveller> travellers(kTotal);
  for (int i = 0; i < kTotal; ++i) {
    Traveller& traveller = travellers[static_cast<size_t>(i)];
    traveller.subject = absl::StrCat("guest-", i);
    // Six thousand during the pre-queue, four thousand over the fifteen minutes after it.
    const int64_t ms = i < kPreQueue ? static_cast<int64_t>(random() % 600'000)
                                     : 600'000 + static_cast<int64_t>(random() % 900'000);
    traveller.arrives = start + absl::Milliseconds(ms);
  }
  std::vector<size_t> by_arrival(kTotal);
  for (size_t i = 0; i < by_arrival.size(); ++i) by_arrival[i] = i;
  std::sort(by_arrival.begin(), by_arrival.end(),
            [&](size_t a, size_t b) { return travellers[a].arrives < travellers[b].arrives; });

  std::map<int64_t, int64_t> admitted_per_minute;
  int64_t admitted_before = 0;
  int64_t most_active = 0;
  size_t next_arrival = 0;
  int done = 0;
  for (absl::Time now = start; done < kTotal && now < start + absl::Hours(2);
       now += absl::Seconds(1)) {
    clock_.Set(now);
    while (next_arrival < by_arrival.size() &&
           travellers[by_arrival[next_arrival]].arrives <= now) {
      Traveller& traveller = travellers[by_arrival[next_arrival++]];
      ASSERT_OK_AND_ASSIGN(QueuePlace place, service_->Join("eid-drop", traveller.subject));
      traveller.ticket = place.ticket;
      traveller.position = place.position.value_or(0);
      traveller.next_poll = now + std::min(place.retry_after, absl::Minutes(1));
      traveller.admitted = place.admitted;
      if (place.admitted) traveller.orders_at = now + absl::Seconds(30 + random() % 200);
    }
    for (Traveller& traveller : travellers) {
      if (traveller.ticket.empty() || traveller.admitted || traveller.next_poll > now) continue;
      ASSERT_OK_AND_ASSIGN(QueuePlace place,
                           service_->Status("eid-drop", traveller.ticket, traveller.subject));
      if (place.position) traveller.position = *place.position;
      traveller.next_poll = now + std::min(place.retry_after, absl::Minutes(1));
      if (place.admitted) {
        traveller.admitted = true;
        // Most buy within minutes; one in ten lets the session run out.
        if (random() % 10 != 0) traveller.orders_at = now + absl::Seconds(30 + random() % 200);
        ++done;
      }
    }
    for (Traveller& traveller : travellers) {
      if (traveller.orders_at <= now) {
        ASSERT_OK(service_->OnOrderPlaced(traveller.subject, "trip-1"));
        traveller.orders_at = absl::InfiniteFuture();
      }
    }
    ASSERT_OK(service_->Tick());
    ASSERT_OK_AND_ASSIGN(RoomView room, service_->GetRoom("org-a", "eid-drop"));
    most_active = std::max(most_active, room.active);
    ASSERT_LE(room.active, kMaxActive);
    if (now >= opens) {
      admitted_per_minute[absl::ToInt64Seconds(now - opens) / 60] +=
          room.admitted_total - admitted_before;
    }
    admitted_before = room.admitted_total;
  }
  ASSERT_EQ(done, kTotal) << "not everyone was admitted";

  // Positions: a permutation of 1..10,000.
  std::set<int64_t> positions;
  for (const Traveller& traveller : travellers) positions.insert(traveller.position);
  EXPECT_EQ(positions.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(*positions.begin(), 1);
  EXPECT_EQ(*positions.rbegin(), kTotal);

  // The rate, every minute; the cap was reached, so the test of it was real.
  for (const auto& [minute, admitted] : admitted_per_minute) {
    EXPECT_LE(admitted, kRate) << "minute " << minute;
  }
  EXPECT_EQ(most_active, kMaxActive);

  // The pre-queue's draw: where did its first-half arrivals land among its 6,000 places? In
  // deciles, a fair shuffle puts 300 in each; chi-square with 9 degrees of freedom stays below
  // 45 except once in a million draws, while arrival order would score in the thousands.
  std::vector<size_t> pre_queue(by_arrival.begin(), by_arrival.end());
  pre_queue.erase(std::remove_if(pre_queue.begin(), pre_queue.end(),
                                 [&](size_t i) { return travellers[i].arrives >= opens; }),
                  pre_queue.end());
  ASSERT_EQ(pre_queue.size(), static_cast<size_t>(kPreQueue));
  std::vector<double> early_per_decile(10, 0);
  for (size_t rank = 0; rank < pre_queue.size() / 2; ++rank) {
    const int64_t position = travellers[pre_queue[rank]].position;
    ASSERT_LE(position, kPreQueue);
    early_per_decile[static_cast<size_t>((position - 1) * 10 / kPreQueue)] += 1;
  }
  const double expected = kPreQueue / 2.0 / 10.0;
  double chi_square = 0;
  for (double observed : early_per_decile) {
    chi_square += (observed - expected) * (observed - expected) / expected;
  }
  EXPECT_LT(chi_square, 45.0);

  // After the opening, first come first served.
  int64_t last = kPreQueue;
  for (size_t i : by_arrival) {
    if (travellers[i].arrives < opens) continue;
    EXPECT_GT(travellers[i].position, last);
    last = travellers[i].position;
  }
}

}  // namespace
}  // namespace travio::queue
