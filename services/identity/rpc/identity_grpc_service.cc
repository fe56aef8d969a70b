#include "services/identity/rpc/identity_grpc_service.h"

#include "platform/rpc/status.h"

namespace travio::identity {

grpc::Status IdentityGrpcService::GetServerInfo(grpc::ServerContext*,
                                                const v1::GetServerInfoRequest*,
                                                v1::ServerInfo* reply) {
  auto info = local_->GetServerInfo();
  if (!info.ok()) return rpc::ToGrpcStatus(info.status());
  reply->set_service(info->service);
  reply->set_version(info->version);
  reply->set_commit(info->commit);
  reply->set_instance_id(info->instance_id);
  return grpc::Status::OK;
}

}  // namespace travio::identity
