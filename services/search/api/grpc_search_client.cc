#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "services/search/api/search_client.h"
#include "services/search/rpc/conversions.h"
#include "travio/search/v1/search_service.grpc.pb.h"

namespace travio::search {
namespace {

class GrpcSearchClient final : public SearchClient {
 public:
  GrpcSearchClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::SearchService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<SearchResults> Search(const SearchQuery& query) override {
    v1::SearchRequest request;
    ToProto(query, request);
    v1::SearchResponse reply;
    if (auto status =
            rpc::CallUnary(*stub_, &v1::SearchService::Stub::Search, request, reply, deadline_);
        !status.ok()) {
      return status;
    }
    return FromProto(reply);
  }

  absl::StatusOr<std::vector<StationEntry>> FindStations(const std::string& query,
                                                         int limit) override {
    v1::FindStationsRequest request;
    request.set_query(query);
    request.set_limit(limit);
    v1::FindStationsResponse reply;
    if (auto status = rpc::CallUnary(*stub_, &v1::SearchService::Stub::FindStations, request, reply,
                                     deadline_);
        !status.ok()) {
      return status;
    }
    std::vector<StationEntry> stations;
    for (const v1::Station& station : reply.items()) stations.push_back(FromProto(station));
    return stations;
  }

 private:
  std::unique_ptr<v1::SearchService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<SearchClient> MakeGrpcSearchClient(std::shared_ptr<grpc::Channel> channel,
                                                   absl::Duration deadline) {
  return std::make_shared<GrpcSearchClient>(std::move(channel), deadline);
}

}  // namespace travio::search
