#include <grpcpp/grpcpp.h>

#include "platform/rpc/call_policy.h"
#include "platform/rpc/unary.h"
#include "services/audit/api/audit_client.h"
#include "services/audit/api/proto_conversions.h"
#include "travio/audit/v1/audit_service.grpc.pb.h"

namespace travio::audit {
namespace {

using Stub = v1::AuditService::Stub;

class GrpcAuditClient final : public AuditClient {
 public:
  GrpcAuditClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::Status Record(const AuditFact& fact) override {
    v1::Fact request;
    ToProto(fact, request);
    // Tried again when the peer could not answer: the fact's source makes a repeat add nothing.
    return rpc_.QueryRaw(&Stub::Record, request).status();
  }
  absl::StatusOr<AuditPage> List(const AuditQuery& query) override {
    v1::Query request;
    ToProto(query, request);
    return rpc_.Query(&Stub::List, request);
  }
  absl::StatusOr<Verification> Verify(const std::string& log) override {
    v1::LogRef request;
    request.set_log(log);
    return rpc_.Query(&Stub::Verify, request);
  }
  absl::StatusOr<std::vector<AuditKey>> VerificationKeys() override {
    return rpc_.Query(&Stub::VerificationKeys, v1::KeysRequest());
  }

 private:
  rpc::UnaryClient<v1::AuditService> rpc_;
};

}  // namespace

std::shared_ptr<AuditClient> AuditClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcAuditClient>(std::move(channel), policy);
}

}  // namespace travio::audit
