#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/queue/api/proto_conversions.h"
#include "services/queue/api/queue_client.h"
#include "travio/queue/v1/queue_service.grpc.pb.h"

namespace travio::queue {
namespace {

using Stub = v1::QueueService::Stub;

class GrpcQueueClient final : public QueueClient {
 public:
  GrpcQueueClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<RoomView> PutRoom(const RoomSpec& spec) override {
    v1::Room request;
    ToProto(spec, request);
    return rpc_.Call(&Stub::PutRoom, request);
  }
  absl::StatusOr<RoomView> GetRoom(const std::string& org_id, const std::string& room_id) override {
    return rpc_.Query(&Stub::GetRoom, Ref(org_id, room_id));
  }
  absl::StatusOr<std::vector<RoomView>> ListRooms(const std::string& org_id) override {
    v1::ListRoomsRequest request;
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::ListRooms, request);
  }
  absl::Status DeleteRoom(const std::string& org_id, const std::string& room_id) override {
    return rpc_.Send(&Stub::DeleteRoom, Ref(org_id, room_id));
  }
  absl::StatusOr<std::optional<TripGuard>> GuardOf(const std::string& trip_id) override {
    v1::GuardOfRequest request;
    request.set_trip_id(trip_id);
    return rpc_.Query(&Stub::GuardOf, request);
  }
  absl::StatusOr<QueuePlace> Join(const std::string& room_id, const std::string& subject) override {
    v1::JoinRequest request;
    request.set_room_id(room_id);
    request.set_subject(subject);
    return rpc_.Call(&Stub::Join, request);
  }
  absl::StatusOr<QueuePlace> Status(const std::string& room_id, const std::string& ticket,
                                    const std::string& subject) override {
    v1::StatusRequest request;
    request.set_room_id(room_id);
    request.set_ticket(ticket);
    request.set_subject(subject);
    return rpc_.Query(&Stub::Status, request);
  }
  absl::StatusOr<std::vector<QueueKey>> VerificationKeys() override {
    return rpc_.Query(&Stub::VerificationKeys, v1::Empty{});
  }

 private:
  static v1::RoomRef Ref(const std::string& org_id, const std::string& room_id) {
    v1::RoomRef ref;
    ref.set_org_id(org_id);
    ref.set_room_id(room_id);
    return ref;
  }

  rpc::UnaryClient<v1::QueueService> rpc_;
};

}  // namespace

std::shared_ptr<QueueClient> QueueClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcQueueClient>(std::move(channel), policy);
}

}  // namespace travio::queue
