#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/notification/app/ports.h"

namespace travio::notification {

/// Notification's tables: deliveries, their attachments and attempts.
std::vector<db::Migration> NotificationMigrations();

/// The DeliveryStore on SQLite or PostgreSQL.
std::unique_ptr<DeliveryStore> MakeSqlDeliveryStore(db::Database& database);

}  // namespace travio::notification
