// The catalog's tables, oldest migration first.
#include <vector>

#include "platform/db/database.h"
#include "services/catalog/storage/sql/sql_catalog_store.h"

namespace travio::catalog {

std::vector<db::Migration> CatalogMigrations() {
  return {{1, "stations, routes, trips, schedules, crew", R"sql(
CREATE TABLE catalog_stations (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  timezone TEXT NOT NULL,
  created_by_org TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  name_key TEXT NOT NULL,
  city_key TEXT NOT NULL
);
CREATE INDEX catalog_stations_by_name ON catalog_stations (name_key);
CREATE INDEX catalog_stations_by_city ON catalog_stations (city_key);
CREATE TABLE catalog_routes (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  stops TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX catalog_routes_by_org ON catalog_routes (org_id, created_at, id);
CREATE TABLE catalog_trips (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  route_name TEXT NOT NULL,
  bus_id TEXT NOT NULL,
  bus TEXT NOT NULL,
  stops TEXT NOT NULL,
  fares TEXT NOT NULL,
  status TEXT NOT NULL,
  delay_minutes BIGINT NOT NULL,
  cancel_reason TEXT NOT NULL,
  schedule_id TEXT,
  service_date TEXT,
  local_date TEXT NOT NULL,
  departure_at BIGINT NOT NULL,
  arrival_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  UNIQUE (schedule_id, service_date)
);
CREATE INDEX catalog_trips_by_departure ON catalog_trips (org_id, departure_at, id);
CREATE INDEX catalog_trips_by_bus ON catalog_trips (org_id, bus_id);
CREATE TABLE catalog_schedules (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  bus_id TEXT NOT NULL,
  departure_minutes BIGINT NOT NULL,
  weekdays BIGINT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  except_dates TEXT NOT NULL,
  fares TEXT NOT NULL,
  publish BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE catalog_crew (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL REFERENCES catalog_trips (id),
  staff_id TEXT NOT NULL,
  duty TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (trip_id, staff_id)
);
CREATE INDEX catalog_crew_by_staff ON catalog_crew (org_id, staff_id);
CREATE TABLE catalog_staff_locks (
  staff_id TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
)sql"},
          {2, "schedules listed by organization and changed by version", R"sql(
CREATE INDEX catalog_schedules_by_org ON catalog_schedules (org_id, created_at, id);
ALTER TABLE catalog_schedules ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
)sql"}};
}

}  // namespace travio::catalog
