#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/pricing/app/ports.h"

namespace travio::pricing {

/// `pricing_rules`: every version of every rule, one row each; `current` marks the version in
/// force (none for a deleted rule).
std::unique_ptr<RuleStore> MakeSqlRuleStore(db::Database& database);

std::vector<db::Migration> PricingMigrations();

}  // namespace travio::pricing
