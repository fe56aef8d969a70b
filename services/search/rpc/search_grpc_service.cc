#include "services/search/rpc/search_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/search/api/proto_conversions.h"

namespace travio::search {

using rpc::Answer;

grpc::Status SearchGrpcService::Search(grpc::ServerContext*, const v1::SearchRequest* request,
                                       v1::SearchResponse* reply) {
  auto results = local_->Search(FromProto(*request));
  if (!results.ok()) return Answer(results.status());
  ToProto(*results, *reply);
  return grpc::Status::OK;
}

grpc::Status SearchGrpcService::FindStations(grpc::ServerContext*,
                                             const v1::FindStationsRequest* request,
                                             v1::FindStationsResponse* reply) {
  auto stations = local_->FindStations(request->query(), request->limit());
  if (!stations.ok()) return Answer(stations.status());
  for (const StationEntry& station : *stations) ToProto(station, *reply->add_items());
  return grpc::Status::OK;
}

}  // namespace travio::search
