#pragma once

#include <memory>

#include "services/queue/api/queue_client.h"
#include "travio/queue/v1/queue_service.grpc.pb.h"

namespace travio::queue {

/// Serves QueueService over gRPC by translating to the local implementation.
class QueueGrpcService final : public v1::QueueService::Service {
 public:
  explicit QueueGrpcService(std::shared_ptr<QueueClient> local) : local_(std::move(local)) {}

  grpc::Status PutRoom(grpc::ServerContext*, const v1::Room* request, v1::RoomView* reply) override;
  grpc::Status GetRoom(grpc::ServerContext*, const v1::RoomRef* request,
                       v1::RoomView* reply) override;
  grpc::Status ListRooms(grpc::ServerContext*, const v1::ListRoomsRequest* request,
                         v1::RoomList* reply) override;
  grpc::Status DeleteRoom(grpc::ServerContext*, const v1::RoomRef* request,
                          v1::Empty* reply) override;
  grpc::Status GuardOf(grpc::ServerContext*, const v1::GuardOfRequest* request,
                       v1::GuardOfResponse* reply) override;
  grpc::Status Join(grpc::ServerContext*, const v1::JoinRequest* request,
                    v1::Place* reply) override;
  grpc::Status Status(grpc::ServerContext*, const v1::StatusRequest* request,
                      v1::Place* reply) override;
  grpc::Status VerificationKeys(grpc::ServerContext*, const v1::Empty* request,
                                v1::KeyList* reply) override;

 private:
  std::shared_ptr<QueueClient> local_;
};

}  // namespace travio::queue
