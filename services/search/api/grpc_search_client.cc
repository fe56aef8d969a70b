#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/search/api/proto_conversions.h"
#include "services/search/api/search_client.h"
#include "travio/search/v1/search_service.grpc.pb.h"

namespace travio::search {
namespace {

class GrpcSearchClient final : public SearchClient {
 public:
  GrpcSearchClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<SearchResults> Search(const SearchQuery& query) override {
    v1::SearchRequest request;
    ToProto(query, request);
    return rpc_.Call(&v1::SearchService::Stub::Search, request);
  }

  absl::StatusOr<std::vector<StationEntry>> FindStations(const std::string& query,
                                                         int limit) override {
    v1::FindStationsRequest request;
    request.set_query(query);
    request.set_limit(limit);
    TRAVIO_ASSIGN_OR_RETURN(v1::FindStationsResponse reply,
                            rpc_.Raw(&v1::SearchService::Stub::FindStations, request));
    std::vector<StationEntry> stations;
    for (const v1::Station& station : reply.items()) stations.push_back(FromProto(station));
    return stations;
  }

 private:
  rpc::UnaryClient<v1::SearchService> rpc_;
};

}  // namespace

std::shared_ptr<SearchClient> SearchClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                     const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcSearchClient>(std::move(channel), policy);
}

}  // namespace travio::search
