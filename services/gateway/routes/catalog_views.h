#pragma once

// The catalog routes' request readers: fares, stops and the other bodies the catalog takes.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "platform/zip/zip_archive.h"
#include "services/catalog/api/catalog_json.h"
#include "services/gateway/routes/catalog_routes.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"

namespace travio::gateway {

// Reads `fares` ([{from,to,amount,currency,category?}]) into the body's errors.
std::vector<catalog::Fare> ReadFares(JsonBody& body);

std::vector<catalog::RouteStop> ReadStops(JsonBody& body);

}  // namespace travio::gateway
