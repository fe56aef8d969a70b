#pragma once

#include <memory>

#include "services/search/api/search_client.h"
#include "travio/search/v1/search_service.grpc.pb.h"

namespace travio::search {

/// Serves SearchService over gRPC by translating to the local implementation; no rules here.
class SearchGrpcService final : public v1::SearchService::Service {
 public:
  explicit SearchGrpcService(std::shared_ptr<SearchClient> local) : local_(std::move(local)) {}

  grpc::Status Search(grpc::ServerContext*, const v1::SearchRequest* request,
                      v1::SearchResponse* reply) override;
  grpc::Status FindStations(grpc::ServerContext*, const v1::FindStationsRequest* request,
                            v1::FindStationsResponse* reply) override;

 private:
  std::shared_ptr<SearchClient> local_;
};

}  // namespace travio::search
