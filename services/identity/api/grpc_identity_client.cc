#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "platform/rpc/status.h"
#include "services/identity/api/identity_client.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {
namespace {

class GrpcIdentityClient final : public IdentityClient {
 public:
  GrpcIdentityClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::IdentityService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<ServerInfo> GetServerInfo() override {
    grpc::ClientContext context;
    rpc::PrepareCall(context, deadline_);
    v1::ServerInfo reply;
    const grpc::Status status = stub_->GetServerInfo(&context, v1::GetServerInfoRequest(), &reply);
    if (!status.ok()) return rpc::FromGrpcStatus(status);
    return ServerInfo{reply.service(), reply.version(), reply.commit(), reply.instance_id()};
  }

 private:
  std::unique_ptr<v1::IdentityService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<IdentityClient> MakeGrpcIdentityClient(std::shared_ptr<grpc::Channel> channel,
                                                       absl::Duration deadline) {
  return std::make_shared<GrpcIdentityClient>(std::move(channel), deadline);
}

}  // namespace travio::identity
