#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/search/app/search_service.h"

namespace travio::search {

/// Search's schema: `search_trips` (a listing and its seat claims per trip) and
/// `search_stations`.
std::vector<db::Migration> SearchMigrations();

std::unique_ptr<SnapshotStore> MakeSqlSnapshotStore(db::Database& database);

}  // namespace travio::search
