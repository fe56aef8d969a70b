#include "services/subscription/rpc/subscription_grpc_service.h"

#include "platform/rpc/answer.h"

namespace travio::subscription {

using rpc::Answer;

grpc::Status SubscriptionGrpcService::CheckQuota(grpc::ServerContext*,
                                                 const v1::CheckQuotaRequest* request,
                                                 v1::CheckQuotaResponse*) {
  return Answer(local_->CheckQuota({.org_id = request->org_id(),
                                    .resource = request->resource(),
                                    .in_use = request->in_use(),
                                    .adding = request->adding()}));
}

}  // namespace travio::subscription
