#pragma once

// Search's proto messages to and from its client types: shared by the gRPC service and client.

#include "services/search/api/search_client.h"
#include "travio/search/v1/search_service.pb.h"

namespace travio::search {

void ToProto(const SearchQuery& query, v1::SearchRequest& out);
SearchQuery FromProto(const v1::SearchRequest& request);
void ToProto(const SearchResults& results, v1::SearchResponse& out);
SearchResults FromProto(const v1::SearchResponse& response);
void ToProto(const StationEntry& station, v1::Station& out);
StationEntry FromProto(const v1::Station& station);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::search::FromProto;
}  // namespace v1

}  // namespace travio::search
