#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/subscription/app/ports.h"

namespace travio::subscription {

/// The subscription tables: accounts (plan, trial, a waiting downgrade), usage per quota and
/// period, each quota use by key (reserved, counted, released, removed) and plan changes.
std::vector<db::Migration> SubscriptionMigrations();

/// The store on SQLite or PostgreSQL; events go to `outbox` in the transaction that makes
/// them, and events consumed are recorded in `inbox`.
std::unique_ptr<SubscriptionStore> MakeSqlSubscriptionStore(db::Database& database,
                                                            events::Inbox& inbox,
                                                            events::Outbox& outbox);

}  // namespace travio::subscription
