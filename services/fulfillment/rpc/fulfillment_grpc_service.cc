#include "services/fulfillment/rpc/fulfillment_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/fulfillment/api/proto_conversions.h"

namespace travio::fulfillment {

using rpc::Answer;

grpc::Status FulfillmentGrpcService::TicketsOfOrder(grpc::ServerContext*,
                                                    const v1::OrderRef* request,
                                                    v1::OrderTickets* reply) {
  return Answer(local_->TicketsOfOrder(request->order_id()), reply);
}

grpc::Status FulfillmentGrpcService::GetTicket(grpc::ServerContext*, const v1::TicketRef* request,
                                               v1::TicketView* reply) {
  return Answer(local_->GetTicket(request->ticket_id()), reply);
}

grpc::Status FulfillmentGrpcService::OrderPdf(grpc::ServerContext*, const v1::OrderRef* request,
                                              v1::Document* reply) {
  return Answer(local_->OrderPdf(request->order_id()), reply);
}

grpc::Status FulfillmentGrpcService::TicketPdf(grpc::ServerContext*, const v1::TicketRef* request,
                                               v1::Document* reply) {
  return Answer(local_->TicketPdf(request->ticket_id()), reply);
}

grpc::Status FulfillmentGrpcService::CheckLink(grpc::ServerContext*, const v1::LinkRequest* request,
                                               v1::Empty*) {
  return Answer(local_->CheckLink(request->resource(), request->expires(), request->signature()));
}

grpc::Status FulfillmentGrpcService::Board(grpc::ServerContext*, const v1::BoardRequest* request,
                                           v1::ScanResults* reply) {
  return Answer(local_->Board(FromProto(*request)), reply);
}

grpc::Status FulfillmentGrpcService::Pack(grpc::ServerContext*, const v1::PackRequest* request,
                                          v1::BoardingPack* reply) {
  return Answer(local_->Pack(request->org_id(), request->trip_id(),
                             {.user_id = request->user_id(), .crew_only = request->crew_only()}),
                reply);
}

grpc::Status FulfillmentGrpcService::VerificationKeys(grpc::ServerContext*, const v1::Empty*,
                                                      v1::KeyList* reply) {
  return Answer(local_->VerificationKeys(), reply);
}

}  // namespace travio::fulfillment
