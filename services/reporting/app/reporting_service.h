#pragma once

#include <memory>

#include "platform/events/bus.h"
#include "platform/log/logger.h"
#include "services/reporting/api/reporting_client.h"
#include "services/reporting/app/ports.h"

namespace travio::reporting {

/// The reports of every organization, built from the events of its trips and orders. Each event
/// is kept as it came and applied to the projections in the same transaction, once; the
/// projections can be thrown away and rebuilt from the kept events at any time.
class ReportingService final : public ReportingClient {
 public:
  ReportingService(ReportStore& store, const log::Logger& logger);

  /// Keeps and applies one event of a type the reports follow (others are ignored). An event
  /// that cannot be read, or whose envelope and payload name different organizations, is
  /// logged and dropped: delivering it again would never help.
  absl::Status OnEvent(const events::Event& event);

  /// Rebuilds the projections from the kept events when they need it (empty while the log is
  /// not, or a rebuild that did not finish); `force` rebuilds them anyway. Returns the events
  /// replayed.
  absl::StatusOr<int64_t> Rebuild(bool force);

  absl::StatusOr<RevenueReport> Revenue(const RevenueQuery& query) override;
  absl::StatusOr<OccupancyReport> Occupancy(const OccupancyQuery& query) override;
  absl::StatusOr<BookingsPage> Bookings(const BookingsQuery& query) override;

  const log::Logger& logger() const { return logger_; }

 private:
  ReportStore& store_;
  log::Logger logger_;
};

/// The projection `event` asks for: nullopt for a type the reports do not follow;
/// kInvalidArgument for an event that does not read, or whose envelope disagrees with its
/// payload about whose it is.
absl::StatusOr<std::optional<Projection>> ProjectionOf(const events::Event& event);

/// What of `event` is kept in the log: all of it but a booking's contact email, which no report
/// needs and the log would keep for ever.
events::Event KeptForm(const events::Event& event);

/// Subscribes the service (consumer "reporting") to every event type ProjectionOf reads.
void FollowEvents(events::Bus& bus, std::shared_ptr<ReportingService> service);

}  // namespace travio::reporting
