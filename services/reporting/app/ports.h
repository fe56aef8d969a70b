#pragma once

// What the reporting service needs from the outside: a store that keeps every event it was
// given and the projections the reports read.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/event.h"
#include "services/reporting/domain/report.h"

namespace travio::reporting {

/// A trip as the reports need it, at one version.
struct TripFacts {
  std::string trip_id;
  std::string org_id;
  std::string route_id;
  std::string route_name;
  int64_t version = 0;
  std::string status;
  std::string departure;   // RFC 3339 in the departure stop's zone
  std::string local_date;  // the departure's service day
  std::string sort_key;    // service day|departure in UTC|trip id: orders trips by departure
  int64_t seats_for_sale = 0;
  std::vector<std::string> stops;  // station codes, in order
};

/// A booking paid for: what it sold and for how much.
struct BookingFacts {
  std::string order_id;
  std::string org_id;
  std::string trip_id;
  std::string from;
  std::string to;
  int64_t seats = 0;
  int64_t gross = 0;
  std::string currency;
  absl::Time confirmed_at;
};

/// Seats of a booking given back, and what was refunded for them.
struct CancellationFacts {
  std::string event_id;
  std::string org_id;
  std::string order_id;
  std::vector<std::string> seats;  // labels
  int64_t refund = 0;
  std::string currency;
  std::string tier;
  absl::Time at;
};

/// A ticket boarded its trip.
struct BoardingFacts {
  std::string ticket_id;
  std::string org_id;
  std::string trip_id;
  std::string order_id;
  std::string seat;
  absl::Time at;
};

using Projection = std::variant<TripFacts, BookingFacts, CancellationFacts, BoardingFacts>;

/// The event log and the projections. Projections are sets keyed by what they describe (a trip
/// keeps its newest version, a booking its order, a cancellation its event, a boarding its
/// ticket), so applying the
/// same events in any order, any number of times, gives the same tables: a replay of the log
/// rebuilds them exactly.
class ReportStore {
 public:
  virtual ~ReportStore() = default;

  /// Keeps `event` in the log and applies `projection`, in one transaction, once per event id:
  /// false when the event was seen before (nothing changes then).
  virtual absl::StatusOr<bool> Record(const events::Event& event, const Projection& projection) = 0;

  /// Events of the log in the order they were kept, after `after` (a position ScanLog gave;
  /// empty: from the start), at most `limit`, and the position of the last one.
  struct LogPage {
    std::vector<events::Event> events;
    std::string last;
  };
  virtual absl::StatusOr<LogPage> ScanLog(const std::string& after, int limit) = 0;

  /// Applies `projection` again (a replay); a no-op when it is already applied.
  virtual absl::Status Project(const Projection& projection) = 0;

  /// Whether the projections must be built from the log: they are empty while the log is not,
  /// or a rebuild was started and never finished.
  virtual absl::StatusOr<bool> NeedsRebuild() = 0;
  /// Marks a rebuild begun and empties the projections (the log stays).
  virtual absl::Status BeginRebuild() = 0;
  virtual absl::Status FinishRebuild() = 0;

  virtual absl::StatusOr<RevenueReport> Revenue(const RevenueQuery& query) = 0;
  virtual absl::StatusOr<OccupancyReport> Occupancy(const OccupancyQuery& query) = 0;
  virtual absl::StatusOr<BookingsPage> Bookings(const BookingsQuery& query) = 0;
};

}  // namespace travio::reporting
