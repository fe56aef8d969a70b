#include "services/operator/rpc/operator_grpc_service.h"

#include "platform/rpc/answer.h"

namespace travio::fleet {

using rpc::Answer;
namespace {

PageRequest PageOf(const v1::ListRequest& request) {
  return PageRequest{.limit = request.limit(), .cursor = request.cursor()};
}

}  // namespace

grpc::Status OperatorGrpcService::CreateBus(grpc::ServerContext*,
                                            const v1::CreateBusRequest* request, v1::Bus* reply) {
  auto layout = LayoutFromText(request->layout_json());
  if (!layout.ok()) return Answer(layout.status());
  return Answer(
      local_->CreateBus(request->org_id(), BusDraft{.plate = request->plate(),
                                                    .name = request->name(),
                                                    .bus_class = request->bus_class(),
                                                    .ac = request->ac(),
                                                    .amenities = {request->amenities().begin(),
                                                                  request->amenities().end()},
                                                    .layout = *std::move(layout)}),
      reply);
}

grpc::Status OperatorGrpcService::GetBus(grpc::ServerContext*, const v1::GetBusRequest* request,
                                         v1::Bus* reply) {
  return Answer(local_->GetBus(request->org_id(), request->bus_id()), reply);
}

grpc::Status OperatorGrpcService::ListBuses(grpc::ServerContext*, const v1::ListRequest* request,
                                            v1::ListBusesResponse* reply) {
  auto page = local_->ListBuses(request->org_id(), PageOf(*request));
  if (!page.ok()) return Answer(page.status());
  for (const Bus& bus : page->items) ToProto(bus, *reply->add_items());
  reply->set_next_cursor(page->next_cursor);
  return grpc::Status::OK;
}

grpc::Status OperatorGrpcService::UpdateBus(grpc::ServerContext*,
                                            const v1::UpdateBusRequest* request, v1::Bus* reply) {
  BusPatch patch;
  if (request->has_plate()) patch.plate = request->plate();
  if (request->has_name()) patch.name = request->name();
  if (request->has_bus_class()) patch.bus_class = request->bus_class();
  if (request->has_ac()) patch.ac = request->ac();
  if (request->has_amenities()) {
    patch.amenities = std::vector<std::string>(request->amenities().items().begin(),
                                               request->amenities().items().end());
  }
  if (request->has_layout_json()) {
    auto layout = LayoutFromText(request->layout_json());
    if (!layout.ok()) return Answer(layout.status());
    patch.layout = *std::move(layout);
  }
  return Answer(local_->UpdateBus(request->org_id(), request->bus_id(), patch), reply);
}

grpc::Status OperatorGrpcService::DeleteBus(grpc::ServerContext*, const v1::GetBusRequest* request,
                                            v1::DeleteBusResponse*) {
  return Answer(local_->DeleteBus(request->org_id(), request->bus_id()));
}

grpc::Status OperatorGrpcService::CreateStaff(grpc::ServerContext*,
                                              const v1::CreateStaffRequest* request,
                                              v1::StaffMember* reply) {
  return Answer(
      local_->CreateStaff(request->org_id(), StaffDraft{.name = request->name(),
                                                        .role = request->role(),
                                                        .phone = request->phone(),
                                                        .license_no = request->license_no(),
                                                        .user_id = request->user_id()}),
      reply);
}

grpc::Status OperatorGrpcService::GetStaff(grpc::ServerContext*, const v1::GetStaffRequest* request,
                                           v1::StaffMember* reply) {
  return Answer(local_->GetStaff(request->org_id(), request->staff_id()), reply);
}

grpc::Status OperatorGrpcService::ListStaff(grpc::ServerContext*, const v1::ListRequest* request,
                                            v1::ListStaffResponse* reply) {
  auto page = local_->ListStaff(request->org_id(), PageOf(*request));
  if (!page.ok()) return Answer(page.status());
  for (const StaffMember& member : page->items) ToProto(member, *reply->add_items());
  reply->set_next_cursor(page->next_cursor);
  return grpc::Status::OK;
}

}  // namespace travio::fleet
