#pragma once

#include <memory>

#include "platform/db/database.h"
#include "platform/events/outbox.h"
#include "services/identity/app/ports.h"

namespace travio::identity {

/// IdentityStore on SQLite or PostgreSQL (one set of portable statements), with audit events
/// appended to the module's outbox in the same transaction.
std::unique_ptr<IdentityStore> MakeSqlIdentityStore(db::Database& database, events::Outbox& outbox);

}  // namespace travio::identity
