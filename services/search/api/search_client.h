#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/search/domain/station_index.h"
#include "services/search/domain/trip_index.h"

namespace grpc {
class Channel;
}

namespace travio::search {

/// A search hit with the names travellers read: the operator's and the stations'.
struct TripResult {
  SearchHit hit;
  std::string operator_name;
  StationEntry from;
  StationEntry to;
};

struct SearchResults {
  std::vector<TripResult> items;
  std::string next_cursor;
};

/// The search service: api.md's "Search (public)". In-process in the monolith, over gRPC
/// otherwise. Errors: invalid_cursor (kInvalidArgument).
class SearchClient {
 public:
  virtual ~SearchClient() = default;
  virtual absl::StatusOr<SearchResults> Search(const SearchQuery& query) = 0;
  /// Stations by code, name prefix, former names and despite typos; best first.
  virtual absl::StatusOr<std::vector<StationEntry>> FindStations(const std::string& query,
                                                                 int limit) = 0;
};

std::shared_ptr<SearchClient> MakeGrpcSearchClient(std::shared_ptr<grpc::Channel> channel,
                                                   absl::Duration deadline);

}  // namespace travio::search
