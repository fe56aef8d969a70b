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

/// When, after the opening, a caller who joined the pre-queue is told to come back: a moment in
/// [0, `spread`) chosen by its ticket's hash. Pre-queue places are drawn at the opening whoever
/// is there, so a pre-queue of millions need not return in the opening's first second (and
/// then every interval after it, together); and an admission of that draw is revealed to the
/// caller no earlier than this moment, so that polling faster than told gains nothing.
absl::Duration PreQueueReturnOffset(std::string_view ticket, absl::Duration spread);

/// How long a caller waiting for the opening (`until_open_seconds` away, rounded up, then an
/// estimated `wait_after_open_seconds`) should wait before polling again: its usual interval
/// while the opening is further away than that, else until the opening plus `return_offset`.
absl::Duration PreQueuePollInterval(int64_t until_open_seconds, int64_t wait_after_open_seconds,
                                    absl::Duration return_offset);

}  // namespace travio::queue
