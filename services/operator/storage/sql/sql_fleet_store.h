#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/operator/app/ports.h"

namespace travio::fleet {

/// The operator's schema: `operator_buses` (layouts as JSON documents) and `operator_staff`.
std::vector<db::Migration> OperatorMigrations();

/// FleetStore on SQLite or PostgreSQL; events go to the module's outbox in the same transaction.
std::unique_ptr<FleetStore> MakeSqlFleetStore(db::Database& database, events::Outbox& outbox);

}  // namespace travio::fleet
