#pragma once

#include <vector>

#include "platform/db/migrations.h"

namespace travio::identity {

/// Identity's schema, applied at start and by `travio migrate`. Instants are unix
/// microseconds; roles and invite states are stored by name.
std::vector<db::Migration> IdentityMigrations();

}  // namespace travio::identity
