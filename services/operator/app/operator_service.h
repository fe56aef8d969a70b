#pragma once

#include <memory>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/contract.h"
#include "platform/log/logger.h"
#include "services/operator/api/operator_client.h"
#include "services/operator/api/operator_events.h"
#include "services/operator/app/ports.h"
#include "services/subscription/api/subscription_client.h"

namespace travio::fleet {

/// The operator service's use cases; also its in-process OperatorClient.
class OperatorService final : public OperatorClient {
 public:
  struct Ports {
    FleetStore& store;
    std::shared_ptr<subscription::QuotaGate> quota;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };
  explicit OperatorService(Ports ports) : ports_(std::move(ports)) {}

  absl::StatusOr<Bus> CreateBus(const std::string& org_id, const BusDraft& draft) override;
  absl::StatusOr<Bus> GetBus(const std::string& org_id, const std::string& bus_id) override;
  absl::StatusOr<Page<Bus>> ListBuses(const std::string& org_id, const PageRequest& page) override;
  absl::StatusOr<Bus> UpdateBus(const std::string& org_id, const std::string& bus_id,
                                const BusPatch& patch) override;
  absl::Status DeleteBus(const std::string& org_id, const std::string& bus_id) override;
  absl::StatusOr<StaffMember> CreateStaff(const std::string& org_id,
                                          const StaffDraft& draft) override;
  absl::StatusOr<StaffMember> GetStaff(const std::string& org_id,
                                       const std::string& staff_id) override;
  absl::StatusOr<Page<StaffMember>> ListStaff(const std::string& org_id,
                                              const PageRequest& page) override;

 private:
  events::Header Header(const std::string& aggregate_id, const std::string& org_id) const {
    return events::HeaderNow(ports_.ids, ports_.clock, aggregate_id, org_id);
  }

  Ports ports_;
};

}  // namespace travio::fleet
