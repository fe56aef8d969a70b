#include "services/queue/domain/inlet.h"

#include <algorithm>
#include <functional>

namespace travio::queue {

int64_t AdmissionBudget(absl::Time opened_at, absl::Time now, int64_t per_minute,
                        int64_t max_active, int64_t active, InletWindow& window) {
  if (now < opened_at || per_minute <= 0) return 0;
  const int64_t elapsed_us = absl::ToInt64Microseconds(now - opened_at);
  constexpr int64_t kMinuteUs = 60'000'000;
  const int64_t minute = elapsed_us / kMinuteUs;
  if (minute != window.minute) window = InletWindow{.minute = minute, .admitted = 0};
  // A share of the minute's quota for each part of it gone by, computed without overflow for
  // any quota the validator accepts (at most 10^6 per minute).
  const int64_t into_minute_us = elapsed_us % kMinuteUs;
  const int64_t paced =
      std::min(per_minute, (per_minute * (into_minute_us / 1000)) / (kMinuteUs / 1000) + 1);
  const int64_t by_rate = paced - window.admitted;
  const int64_t by_room = max_active - active;
  return std::max<int64_t>(0, std::min(by_rate, by_room));
}

int64_t EstimatedWaitSeconds(int64_t ahead, int64_t per_minute) {
  if (ahead <= 0) return 0;
  if (per_minute <= 0) return 0;
  return (ahead * 60 + per_minute - 1) / per_minute;
}

absl::Duration PollInterval(int64_t eta_seconds) {
  return absl::Seconds(std::clamp<int64_t>(eta_seconds / 4, 2, 20));
}

absl::Duration PreQueueReturnOffset(std::string_view ticket, absl::Duration spread) {
  const int64_t spread_ms = absl::ToInt64Milliseconds(spread);
  if (spread_ms <= 0) return absl::ZeroDuration();
  // Tickets are random, so their hashes spread the returns evenly; a ticket keeps its moment.
  return absl::Milliseconds(static_cast<int64_t>(std::hash<std::string_view>{}(ticket) %
                                                 static_cast<uint64_t>(spread_ms)));
}

absl::Duration PreQueuePollInterval(int64_t until_open_seconds, int64_t wait_after_open_seconds,
                                    absl::Duration return_offset) {
  const absl::Duration usual = PollInterval(until_open_seconds + wait_after_open_seconds);
  const absl::Duration until_open = absl::Seconds(std::max<int64_t>(1, until_open_seconds));
  if (until_open > usual) return usual;
  return until_open + return_offset;
}

}  // namespace travio::queue
