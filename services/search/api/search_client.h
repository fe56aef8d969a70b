#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "services/search/domain/station_index.h"
#include "services/search/domain/trip_index.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
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
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "search";
  /// The client of a remote search service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<SearchClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                const rpc::CallPolicy& policy);

  virtual ~SearchClient() = default;
  virtual absl::StatusOr<SearchResults> Search(const SearchQuery& query) = 0;
  /// True when Search would answer `query` from memory, waiting on no storage and no other
  /// service, at little CPU (the gateway then runs it on its I/O thread). Cheap, and never
  /// waits itself.
  virtual bool AnswersFromMemory(const SearchQuery& /*query*/) { return false; }
  /// Search from memory alone, never waiting: kUnavailable `would_wait` when the answer needs
  /// storage, another service or more CPU than an I/O thread should give (the caller then
  /// calls Search where waiting is fine). Same answers as Search otherwise.
  virtual absl::StatusOr<SearchResults> SearchFromMemory(const SearchQuery& /*query*/) {
    return Error(reasons::kWouldWait, "Searches are not answered from memory here.");
  }
  /// Stations by code, name prefix, former names and despite typos; best first.
  virtual absl::StatusOr<std::vector<StationEntry>> FindStations(const std::string& query,
                                                                 int limit) = 0;
};

}  // namespace travio::search
