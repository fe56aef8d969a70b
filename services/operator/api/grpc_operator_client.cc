#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/operator/api/layout_json.h"
#include "services/operator/api/operator_client.h"
#include "services/operator/api/proto_conversions.h"
#include "travio/fleet/v1/operator_service.grpc.pb.h"

namespace travio::fleet {
namespace {

using Stub = v1::OperatorService::Stub;

class GrpcOperatorClient final : public OperatorClient {
 public:
  GrpcOperatorClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<Bus> CreateBus(const std::string& org_id, const BusDraft& draft) override {
    v1::CreateBusRequest request;
    request.set_org_id(org_id);
    request.set_plate(draft.plate);
    request.set_name(draft.name);
    request.set_bus_class(draft.bus_class);
    request.set_ac(draft.ac);
    for (const std::string& amenity : draft.amenities) request.add_amenities(amenity);
    request.set_layout_json(LayoutToJson(draft.layout).dump());
    return rpc_.Call(&Stub::CreateBus, request);
  }

  absl::StatusOr<Bus> GetBus(const std::string& org_id, const std::string& bus_id) override {
    v1::GetBusRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    return rpc_.Query(&Stub::GetBus, request);
  }

  absl::StatusOr<Page<Bus>> ListBuses(const std::string& org_id, const PageRequest& page) override {
    TRAVIO_ASSIGN_OR_RETURN(v1::ListBusesResponse reply,
                            rpc_.QueryRaw(&Stub::ListBuses, ListOf(org_id, page)));
    Page<Bus> result;
    for (const v1::Bus& item : reply.items()) {
      auto bus = FromProto(item);
      if (!bus.ok()) return bus.status();
      result.items.push_back(*std::move(bus));
    }
    result.next_cursor = reply.next_cursor();
    return result;
  }

  absl::StatusOr<Bus> UpdateBus(const std::string& org_id, const std::string& bus_id,
                                const BusPatch& patch) override {
    v1::UpdateBusRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    if (patch.plate) request.set_plate(*patch.plate);
    if (patch.name) request.set_name(*patch.name);
    if (patch.bus_class) request.set_bus_class(*patch.bus_class);
    if (patch.ac) request.set_ac(*patch.ac);
    if (patch.amenities) {
      for (const std::string& amenity : *patch.amenities) {
        request.mutable_amenities()->add_items(amenity);
      }
      request.mutable_amenities();  // present even when empty: "remove every amenity"
    }
    if (patch.layout) request.set_layout_json(LayoutToJson(*patch.layout).dump());
    return rpc_.Call(&Stub::UpdateBus, request);
  }

  absl::Status DeleteBus(const std::string& org_id, const std::string& bus_id) override {
    v1::GetBusRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    return rpc_.Send(&Stub::DeleteBus, request);
  }

  absl::StatusOr<StaffMember> CreateStaff(const std::string& org_id,
                                          const StaffDraft& draft) override {
    v1::CreateStaffRequest request;
    request.set_org_id(org_id);
    request.set_name(draft.name);
    request.set_role(draft.role);
    request.set_phone(draft.phone);
    request.set_license_no(draft.license_no);
    request.set_user_id(draft.user_id);
    return rpc_.Call(&Stub::CreateStaff, request);
  }

  absl::StatusOr<StaffMember> GetStaff(const std::string& org_id,
                                       const std::string& staff_id) override {
    v1::GetStaffRequest request;
    request.set_org_id(org_id);
    request.set_staff_id(staff_id);
    return rpc_.Query(&Stub::GetStaff, request);
  }

  absl::StatusOr<Page<StaffMember>> ListStaff(const std::string& org_id,
                                              const PageRequest& page) override {
    TRAVIO_ASSIGN_OR_RETURN(v1::ListStaffResponse reply,
                            rpc_.QueryRaw(&Stub::ListStaff, ListOf(org_id, page)));
    Page<StaffMember> result;
    for (const v1::StaffMember& item : reply.items()) result.items.push_back(FromProto(item));
    result.next_cursor = reply.next_cursor();
    return result;
  }

 private:
  static v1::ListRequest ListOf(const std::string& org_id, const PageRequest& page) {
    v1::ListRequest request;
    request.set_org_id(org_id);
    request.set_limit(page.limit);
    request.set_cursor(page.cursor);
    return request;
  }

  rpc::UnaryClient<v1::OperatorService> rpc_;
};

}  // namespace

std::shared_ptr<OperatorClient> OperatorClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                         const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcOperatorClient>(std::move(channel), policy);
}

}  // namespace travio::fleet
