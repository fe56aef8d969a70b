#pragma once

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"

namespace travio::queue {

/// What the inlet remembers between ticks: the minute of the room's clock it last admitted in
/// (counted from the opening) and how many it admitted in it.
struct InletWindow {
  int64_t minute = -1;
  int64_t admitted = 0;
};

/// How many more callers may be admitted at `now`. At most `per_minute` in each minute of the
/// room's clock, paced through the minute (never more than the share of the minute gone by,
/// rounded up, so a minute's quota is not spent in its first second and a burst of polls finds
/// no jackpot), and never so many that more than `max_active` sessions are active. Moves
/// `window` to the current minute. Ordering is not its business: the queue decides who.
int64_t AdmissionBudget(absl::Time opened_at, absl::Time now, int64_t per_minute,
                        int64_t max_active, int64_t active, InletWindow& window);

/// Seconds until `ahead` callers have been admitted at `per_minute` (rounded up).
int64_t EstimatedWaitSeconds(int64_t ahead, int64_t per_minute);

/// How long a waiting caller should wait before polling again: a quarter of its estimated
/// wait, from 2 to 20 seconds (positions of callers silent for longer than
/// queue.position_ttl expire, so it is always well below it).
absl::Duration PollInterval(int64_t eta_seconds);

/// When a caller waiting for the room's opening (`until_open_seconds` away, then an estimated
/// `wait_after_open_seconds`) should poll again: at its usual interval while the opening is
/// further away than that, else at a moment in the first interval after the opening chosen by
/// its ticket. Pre-queue places are drawn at the opening whenever their callers return, and a
/// pre-queue of millions told to come back at the opening itself would all arrive in the same
/// second (and again every interval after it).
absl::Duration PreQueuePollInterval(int64_t until_open_seconds, int64_t wait_after_open_seconds,
                                    std::string_view ticket);

}  // namespace travio::queue
