#pragma once

#include <map>
#include <string>
#include <vector>

#include "services/catalog/domain/model.h"

namespace travio::catalog {

/// One operator organization's published network, as the GTFS export sees it.
struct GtfsNetwork {
  std::string agency_id;
  std::string agency_name;
  std::string agency_url;
  std::string agency_timezone;  // IANA; must be a known zone (see IsTimeZone)
  std::vector<Station> stations;
  std::vector<Route> routes;
  std::vector<Trip> trips;
};

/// The files of a GTFS static feed ("agency.txt" -> CSV text) for `network`:
/// agency, stops, routes, trips, stop_times, calendar (header only), calendar_dates,
/// fare_attributes and fare_rules. Every file is present, each starts with its header line,
/// lines end with "\n" and fields are quoted as RFC 4180 asks.
///
/// - Only trips that are published, delayed or boarding are exported, with their scheduled
///   times (a delay is not part of a timetable). Trips with fewer than two stops, or with a
///   stop whose station is missing from `stations`, are left out so that the feed never
///   refers to a stop it does not describe.
/// - Each trip is its own service (service_id = trip id) running on one date in
///   calendar_dates.txt: the agency-zone date of its first departure. Stop times count from
///   noon minus 12 hours of that date, so a night bus arriving the next morning reads
///   "32:00:00".
/// - Stops and routes are those the exported trips use. Each stop's zone_id is its code so
///   that fare_rules can name origins and destinations.
/// - Fares with a seat category are skipped (GTFS fares v1 has no seat categories); identical
///   fares (route, from, to, amount, currency) of several trips share one fare_id.
/// - Rows are ordered by id so that the same network always gives the same bytes.
///
/// An unknown agency_timezone is read as UTC, like DateInZone does; the caller validates it.
std::map<std::string, std::string> GtfsFiles(const GtfsNetwork& network);

}  // namespace travio::catalog
