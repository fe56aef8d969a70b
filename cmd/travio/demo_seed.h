#pragma once

#include <filesystem>
#include <ostream>

#include "absl/status/status.h"
#include "platform/base/clock.h"
#include "platform/module/clients.h"

namespace travio {

/// `travio seed --demo`: loads the demo network through the services' own use cases (so every
/// rule applies): the stations of Bangladesh, a demo operator organization with its manager
/// account, buses, staff, routes with intermediate stops, daily schedules, and their trips for
/// the next 30 days, on sale. A second run finds the demo operator and changes nothing.
/// The manager's password is random and written to `<data_dir>/demo-credentials.txt` (0600),
/// never logged.
absl::Status SeedDemo(module::Clients& clients, const std::filesystem::path& data_dir,
                      const Clock& clock, std::ostream& out);

}  // namespace travio
