#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/status.h"
#include "platform/http/router.h"
#include "services/gateway/security/secure_routes.h"
#include "services/queue/api/queue_client.h"

namespace travio::gateway {

/// api.md's "Waiting room and traffic control": rooms for operators, the trip's guard, joining
/// and polling for travellers, and the waiting-room page `GET /queue/{room_id}` (the traveller
/// app's `index.html` under `static_dir`, read once, for every room).
absl::Status AddQueueRoutes(SecureRoutes& routes, http::Router& router,
                            std::shared_ptr<queue::QueueClient> queue,
                            const std::filesystem::path& static_dir);

}  // namespace travio::gateway
