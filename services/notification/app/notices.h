#pragma once

#include <functional>
#include <memory>
#include <string>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/notification/api/notification_client.h"
#include "services/notification/app/email_sender.h"
#include "services/notification/app/ports.h"

namespace travio::notification {

/// What workers' clocks may disagree by: a send must end this long before its claim does.
inline constexpr absl::Duration kSendClockMargin = absl::Seconds(2);

struct NoticeSettings {
  /// Attempts of one delivery before it is given up (failed).
  int max_attempts = 10;
  /// Longest wait between two attempts.
  absl::Duration max_backoff = absl::Minutes(30);
  /// Messages one recipient may receive per hour on each channel; more wait for the next hour.
  int emails_per_hour = 20;
  int sms_per_hour = 10;
  /// How long a worker holds a claimed delivery.
  absl::Duration lease = absl::Minutes(2);
  /// The longest one send may take (the transports' timeouts): a send starts only if it can
  /// end, kSendClockMargin early, before the claim does. ReadSettings refuses a lease shorter
  /// than twice this and the margin.
  absl::Duration longest_send = absl::Seconds(10);
};

/// The notice use cases: Notify (stored once per key, then sent) and the worker that sends what
/// is due (DeliverDue): the template rendered in the notice's locale, the email through the
/// EmailSender, the text message through the SMS provider, each attempt recorded, failures
/// retried with exponential backoff, and recipients held to their hourly limits. The local
/// NotificationClient (SendEmail is the sender's).
class NoticeService final : public NotificationClient {
 public:
  struct Ports {
    DeliveryStore& store;
    const MessageWriter& writer;
    EmailSender& email;
    SmsProvider& sms;
    const Clock& clock;
    const IdGenerator& ids;
    const log::Logger& logger;
    metrics::Registry* metrics = nullptr;
  };
  NoticeService(
      Ports ports, NoticeSettings settings, std::function<void()> wake = [] {});

  absl::StatusOr<std::string> SendEmail(const EmailMessage& message) override {
    return ports_.email.SendEmail(message);
  }
  absl::StatusOr<NoticeReceipt> Notify(const Notice& notice) override;

  /// Sends the deliveries due now, at most `limit`; returns how many were sent.
  absl::StatusOr<int> DeliverDue(int limit = 32);

 private:
  absl::Status Validate(const Notice& notice) const;
  /// Sends one delivery; the error says why it was not sent, NotStarted when the send could
  /// not start by `start_by` (rendering and the attachments took too long).
  absl::Status Send(const Delivery& delivery, absl::Time start_by);
  void Finish(Delivery delivery, const absl::Status& sent, absl::Time now);

  Ports ports_;
  NoticeSettings settings_;
  std::function<void()> wake_;
  metrics::Family<metrics::Counter>* deliveries_ = nullptr;
};

}  // namespace travio::notification
