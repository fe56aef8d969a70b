#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/reporting/app/ports.h"

namespace travio::reporting {

/// The reporting tables: the kept events and the projections (trips and their stops,
/// bookings, cancellations).
std::vector<db::Migration> ReportingMigrations();

/// The store on SQLite or PostgreSQL.
std::unique_ptr<ReportStore> MakeSqlReportStore(db::Database& database);

}  // namespace travio::reporting
