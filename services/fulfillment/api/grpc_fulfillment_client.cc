#include <grpcpp/grpcpp.h>

#include "platform/rpc/unary.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/fulfillment/api/proto_conversions.h"
#include "travio/fulfillment/v1/fulfillment_service.grpc.pb.h"

namespace travio::fulfillment {
namespace {

using Stub = v1::FulfillmentService::Stub;

class GrpcFulfillmentClient final : public FulfillmentClient {
 public:
  GrpcFulfillmentClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<OrderTickets> TicketsOfOrder(const std::string& order_id) override {
    return rpc_.Query(&Stub::TicketsOfOrder, OrderRef(order_id));
  }
  absl::StatusOr<TicketView> GetTicket(const std::string& ticket_id) override {
    return rpc_.Query(&Stub::GetTicket, TicketRef(ticket_id));
  }
  absl::StatusOr<Document> OrderPdf(const std::string& order_id) override {
    return rpc_.Query(&Stub::OrderPdf, OrderRef(order_id));
  }
  absl::StatusOr<Document> TicketPdf(const std::string& ticket_id) override {
    return rpc_.Query(&Stub::TicketPdf, TicketRef(ticket_id));
  }
  absl::Status CheckLink(const std::string& resource, const std::string& expires,
                         const std::string& signature) override {
    v1::LinkRequest request;
    request.set_resource(resource);
    request.set_expires(expires);
    request.set_signature(signature);
    return rpc_.Send(&Stub::CheckLink, request);
  }
  absl::StatusOr<std::vector<ScanResult>> Board(const ScanCommand& command) override {
    v1::BoardRequest request;
    ToProto(command, request);
    return rpc_.Call(&Stub::Board, request);
  }
  absl::StatusOr<BoardingPack> Pack(const std::string& org_id, const std::string& trip_id,
                                    const Scanner& scanner) override {
    v1::PackRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_user_id(scanner.user_id);
    request.set_crew_only(scanner.crew_only);
    return rpc_.Query(&Stub::Pack, request);
  }
  absl::StatusOr<std::vector<TicketKey>> VerificationKeys() override {
    return rpc_.Query(&Stub::VerificationKeys, v1::Empty{});
  }

 private:
  static v1::OrderRef OrderRef(const std::string& order_id) {
    v1::OrderRef ref;
    ref.set_order_id(order_id);
    return ref;
  }
  static v1::TicketRef TicketRef(const std::string& ticket_id) {
    v1::TicketRef ref;
    ref.set_ticket_id(ticket_id);
    return ref;
  }

  rpc::UnaryClient<v1::FulfillmentService> rpc_;
};

}  // namespace

std::shared_ptr<FulfillmentClient> FulfillmentClient::OverGrpc(
    std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcFulfillmentClient>(std::move(channel), policy);
}

}  // namespace travio::fulfillment
