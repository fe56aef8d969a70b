#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/catalog/app/ports.h"

namespace travio::catalog {

/// The catalog's schema: `catalog_*` tables. Stop lists, fares and bus snapshots are JSON
/// documents; the columns that lists filter and sort on are columns of their own.
std::vector<db::Migration> CatalogMigrations();

/// CatalogStore on SQLite or PostgreSQL; events go to the module's outbox in the same
/// transaction.
std::unique_ptr<CatalogStore> MakeSqlCatalogStore(db::Database& database, events::Outbox& outbox);

}  // namespace travio::catalog
