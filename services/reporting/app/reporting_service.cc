#include "services/reporting/app/reporting_service.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::reporting {
namespace {

constexpr int kReplayBatch = 500;

absl::Status CheckPage(const std::string& org_id, const std::string& after, int limit) {
  if (org_id.empty()) return absl::InvalidArgumentError("a report needs an organization");
  if (!IsWellFormedCursor(after)) return Error(reasons::kInvalidCursor, "No such page.");
  if (limit < 1 || limit > kMaxPageRows) {
    return Error(reasons::kInvalidLimit,
                 absl::StrCat("limit must be between 1 and ", kMaxPageRows, "."));
  }
  return absl::OkStatus();
}

absl::Status CheckRange(const DateRange& dates) {
  if (dates.to < dates.from || dates.to - dates.from >= kMaxRangeDays) {
    return Error(reasons::kValidationFailed,
                 absl::StrCat("A report covers 1 to ", kMaxRangeDays, " days."));
  }
  return absl::OkStatus();
}

}  // namespace

ReportingService::ReportingService(ReportStore& store, const log::Logger& logger)
    : store_(store), logger_(logger) {}

absl::Status ReportingService::OnEvent(const events::Event& event) {
  absl::StatusOr<std::optional<Projection>> projection = ProjectionOf(event);
  if (!projection.ok()) {
    logger_.Error(
        "reporting dropped an event it cannot read",
        {{"event_id", event.id}, {"type", event.type}, {"error", projection.status().ToString()}});
    return absl::OkStatus();
  }
  if (!projection->has_value()) return absl::OkStatus();
  absl::Status recorded = store_.Record(KeptForm(event), **projection).status();
  if (absl::IsInvalidArgument(recorded)) {
    // Text the database refuses (a NUL byte on PostgreSQL) would be refused again on every
    // delivery and hold back the events behind it.
    logger_.Error("reporting dropped an event its database refuses",
                  {{"event_id", event.id}, {"type", event.type}, {"error", recorded.ToString()}});
    return absl::OkStatus();
  }
  return recorded;
}

absl::StatusOr<int64_t> ReportingService::Rebuild(bool force) {
  if (!force) {
    TRAVIO_ASSIGN_OR_RETURN(bool needed, store_.NeedsRebuild());
    if (!needed) return 0;
  }
  TRAVIO_RETURN_IF_ERROR(store_.BeginRebuild());
  int64_t replayed = 0;
  std::string after;
  while (true) {
    TRAVIO_ASSIGN_OR_RETURN(ReportStore::LogPage page, store_.ScanLog(after, kReplayBatch));
    for (const events::Event& event : page.events) {
      // Only readable events were kept, so one that no longer reads means the code changed
      // under the log: say so and go on, as the event's first delivery would have.
      absl::StatusOr<std::optional<Projection>> projection = ProjectionOf(event);
      if (!projection.ok() || !projection->has_value()) {
        logger_.Error("a kept event no longer reads; the rebuild leaves it out",
                      {{"event_id", event.id}, {"type", event.type}});
        continue;
      }
      TRAVIO_RETURN_IF_ERROR(store_.Project(**projection));
      ++replayed;
    }
    if (static_cast<int>(page.events.size()) < kReplayBatch) break;
    after = page.last;
  }
  TRAVIO_RETURN_IF_ERROR(store_.FinishRebuild());
  logger_.Info("reporting rebuilt its projections from its events",
               {{"events", std::to_string(replayed)}});
  return replayed;
}

absl::StatusOr<RevenueReport> ReportingService::Revenue(const RevenueQuery& query) {
  TRAVIO_RETURN_IF_ERROR(CheckPage(query.org_id, query.after, query.limit));
  TRAVIO_RETURN_IF_ERROR(CheckRange(query.dates));
  if (query.currency.size() > 3) return Error(reasons::kValidationFailed, "No such currency.");
  return store_.Revenue(query);
}

absl::StatusOr<OccupancyReport> ReportingService::Occupancy(const OccupancyQuery& query) {
  TRAVIO_RETURN_IF_ERROR(CheckPage(query.org_id, query.after, query.limit));
  TRAVIO_RETURN_IF_ERROR(CheckRange(query.dates));
  return store_.Occupancy(query);
}

absl::StatusOr<BookingsPage> ReportingService::Bookings(const BookingsQuery& query) {
  TRAVIO_RETURN_IF_ERROR(CheckPage(query.org_id, query.after, query.limit));
  TRAVIO_RETURN_IF_ERROR(CheckRange(query.dates));
  return store_.Bookings(query);
}

}  // namespace travio::reporting
