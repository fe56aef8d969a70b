#pragma once

#include <memory>
#include <string>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/notification/api/notification_client.h"
#include "services/notification/app/ports.h"
#include "services/notification/domain/address.h"

namespace travio::notification {

/// The SendEmail use case: validates at the edge, renders a template when asked to, assigns the
/// Message-ID and date, renders the message and hands it to the transport. Logs one line per
/// message (kind, message id and recipient domain; never the body, which may carry secrets such as
/// invite tokens) and counts travio_notification_emails_total{kind,transport,outcome}. Thread-safe.
class EmailSender final : public NotificationClient {
 public:
  EmailSender(Mailbox from, std::shared_ptr<EmailTransport> transport, const MessageWriter& writer,
              const Clock& clock, const IdGenerator& ids, log::Logger logger,
              metrics::Registry& metrics);

  absl::StatusOr<std::string> SendEmail(const EmailMessage& message) override;
  /// Notices are the NoticeService's (app/notices.h); a sender alone refuses them.
  absl::StatusOr<NoticeReceipt> Notify(const Notice& notice) override;

  /// A new Message-ID (without brackets) in the sender's domain.
  std::string NewMessageId() const;
  /// Sends an email whose id, recipient and parts are decided (a notice's delivery): checks it,
  /// renders RFC 5322 and hands it to the transport. Errors as SendEmail's.
  absl::Status Deliver(Email email, const std::string& kind);

 private:
  void Count(const std::string& kind, const char* outcome);

  Mailbox from_;
  std::string from_domain_;
  std::shared_ptr<EmailTransport> transport_;
  const MessageWriter& writer_;
  const Clock& clock_;
  const IdGenerator& ids_;
  log::Logger logger_;
  metrics::Family<metrics::Counter>& emails_;
};

}  // namespace travio::notification
