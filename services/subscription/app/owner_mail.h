#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "services/notification/api/notification_client.h"
#include "services/subscription/api/owner_notice.h"
#include "services/subscription/api/subscription_client.h"
#include "services/subscription/api/subscription_events.h"
#include "services/subscription/app/ports.h"
#include "services/subscription/domain/plan.h"

namespace travio::subscription {

struct OwnerMailSettings {
  std::string locale = "en";  // the owners' messages' language: "en" or "bn"
  std::string time_zone;      // the billing time zone's IANA name: the dates the mail shows
  std::vector<Plan> plans;    // their prices, for the mail that names them
};

/// Tells an organization's owners of each change to its subscription and of each invoice, by
/// email through the notification service: one notice per event and owner (the notice's key,
/// so an event delivered again writes nothing twice). An error asks for the event again later.
class OwnerMail {
 public:
  /// An invoice's PDF, attached to the mail that tells of it.
  using InvoicePdf = std::function<absl::StatusOr<InvoiceDocument>(const std::string& org_id,
                                                                   const std::string& invoice_id)>;

  OwnerMail(OwnerDirectory& directory, notification::NotificationClient& notifications,
            InvoicePdf invoice_pdf, log::Logger logger, OwnerMailSettings settings);

  absl::Status OnSubscriptionChanged(const events::Event& event, std::string_view type,
                                     const SubscriptionChanged& change);
  absl::Status OnInvoiceIssued(const events::Event& event, const InvoiceIssued& invoice);
  const log::Logger& logger() const { return logger_; }

 private:
  absl::Status Tell(const events::Event& event, const std::string& kind, OwnerNotice notice,
                    std::vector<notification::Attachment> attachments = {});
  const Plan* PlanNamed(std::string_view name) const;

  OwnerDirectory& directory_;
  notification::NotificationClient& notifications_;
  InvoicePdf invoice_pdf_;
  log::Logger logger_;
  OwnerMailSettings settings_;
};

/// Subscribes `mail` to the subscription's own events, as a consumer of its own.
void MailOwners(events::Bus& bus, std::shared_ptr<OwnerMail> mail);

}  // namespace travio::subscription
