#include <grpcpp/grpcpp.h>

#include "platform/rpc/call_policy.h"
#include "platform/rpc/unary.h"
#include "services/subscription/api/proto_conversions.h"
#include "services/subscription/api/subscription_client.h"
#include "travio/subscription/v1/subscription_service.grpc.pb.h"

namespace travio::subscription {
namespace {

using Stub = v1::SubscriptionService::Stub;

class GrpcSubscriptionClient final : public SubscriptionClient {
 public:
  GrpcSubscriptionClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  // A reservation asked twice with one key counts once, so it may be tried again like a read
  // (a retry whose first try made it answers "not made", and the caller then gives nothing
  // back: the reservation times out instead).
  absl::StatusOr<bool> Reserve(const QuotaUse& use) override {
    v1::QuotaUse request;
    ToProto(use, request);
    absl::StatusOr<v1::QuotaUseAnswer> answer = rpc_.QueryRaw(&Stub::Reserve, request);
    if (!answer.ok()) return answer.status();
    return answer->made();
  }
  absl::Status Release(const QuotaUse& use) override {
    v1::QuotaUse request;
    ToProto(use, request);
    return rpc_.QueryRaw(&Stub::Release, request).status();
  }
  absl::StatusOr<std::vector<Plan>> ListPlans() override {
    return rpc_.Query(&Stub::ListPlans, v1::ListPlansRequest());
  }
  absl::StatusOr<SubscriptionView> GetSubscription(const std::string& org_id) override {
    v1::SubscriptionRef request;
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::GetSubscription, request);
  }
  absl::StatusOr<SubscriptionView> ChangePlan(const PlanChangeRequest& change) override {
    v1::ChangePlanRequest request;
    request.set_org_id(change.org_id);
    request.set_plan(change.plan);
    request.set_actor(change.actor);
    return rpc_.Call(&Stub::ChangePlan, request);
  }
  absl::StatusOr<InvoicePage> ListInvoices(const std::string& org_id, int limit,
                                           const std::string& cursor) override {
    v1::ListInvoicesRequest request;
    request.set_org_id(org_id);
    request.set_limit(limit);
    request.set_cursor(cursor);
    return rpc_.Query(&Stub::ListInvoices, request);
  }
  absl::StatusOr<InvoiceView> GetInvoice(const std::string& org_id,
                                         const std::string& invoice_id) override {
    v1::GetInvoiceRequest request;
    request.set_org_id(org_id);
    request.set_invoice_id(invoice_id);
    return rpc_.Query(&Stub::GetInvoice, request);
  }
  absl::StatusOr<InvoiceDocument> GetInvoicePdf(const std::string& org_id,
                                                const std::string& invoice_id) override {
    v1::GetInvoiceRequest request;
    request.set_org_id(org_id);
    request.set_invoice_id(invoice_id);
    return rpc_.Query(&Stub::GetInvoicePdf, request);
  }

 private:
  rpc::UnaryClient<v1::SubscriptionService> rpc_;
};

}  // namespace

std::shared_ptr<SubscriptionClient> SubscriptionClient::OverGrpc(
    std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcSubscriptionClient>(std::move(channel), policy);
}

}  // namespace travio::subscription
