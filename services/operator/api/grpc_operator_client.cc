#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "platform/rpc/status.h"
#include "services/operator/api/layout_json.h"
#include "services/operator/api/operator_client.h"
#include "services/operator/rpc/conversions.h"
#include "travio/fleet/v1/operator_service.grpc.pb.h"

namespace travio::fleet {
namespace {

class GrpcOperatorClient final : public OperatorClient {
 public:
  GrpcOperatorClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::OperatorService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<Bus> CreateBus(const std::string& org_id, const BusDraft& draft) override {
    v1::CreateBusRequest request;
    request.set_org_id(org_id);
    request.set_plate(draft.plate);
    request.set_name(draft.name);
    request.set_bus_class(draft.bus_class);
    request.set_ac(draft.ac);
    for (const std::string& amenity : draft.amenities) request.add_amenities(amenity);
    request.set_layout_json(LayoutToJson(draft.layout).dump());
    return CallBus(&v1::OperatorService::Stub::CreateBus, request);
  }

  absl::StatusOr<Bus> GetBus(const std::string& org_id, const std::string& bus_id) override {
    v1::GetBusRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    return CallBus(&v1::OperatorService::Stub::GetBus, request);
  }

  absl::StatusOr<Page<Bus>> ListBuses(const std::string& org_id, const PageRequest& page) override {
    v1::ListBusesResponse reply;
    if (auto status = Call(&v1::OperatorService::Stub::ListBuses, ListOf(org_id, page), reply);
        !status.ok()) {
      return status;
    }
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
    return CallBus(&v1::OperatorService::Stub::UpdateBus, request);
  }

  absl::Status DeleteBus(const std::string& org_id, const std::string& bus_id) override {
    v1::GetBusRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    v1::DeleteBusResponse reply;
    return Call(&v1::OperatorService::Stub::DeleteBus, request, reply);
  }

  absl::StatusOr<StaffMember> CreateStaff(const std::string& org_id,
                                          const StaffDraft& draft) override {
    v1::CreateStaffRequest request;
    request.set_org_id(org_id);
    request.set_name(draft.name);
    request.set_role(draft.role);
    request.set_phone(draft.phone);
    request.set_license_no(draft.license_no);
    v1::StaffMember reply;
    if (auto status = Call(&v1::OperatorService::Stub::CreateStaff, request, reply); !status.ok()) {
      return status;
    }
    return FromProto(reply);
  }

  absl::StatusOr<StaffMember> GetStaff(const std::string& org_id,
                                       const std::string& staff_id) override {
    v1::GetStaffRequest request;
    request.set_org_id(org_id);
    request.set_staff_id(staff_id);
    v1::StaffMember reply;
    if (auto status = Call(&v1::OperatorService::Stub::GetStaff, request, reply); !status.ok()) {
      return status;
    }
    return FromProto(reply);
  }

  absl::StatusOr<Page<StaffMember>> ListStaff(const std::string& org_id,
                                              const PageRequest& page) override {
    v1::ListStaffResponse reply;
    if (auto status = Call(&v1::OperatorService::Stub::ListStaff, ListOf(org_id, page), reply);
        !status.ok()) {
      return status;
    }
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

  template <typename Request, typename Reply>
  absl::Status Call(grpc::Status (v1::OperatorService::Stub::*method)(grpc::ClientContext*,
                                                                      const Request&, Reply*),
                    const Request& request, Reply& reply) {
    return rpc::CallUnary(*stub_, method, request, reply, deadline_);
  }

  template <typename Request>
  absl::StatusOr<Bus> CallBus(grpc::Status (v1::OperatorService::Stub::*method)(
                                  grpc::ClientContext*, const Request&, v1::Bus*),
                              const Request& request) {
    v1::Bus reply;
    if (auto status = Call(method, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  std::unique_ptr<v1::OperatorService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<OperatorClient> MakeGrpcOperatorClient(std::shared_ptr<grpc::Channel> channel,
                                                       absl::Duration deadline) {
  return std::make_shared<GrpcOperatorClient>(std::move(channel), deadline);
}

}  // namespace travio::fleet
