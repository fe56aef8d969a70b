#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/paging/paging.h"
#include "services/operator/domain/fleet.h"
#include "services/operator/domain/seat_layout.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::fleet {

struct Bus {
  std::string id;
  std::string org_id;
  std::string plate;  // canonical form (NormalizePlate)
  std::string name;
  BusClass bus_class = BusClass::kSeater;
  bool ac = false;
  std::vector<std::string> amenities;
  SeatLayout layout;
  absl::Time created_at;
  absl::Time updated_at;
  /// Grows by one with every change; trips record the version they snapshotted.
  int64_t version = 1;
};

/// What creating a bus takes (api.md POST /v1/operator/buses). Validated by the service.
struct BusDraft {
  std::string plate;
  std::string name;
  std::string bus_class;  // "seater" | "semi_sleeper" | "sleeper"
  bool ac = false;
  std::vector<std::string> amenities;
  SeatLayout layout;  // already read from JSON (LayoutFromJson)
};

/// PATCH: only the members that are set change.
struct BusPatch {
  std::optional<std::string> plate;
  std::optional<std::string> name;
  std::optional<std::string> bus_class;
  std::optional<bool> ac;
  std::optional<std::vector<std::string>> amenities;
  std::optional<SeatLayout> layout;
};

struct StaffMember {
  std::string id;
  std::string org_id;
  std::string name;
  StaffRole role = StaffRole::kDriver;
  std::string phone;
  std::string license_no;
  absl::Time created_at;
  /// The organization member (an account) who is this staff member, when they use Travio
  /// themselves: a conductor scanning tickets on the trips they are assigned to. May be empty.
  std::string user_id;
};

struct StaffDraft {
  std::string name;
  std::string role;  // "driver" | "conductor" | "helper"
  std::string phone;
  std::string license_no;
  std::string user_id;  // optional; the caller checks it is a member of the organization
};

/// The operator service as other services and the gateway see it: in-process in the monolith,
/// over gRPC otherwise. Every call is scoped to one organization; another organization's bus or
/// staff member is kNotFound, exactly like one that does not exist.
class OperatorClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "operator";
  /// The client of a remote operator service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<OperatorClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                  const rpc::CallPolicy& policy);

  virtual ~OperatorClient() = default;

  /// kInvalidArgument `validation_failed` / `invalid_layout` (field errors);
  /// kAlreadyExists `plate_taken`; kResourceExhausted `plan_limit_reached`
  /// (402) when the org's plan has no room for another bus.
  virtual absl::StatusOr<Bus> CreateBus(const std::string& org_id, const BusDraft& draft) = 0;
  /// kNotFound `bus_not_found`.
  virtual absl::StatusOr<Bus> GetBus(const std::string& org_id, const std::string& bus_id) = 0;
  /// Buses in creation order.
  virtual absl::StatusOr<Page<Bus>> ListBuses(const std::string& org_id,
                                              const PageRequest& page) = 0;
  /// Trips already created keep the layout they snapshotted.
  virtual absl::StatusOr<Bus> UpdateBus(const std::string& org_id, const std::string& bus_id,
                                        const BusPatch& patch) = 0;
  /// The caller checks that no trip still runs on the bus (the gateway asks the catalog).
  virtual absl::Status DeleteBus(const std::string& org_id, const std::string& bus_id) = 0;

  /// kInvalidArgument `validation_failed`.
  virtual absl::StatusOr<StaffMember> CreateStaff(const std::string& org_id,
                                                  const StaffDraft& draft) = 0;
  /// kNotFound `staff_not_found`.
  virtual absl::StatusOr<StaffMember> GetStaff(const std::string& org_id,
                                               const std::string& staff_id) = 0;
  virtual absl::StatusOr<Page<StaffMember>> ListStaff(const std::string& org_id,
                                                      const PageRequest& page) = 0;
};

}  // namespace travio::fleet
