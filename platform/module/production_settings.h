#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "platform/config/config.h"
#include "platform/module/module.h"

namespace travio::module {

/// Whether this process is part of a deployment spread over several processes: it serves gRPC
/// or calls a peer over it. The monolith on its own embedded storage is not.
bool IsDistributed(const config::Config& config);

/// A password anyone would try first: empty, a default of the servers Travio uses (guest,
/// postgres), one from an example file (change-me), a dictionary staple, or the user's name.
bool IsWellKnownPassword(std::string_view password, std::string_view user);

/// Refuses, naming every setting at fault and what to do, the settings that are fine for a
/// development set-up and wrong in production, when the process is distributed and the
/// `development` key is off: the broker, database or Redis with a well-known password (or
/// Redis with none), and whatever each module in `specs` refuses (ModuleSpec::production_check:
/// the sandbox payment provider, email that would not leave the machine encrypted).
absl::Status CheckProductionSettings(const config::Config& config,
                                     const std::vector<const ModuleSpec*>& specs);

}  // namespace travio::module
