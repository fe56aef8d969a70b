#include "services/gateway/routes/catalog_views.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "platform/zip/zip_archive.h"
#include "services/catalog/api/catalog_json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {

using catalog::CatalogClient;
using identity::Permission;
using nlohmann::json;

// Reads `fares` ([{from,to,amount,currency,category?}]) into the body's errors.
std::vector<catalog::Fare> ReadFares(JsonBody& body) {
  const json fares = body.Raw("fares", /*required=*/true);
  std::vector<catalog::Fare> out;
  if (fares.is_null()) return out;
  if (!fares.is_array() || fares.size() > 500) {
    body.AddError("fares", "must be a list of at most 500 fares");
    return out;
  }
  for (size_t i = 0; i < fares.size(); ++i) {
    const json& item = fares[i];
    const std::string path = absl::StrCat("fares[", i, "]");
    if (!item.is_object()) {
      body.AddError(path, "must be an object");
      continue;
    }
    catalog::Fare fare;
    bool valid = true;
    for (const auto& [key, value] : item.items()) {
      if (key != "from" && key != "to" && key != "amount" && key != "currency" &&
          key != "category") {
        body.AddError(absl::StrCat(path, ".", key.substr(0, 64)), "is not a known field");
        valid = false;
      }
    }
    auto text = [&](const char* name, std::string& into, bool required) {
      const auto it = item.find(name);
      if (it == item.end() || it->is_null()) {
        if (required) {
          body.AddError(absl::StrCat(path, ".", name), "is required");
          valid = false;
        }
        return;
      }
      if (!it->is_string() || it->get<std::string>().size() > 64) {
        body.AddError(absl::StrCat(path, ".", name), "must be a string of at most 64 bytes");
        valid = false;
        return;
      }
      into = it->get<std::string>();
    };
    text("from", fare.from, true);
    text("to", fare.to, true);
    text("currency", fare.currency, true);
    text("category", fare.category, false);
    const auto amount = item.find("amount");
    if (amount == item.end() || !amount->is_number_integer()) {
      body.AddError(path + ".amount", "must be an integer amount in minor units");
      valid = false;
    } else {
      fare.amount = amount->get<int64_t>();
    }
    if (valid) out.push_back(std::move(fare));
  }
  return out;
}

std::vector<catalog::RouteStop> ReadStops(JsonBody& body) {
  const json stops = body.Raw("stops", /*required=*/true);
  std::vector<catalog::RouteStop> out;
  if (stops.is_null()) return out;
  // Up to 100 here; the route's own rule (2 to 30) answers 422 invalid_route.
  if (!stops.is_array() || stops.size() > 100) {
    body.AddError("stops", "must be a list of 2 to 30 stops");
    return out;
  }
  for (size_t i = 0; i < stops.size(); ++i) {
    const json& item = stops[i];
    const std::string path = absl::StrCat("stops[", i, "]");
    if (!item.is_object()) {
      body.AddError(path, "must be an object");
      continue;
    }
    catalog::RouteStop stop;
    for (const auto& [key, value] : item.items()) {
      if (key != "station" && key != "arrive_offset_min" && key != "depart_offset_min" &&
          key != "boarding" && key != "dropping") {
        body.AddError(absl::StrCat(path, ".", key.substr(0, 64)), "is not a known field");
      }
    }
    const auto station = item.find("station");
    if (station == item.end() || !station->is_string() || station->get<std::string>().size() > 16) {
      body.AddError(path + ".station", "must be a station code");
    } else {
      stop.station = station->get<std::string>();
    }
    auto minutes = [&](const char* name, int& into) {
      const auto it = item.find(name);
      if (it == item.end() || !it->is_number_integer() || it->get<int64_t>() < 0 ||
          it->get<int64_t>() > 100'000) {
        body.AddError(absl::StrCat(path, ".", name), "must be a whole number of minutes");
        return;
      }
      into = static_cast<int>(it->get<int64_t>());
    };
    minutes("arrive_offset_min", stop.arrive_offset_min);
    minutes("depart_offset_min", stop.depart_offset_min);
    auto flag = [&](const char* name, bool& into) {
      const auto it = item.find(name);
      if (it == item.end() || it->is_null()) return;  // default true
      if (!it->is_boolean()) {
        body.AddError(absl::StrCat(path, ".", name), "must be true or false");
        return;
      }
      into = it->get<bool>();
    };
    flag("boarding", stop.boarding);
    flag("dropping", stop.dropping);
    out.push_back(std::move(stop));
  }
  return out;
}

}  // namespace travio::gateway
