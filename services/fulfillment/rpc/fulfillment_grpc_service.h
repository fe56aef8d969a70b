#pragma once

#include <memory>

#include "services/fulfillment/api/fulfillment_client.h"
#include "travio/fulfillment/v1/fulfillment_service.grpc.pb.h"

namespace travio::fulfillment {

/// Serves FulfillmentService over gRPC by translating to the local implementation.
class FulfillmentGrpcService final : public v1::FulfillmentService::Service {
 public:
  explicit FulfillmentGrpcService(std::shared_ptr<FulfillmentClient> local)
      : local_(std::move(local)) {}

  grpc::Status TicketsOfOrder(grpc::ServerContext*, const v1::OrderRef* request,
                              v1::OrderTickets* reply) override;
  grpc::Status GetTicket(grpc::ServerContext*, const v1::TicketRef* request,
                         v1::TicketView* reply) override;
  grpc::Status OrderPdf(grpc::ServerContext*, const v1::OrderRef* request,
                        v1::Document* reply) override;
  grpc::Status TicketPdf(grpc::ServerContext*, const v1::TicketRef* request,
                         v1::Document* reply) override;
  grpc::Status CheckLink(grpc::ServerContext*, const v1::LinkRequest* request,
                         v1::Empty* reply) override;
  grpc::Status Board(grpc::ServerContext*, const v1::BoardRequest* request,
                     v1::ScanResults* reply) override;
  grpc::Status Pack(grpc::ServerContext*, const v1::PackRequest* request,
                    v1::BoardingPack* reply) override;
  grpc::Status VerificationKeys(grpc::ServerContext*, const v1::Empty* request,
                                v1::KeyList* reply) override;

 private:
  std::shared_ptr<FulfillmentClient> local_;
};

}  // namespace travio::fulfillment
