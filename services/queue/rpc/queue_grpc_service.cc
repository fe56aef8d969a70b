#include "services/queue/rpc/queue_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/queue/api/proto_conversions.h"

namespace travio::queue {

using rpc::Answer;

grpc::Status QueueGrpcService::PutRoom(grpc::ServerContext*, const v1::Room* request,
                                       v1::RoomView* reply) {
  absl::StatusOr<RoomSpec> spec = FromProto(*request);
  if (!spec.ok()) return Answer(spec.status());
  return Answer(local_->PutRoom(*spec), reply);
}

grpc::Status QueueGrpcService::GetRoom(grpc::ServerContext*, const v1::RoomRef* request,
                                       v1::RoomView* reply) {
  return Answer(local_->GetRoom(request->org_id(), request->room_id()), reply);
}

grpc::Status QueueGrpcService::ListRooms(grpc::ServerContext*, const v1::ListRoomsRequest* request,
                                         v1::RoomList* reply) {
  return Answer(local_->ListRooms(request->org_id()), reply);
}

grpc::Status QueueGrpcService::DeleteRoom(grpc::ServerContext*, const v1::RoomRef* request,
                                          v1::Empty*) {
  return Answer(local_->DeleteRoom(request->org_id(), request->room_id()));
}

grpc::Status QueueGrpcService::GuardOf(grpc::ServerContext*, const v1::GuardOfRequest* request,
                                       v1::GuardOfResponse* reply) {
  return Answer(local_->GuardOf(request->trip_id()), reply);
}

grpc::Status QueueGrpcService::Join(grpc::ServerContext*, const v1::JoinRequest* request,
                                    v1::Place* reply) {
  return Answer(local_->Join(request->room_id(), request->subject()), reply);
}

grpc::Status QueueGrpcService::Status(grpc::ServerContext*, const v1::StatusRequest* request,
                                      v1::Place* reply) {
  return Answer(local_->Status(request->room_id(), request->ticket(), request->subject()), reply);
}

grpc::Status QueueGrpcService::VerificationKeys(grpc::ServerContext*, const v1::Empty*,
                                                v1::KeyList* reply) {
  return Answer(local_->VerificationKeys(), reply);
}

}  // namespace travio::queue
