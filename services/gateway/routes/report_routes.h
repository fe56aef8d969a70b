#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/routes/export_pump.h"
#include "services/gateway/security/secure_routes.h"
#include "services/reporting/api/reporting_client.h"

namespace travio::gateway {

/// api.md's "Back office" reports (owners, admins, managers and viewers): revenue by service day,
/// route or trip; occupancy in seat-legs per trip, route or day; and CSV exports of either, or of
/// the bookings, streamed through `exports`.
absl::Status AddReportRoutes(SecureRoutes& routes,
                             std::shared_ptr<reporting::ReportingClient> reports,
                             std::shared_ptr<ExportPump> exports);

}  // namespace travio::gateway
