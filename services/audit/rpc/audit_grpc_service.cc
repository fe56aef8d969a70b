#include "services/audit/rpc/audit_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/audit/api/proto_conversions.h"

namespace travio::audit {

using rpc::Answer;

grpc::Status AuditGrpcService::Record(grpc::ServerContext*, const v1::Fact* request,
                                      v1::Recorded*) {
  return Answer(local_->Record(FromProto(*request)));
}

grpc::Status AuditGrpcService::List(grpc::ServerContext*, const v1::Query* request,
                                    v1::Page* reply) {
  return Answer(local_->List(FromProto(*request)), reply);
}

grpc::Status AuditGrpcService::Verify(grpc::ServerContext*, const v1::LogRef* request,
                                      v1::Verification* reply) {
  return Answer(local_->Verify(request->log()), reply);
}

grpc::Status AuditGrpcService::VerificationKeys(grpc::ServerContext*, const v1::KeysRequest*,
                                                v1::Keys* reply) {
  return Answer(local_->VerificationKeys(), reply);
}

}  // namespace travio::audit
