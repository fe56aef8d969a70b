#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/http/message.h"
#include "platform/log/logger.h"

namespace travio::gateway {

/// How many exports may run at once.
struct ExportLimits {
  /// In this gateway; one more is 429 `too_many_streams`.
  size_t total = 16;
  /// For one organization, so one tenant's slow downloads cannot take every place.
  size_t per_org = 2;
  /// How long one export may take: a client reading slowly enough to keep its place for
  /// longer has its download cut short.
  absl::Duration lifetime = absl::Minutes(15);
};

/// Writes downloads too large to hold (the CSV exports) page by page on a few threads of its
/// own: a page is asked for only once the client has taken the one before, so an export holds
/// one page however large the report and however slowly the client reads. The body is
/// chunked: a download cut short by a failure lacks its last chunk, and the client knows.
/// Thread-safe.
class ExportPump {
 public:
  /// A page of the body, and the cursor of the next (empty: this is the last).
  struct Page {
    std::string text;
    std::string next_cursor;
  };
  /// The page at `cursor`; `first` for the one read before answering.
  using PageSource = std::function<absl::StatusOr<Page>(const std::string& cursor, bool first)>;

  ExportPump(int threads, ExportLimits limits, const Clock& clock, log::Logger logger);
  ~ExportPump();
  ExportPump(const ExportPump&) = delete;
  ExportPump& operator=(const ExportPump&) = delete;

  /// Starts an export for `org`: takes one of its places (kResourceExhausted
  /// `too_many_streams`, before anything is read, when none is free), reads the first page at
  /// `cursor` (its failure is the answer: nothing was sent yet), and returns the stream that
  /// writes `head`, that page and the pages after it. The place is given back when the stream
  /// ends.
  absl::StatusOr<std::shared_ptr<http::EventStream>> Start(const std::string& org, std::string head,
                                                           const std::string& cursor,
                                                           PageSource source);

  /// Exports running now.
  size_t running() const;

 private:
  class Export;
  class Place;
  struct Shared;

  std::shared_ptr<Shared> shared_;
  std::vector<std::thread> threads_;
};

}  // namespace travio::gateway
