#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/events/event.h"
#include "services/operator/api/operator_client.h"

namespace travio::fleet {

/// The statements of one transaction against the operator's tables. A change and the event
/// describing it commit together.
class FleetUnit {
 public:
  virtual ~FleetUnit() = default;
  /// kAlreadyExists `plate_taken` when the organization has a bus with this plate.
  virtual absl::Status InsertBus(const Bus& bus) = 0;
  virtual absl::StatusOr<std::optional<Bus>> FindBus(const std::string& org_id,
                                                     const std::string& bus_id) = 0;
  /// Replaces the bus when its stored version is `expected_version`; false when it changed
  /// meanwhile. kAlreadyExists `plate_taken` as for InsertBus.
  virtual absl::StatusOr<bool> UpdateBus(const Bus& bus, int64_t expected_version) = 0;
  virtual absl::StatusOr<bool> DeleteBus(const std::string& org_id, const std::string& bus_id) = 0;
  virtual absl::Status InsertStaff(const StaffMember& member) = 0;
  virtual absl::Status Append(const events::Event& event) = 0;
};

class FleetStore {
 public:
  virtual ~FleetStore() = default;
  /// Runs `work` in one transaction, committed when it returns OK.
  virtual absl::Status InTransaction(const std::function<absl::Status(FleetUnit&)>& work) = 0;
  virtual absl::StatusOr<std::optional<Bus>> FindBus(const std::string& org_id,
                                                     const std::string& bus_id) = 0;
  /// Buses by creation time then id, after `after`, at most `limit`.
  virtual absl::StatusOr<std::vector<Bus>> ListBuses(const std::string& org_id,
                                                     const std::optional<ListPosition>& after,
                                                     int limit) = 0;
  virtual absl::StatusOr<std::optional<StaffMember>> FindStaff(const std::string& org_id,
                                                               const std::string& staff_id) = 0;
  virtual absl::StatusOr<std::vector<StaffMember>> ListStaff(
      const std::string& org_id, const std::optional<ListPosition>& after, int limit) = 0;
};

}  // namespace travio::fleet
