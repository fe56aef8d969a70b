#include "services/search/rpc/search_grpc_service.h"

#include "platform/rpc/status.h"
#include "services/search/rpc/conversions.h"

namespace travio::search {

grpc::Status SearchGrpcService::Search(grpc::ServerContext*, const v1::SearchRequest* request,
                                       v1::SearchResponse* reply) {
  auto results = local_->Search(FromProto(*request));
  if (!results.ok()) return rpc::ToGrpcStatus(results.status());
  ToProto(*results, *reply);
  return grpc::Status::OK;
}

grpc::Status SearchGrpcService::FindStations(grpc::ServerContext*,
                                             const v1::FindStationsRequest* request,
                                             v1::FindStationsResponse* reply) {
  auto stations = local_->FindStations(request->query(), request->limit());
  if (!stations.ok()) return rpc::ToGrpcStatus(stations.status());
  for (const StationEntry& station : *stations) ToProto(station, *reply->add_items());
  return grpc::Status::OK;
}

}  // namespace travio::search
