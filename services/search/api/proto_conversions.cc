#include "services/search/api/proto_conversions.h"

namespace travio::search {

void ToProto(const SearchQuery& query, v1::SearchRequest& out) {
  out.set_from(query.from);
  out.set_to(query.to);
  out.set_date(query.date);
  out.set_passengers(query.passengers);
  out.set_sort(static_cast<v1::SortBy>(static_cast<int>(query.sort)));
  if (query.ac) out.set_ac(*query.ac);
  out.set_bus_class(query.bus_class);
  out.set_operator_id(query.operator_id);
  if (query.depart_after_min) out.set_depart_after_min(*query.depart_after_min);
  if (query.depart_before_min) out.set_depart_before_min(*query.depart_before_min);
  if (query.max_price) out.set_max_price(*query.max_price);
  out.set_limit(query.limit);
  out.set_cursor(query.cursor);
}

SearchQuery FromProto(const v1::SearchRequest& request) {
  SearchQuery query;
  query.from = request.from();
  query.to = request.to();
  query.date = request.date();
  query.passengers = request.passengers();
  query.sort = static_cast<SortBy>(static_cast<int>(request.sort()));
  if (request.has_ac()) query.ac = request.ac();
  query.bus_class = request.bus_class();
  query.operator_id = request.operator_id();
  if (request.has_depart_after_min()) query.depart_after_min = request.depart_after_min();
  if (request.has_depart_before_min()) query.depart_before_min = request.depart_before_min();
  if (request.has_max_price()) query.max_price = request.max_price();
  query.limit = request.limit();
  query.cursor = request.cursor();
  return query;
}

void ToProto(const StationEntry& station, v1::Station& out) {
  out.set_code(station.code);
  out.set_name(station.name);
  out.set_city(station.city);
}

StationEntry FromProto(const v1::Station& station) {
  return StationEntry{station.code(), station.name(), station.city()};
}

void ToProto(const SearchResults& results, v1::SearchResponse& out) {
  for (const TripResult& result : results.items) {
    v1::TripResult* item = out.add_items();
    const SearchHit& hit = result.hit;
    item->set_trip_id(hit.trip_id);
    item->set_org_id(hit.org_id);
    item->set_operator_name(result.operator_name);
    ToProto(result.from, *item->mutable_from());
    ToProto(result.to, *item->mutable_to());
    item->set_departure(hit.departure);
    item->set_arrival(hit.arrival);
    item->set_departure_unix(hit.departure_unix);
    item->set_duration_min(hit.duration_min);
    item->set_fare_amount(hit.fare_amount);
    item->set_fare_currency(hit.fare_currency);
    item->set_seats_available(hit.seats_available);
    item->set_bus_class(hit.bus_class);
    item->set_ac(hit.ac);
    for (const std::string& amenity : hit.amenities) item->add_amenities(amenity);
  }
  out.set_next_cursor(results.next_cursor);
}

SearchResults FromProto(const v1::SearchResponse& response) {
  SearchResults results;
  results.next_cursor = response.next_cursor();
  for (const v1::TripResult& item : response.items()) {
    TripResult result;
    result.operator_name = item.operator_name();
    result.from = FromProto(item.from());
    result.to = FromProto(item.to());
    SearchHit& hit = result.hit;
    hit.trip_id = item.trip_id();
    hit.org_id = item.org_id();
    hit.from = result.from.code;
    hit.to = result.to.code;
    hit.departure = item.departure();
    hit.arrival = item.arrival();
    hit.departure_unix = item.departure_unix();
    hit.duration_min = item.duration_min();
    hit.fare_amount = item.fare_amount();
    hit.fare_currency = item.fare_currency();
    hit.seats_available = item.seats_available();
    hit.bus_class = item.bus_class();
    hit.ac = item.ac();
    hit.amenities = {item.amenities().begin(), item.amenities().end()};
    results.items.push_back(std::move(result));
  }
  return results;
}

}  // namespace travio::search
