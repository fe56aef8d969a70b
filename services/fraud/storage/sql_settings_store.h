#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/fraud/app/ports.h"

namespace travio::fraud {

std::vector<db::Migration> FraudMigrations();
std::unique_ptr<SettingsStore> MakeSqlSettingsStore(db::Database& database);

}  // namespace travio::fraud
