#include "services/subscription/rpc/subscription_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/subscription/api/proto_conversions.h"

namespace travio::subscription {

using rpc::Answer;

grpc::Status SubscriptionGrpcService::Reserve(grpc::ServerContext*, const v1::QuotaUse* request,
                                              v1::QuotaUseAnswer* reply) {
  absl::StatusOr<QuotaUse> use = FromProto(*request);
  if (!use.ok()) return Answer(use.status());
  absl::StatusOr<bool> made = local_->Reserve(*use);
  if (!made.ok()) return Answer(made.status());
  reply->set_made(*made);
  return Answer(absl::OkStatus());
}

grpc::Status SubscriptionGrpcService::Release(grpc::ServerContext*, const v1::QuotaUse* request,
                                              v1::QuotaUseAnswer*) {
  absl::StatusOr<QuotaUse> use = FromProto(*request);
  if (!use.ok()) return Answer(use.status());
  return Answer(local_->Release(*use));
}

grpc::Status SubscriptionGrpcService::ListPlans(grpc::ServerContext*, const v1::ListPlansRequest*,
                                                v1::PlanList* reply) {
  return Answer(local_->ListPlans(), reply);
}

grpc::Status SubscriptionGrpcService::GetSubscription(grpc::ServerContext*,
                                                      const v1::SubscriptionRef* request,
                                                      v1::Subscription* reply) {
  return Answer(local_->GetSubscription(request->org_id()), reply);
}

grpc::Status SubscriptionGrpcService::ChangePlan(grpc::ServerContext*,
                                                 const v1::ChangePlanRequest* request,
                                                 v1::Subscription* reply) {
  return Answer(
      local_->ChangePlan(
          {.org_id = request->org_id(), .plan = request->plan(), .actor = request->actor()}),
      reply);
}

grpc::Status SubscriptionGrpcService::ListInvoices(grpc::ServerContext*,
                                                   const v1::ListInvoicesRequest* request,
                                                   v1::InvoiceList* reply) {
  return Answer(local_->ListInvoices(request->org_id(), request->limit(), request->cursor()),
                reply);
}

grpc::Status SubscriptionGrpcService::GetInvoice(grpc::ServerContext*,
                                                 const v1::GetInvoiceRequest* request,
                                                 v1::Invoice* reply) {
  return Answer(local_->GetInvoice(request->org_id(), request->invoice_id()), reply);
}

grpc::Status SubscriptionGrpcService::GetInvoicePdf(grpc::ServerContext*,
                                                    const v1::GetInvoiceRequest* request,
                                                    v1::InvoicePdf* reply) {
  return Answer(local_->GetInvoicePdf(request->org_id(), request->invoice_id()), reply);
}

}  // namespace travio::subscription
