#pragma once

// The events the operator service publishes (platform/events/contract.h): buses registered,
// changed and removed, and staff added. Nobody consumes them yet; reporting and audit will.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "platform/events/contract.h"
#include "services/operator/api/operator_client.h"
#include "services/operator/domain/fleet.h"

namespace travio::fleet {

/// bus.*.v1: a bus as it now is (or was, when removed).
struct BusSummary {
  std::string bus_id;
  std::string plate;
  BusClass bus_class = BusClass::kSeater;
  int capacity = 0;
  int64_t version = 0;
  bool operator==(const BusSummary&) const = default;
};

BusSummary SummaryOf(const Bus& bus);
std::string EncodeBusSummary(const BusSummary& bus);
absl::StatusOr<BusSummary> DecodeBusSummary(std::string_view payload);

inline constexpr events::Contract<BusSummary> kBusRegistered{"bus.registered.v1", &EncodeBusSummary,
                                                             &DecodeBusSummary};
inline constexpr events::Contract<BusSummary> kBusUpdated{"bus.updated.v1", &EncodeBusSummary,
                                                          &DecodeBusSummary};
inline constexpr events::Contract<BusSummary> kBusRemoved{"bus.removed.v1", &EncodeBusSummary,
                                                          &DecodeBusSummary};

/// staff.added.v1: who joined the crew roster, in which role.
struct StaffAdded {
  std::string staff_id;
  StaffRole role = StaffRole::kDriver;
  bool operator==(const StaffAdded&) const = default;
};

std::string EncodeStaffAdded(const StaffAdded& staff);
absl::StatusOr<StaffAdded> DecodeStaffAdded(std::string_view payload);

inline constexpr events::Contract<StaffAdded> kStaffAdded{"staff.added.v1", &EncodeStaffAdded,
                                                          &DecodeStaffAdded};

}  // namespace travio::fleet
