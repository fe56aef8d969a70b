#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
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
  /// Mail about plan changes an organization's owners get in an hour at most: an owner who
  /// schedules and calls off a downgrade in a loop cannot flood the others. Invoices always go.
  int changes_per_hour = 5;
};

/// An issued invoice as stored, with its PDF: what its mail says and attaches.
struct InvoiceMail {
  InvoiceView invoice;
  InvoiceDocument pdf;
};

/// Tells an organization's owners of each change to its subscription and of each invoice, by
/// email through the notification service: one notice per event and owner (the notice's key,
/// so an event delivered again writes nothing twice). What a message says comes from this
/// service's own records (configured plans, stored invoices), never from an event's text alone.
/// A passing failure (a service down) asks for the event again; anything else is logged and the
/// event let go, so one bad event never holds back the mail after it.
class OwnerMail {
 public:
  /// The organization's invoice `invoice_id` and its PDF; kNotFound when it has no such one.
  using InvoiceSource = std::function<absl::StatusOr<InvoiceMail>(const std::string& org_id,
                                                                  const std::string& invoice_id)>;

  OwnerMail(OwnerDirectory& directory, notification::NotificationClient& notifications,
            InvoiceSource invoices, const Clock& clock, log::Logger logger,
            OwnerMailSettings settings);

  absl::Status OnSubscriptionChanged(const events::Event& event, std::string_view type,
                                     const SubscriptionChanged& change);
  absl::Status OnInvoiceIssued(const events::Event& event, const InvoiceIssued& invoice);
  const log::Logger& logger() const { return logger_; }

 private:
  absl::Status Tell(const events::Event& event, const std::string& kind, OwnerNotice notice,
                    std::vector<notification::Attachment> attachments = {});
  /// What becomes of an error: the event asked for again (a passing failure), or let go.
  absl::Status Settle(const events::Event& event, const std::string& kind,
                      const absl::Status& status) const;
  const Plan* PlanNamed(std::string_view name) const;
  /// False when the organization's owners had `changes_per_hour` change mails in the last hour
  /// (an event already counted is counted once).
  bool WithinChangeAllowance(const events::Event& event);

  OwnerDirectory& directory_;
  notification::NotificationClient& notifications_;
  InvoiceSource invoices_;
  const Clock& clock_;
  log::Logger logger_;
  OwnerMailSettings settings_;
  std::mutex mutex_;
  // org id -> (when, event id) of the change mails of the last hour, oldest first.
  std::map<std::string, std::deque<std::pair<absl::Time, std::string>>> recent_changes_;
};

/// Subscribes `mail` to the subscription's own events, as a consumer of its own.
void MailOwners(events::Bus& bus, std::shared_ptr<OwnerMail> mail);

}  // namespace travio::subscription
