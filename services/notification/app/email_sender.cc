#include "services/notification/app/email_sender.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "services/notification/domain/email.h"
#include "services/notification/domain/rfc5322.h"

namespace travio::notification {

EmailSender::EmailSender(Mailbox from, std::shared_ptr<EmailTransport> transport,
                         const Clock& clock, const IdGenerator& ids, log::Logger logger,
                         metrics::Registry& metrics)
    : from_(std::move(from)),
      from_domain_(DomainOf(from_.address)),
      transport_(std::move(transport)),
      clock_(clock),
      ids_(ids),
      logger_(std::move(logger)),
      emails_(metrics.AddCounter("travio_notification_emails_total",
                                 "Emails handled, by kind, transport and outcome "
                                 "(sent, invalid, failed).",
                                 {"kind", "transport", "outcome"})) {}

void EmailSender::Count(const std::string& kind, const char* outcome) {
  emails_.WithLabels({kind, std::string(transport_->name()), outcome}).Increment();
}

absl::StatusOr<std::string> EmailSender::SendEmail(const EmailMessage& message) {
  if (absl::Status status =
          ValidateRequest(message.to, message.subject, message.text_body, message.kind);
      !status.ok()) {
    // An invalid kind is not a label: keep the label set bounded.
    const std::string kind =
        IsReason(status, reasons::kInvalidEmailKind) ? "invalid" : message.kind;
    Count(kind, "invalid");
    logger_.Warn("email refused",
                 {{"kind", kind}, {"transport", transport_->name()}, {"reason", ReasonOf(status)}});
    return status;
  }
  Email email{.from = from_,
              .to = message.to,
              .subject = message.subject,
              .text_body = message.text_body,
              .message_id = absl::StrCat(ids_.NewId(), "@", from_domain_),
              .date = clock_.Now()};
  OutgoingMessage outgoing{.message_id = email.message_id,
                           .date = email.date,
                           .envelope_from = from_.address,
                           .envelope_to = email.to,
                           .data = RenderMessage(email)};
  const std::string to_domain = DomainOf(email.to);
  if (absl::Status status = transport_->Deliver(outgoing); !status.ok()) {
    Count(message.kind, "failed");
    logger_.Warn("email not sent", {{"kind", message.kind},
                                    {"message_id", email.message_id},
                                    {"to_domain", to_domain},
                                    {"transport", transport_->name()},
                                    {"error", ToStd(status.message())}});
    if (status.code() == absl::StatusCode::kUnavailable) return status;
    // Whatever an adapter returned, callers are promised kUnavailable for transport failures.
    return Error(reasons::kEmailTransportFailed, ToStd(status.message()));
  }
  Count(message.kind, "sent");
  logger_.Info("email sent", {{"kind", message.kind},
                              {"message_id", email.message_id},
                              {"to_domain", to_domain},
                              {"transport", transport_->name()}});
  return email.message_id;
}

}  // namespace travio::notification
