#pragma once

#include <memory>

#include "services/subscription/api/subscription_client.h"
#include "travio/subscription/v1/subscription_service.grpc.pb.h"

namespace travio::subscription {

/// Serves SubscriptionService over gRPC by translating to the local implementation.
class SubscriptionGrpcService final : public v1::SubscriptionService::Service {
 public:
  explicit SubscriptionGrpcService(std::shared_ptr<SubscriptionClient> local)
      : local_(std::move(local)) {}

  grpc::Status Reserve(grpc::ServerContext*, const v1::QuotaUse* request,
                       v1::QuotaUseAnswer* reply) override;
  grpc::Status Release(grpc::ServerContext*, const v1::QuotaUse* request,
                       v1::QuotaUseAnswer* reply) override;
  grpc::Status ListPlans(grpc::ServerContext*, const v1::ListPlansRequest* request,
                         v1::PlanList* reply) override;
  grpc::Status GetSubscription(grpc::ServerContext*, const v1::SubscriptionRef* request,
                               v1::Subscription* reply) override;
  grpc::Status ChangePlan(grpc::ServerContext*, const v1::ChangePlanRequest* request,
                          v1::Subscription* reply) override;
  grpc::Status ListInvoices(grpc::ServerContext*, const v1::ListInvoicesRequest* request,
                            v1::InvoiceList* reply) override;
  grpc::Status GetInvoice(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                          v1::Invoice* reply) override;
  grpc::Status GetInvoicePdf(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                             v1::InvoicePdf* reply) override;

 private:
  std::shared_ptr<SubscriptionClient> local_;
};

}  // namespace travio::subscription
