#include "services/notification/app/email_sender.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/notification/domain/email.h"
#include "services/notification/domain/rfc5322.h"

namespace travio::notification {

EmailSender::EmailSender(Mailbox from, std::shared_ptr<EmailTransport> transport,
                         const MessageWriter& writer, const Clock& clock, const IdGenerator& ids,
                         log::Logger logger, metrics::Registry& metrics)
    : from_(std::move(from)),
      from_domain_(DomainOf(from_.address)),
      transport_(std::move(transport)),
      writer_(writer),
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

std::string EmailSender::NewMessageId() const {
  return absl::StrCat(ids_.NewId(), "@", from_domain_);
}

absl::StatusOr<NoticeReceipt> EmailSender::Notify(const Notice&) {
  return absl::UnimplementedError("notices are taken by the notice service");
}

absl::StatusOr<std::string> EmailSender::SendEmail(const EmailMessage& message) {
  Email email{.from = from_,
              .to = message.to,
              .subject = message.subject,
              .text_body = message.text_body,
              .html_body = "",
              .attachments = {},
              .message_id = NewMessageId(),
              .date = clock_.Now()};
  if (!message.fields.empty()) {
    // From the kind's template: the caller sends facts, notification words them.
    absl::StatusOr<RenderedMessage> rendered =
        !message.subject.empty() || !message.text_body.empty()
            ? absl::StatusOr<RenderedMessage>(Error(
                  reasons::kInvalidNotice, "A templated email has no subject or body of its own."))
            : writer_.WriteFields(message.kind, message.locale, message.fields);
    if (!rendered.ok()) {
      Count("invalid", "invalid");
      logger_.Warn("email refused", {{"kind", "templated"},
                                     {"transport", transport_->name()},
                                     {"reason", ReasonOf(rendered.status())}});
      return rendered.status();
    }
    email.subject = rendered->subject;
    email.text_body = rendered->text;
    email.html_body = rendered->html;
  }
  TRAVIO_RETURN_IF_ERROR(Deliver(email, message.kind));
  return email.message_id;
}

absl::Status EmailSender::Deliver(Email email, const std::string& kind) {
  if (email.message_id.empty()) email.message_id = NewMessageId();
  email.from = from_;
  email.date = clock_.Now();
  absl::Status valid = ValidateRequest(email.to, email.subject, email.text_body, kind);
  if (valid.ok()) valid = ValidateExtras(email.html_body, email.attachments);
  if (!valid.ok()) {
    // An invalid kind is not a label: keep the label set bounded.
    const std::string label = IsReason(valid, reasons::kInvalidEmailKind) ? "invalid" : kind;
    Count(label, "invalid");
    logger_.Warn("email refused",
                 {{"kind", label}, {"transport", transport_->name()}, {"reason", ReasonOf(valid)}});
    return valid;
  }
  OutgoingMessage outgoing{.message_id = email.message_id,
                           .date = email.date,
                           .envelope_from = from_.address,
                           .envelope_to = email.to,
                           .data = RenderMessage(email)};
  const std::string to_domain = DomainOf(email.to);
  if (absl::Status status = transport_->Deliver(outgoing); !status.ok()) {
    Count(kind, "failed");
    logger_.Warn("email not sent", {{"kind", kind},
                                    {"message_id", email.message_id},
                                    {"to_domain", to_domain},
                                    {"transport", transport_->name()},
                                    {"error", ToStd(status.message())}});
    if (status.code() == absl::StatusCode::kUnavailable) return status;
    // Whatever an adapter returned, callers are promised kUnavailable for transport failures.
    return Error(reasons::kEmailTransportFailed, ToStd(status.message()));
  }
  Count(kind, "sent");
  logger_.Info("email sent", {{"kind", kind},
                              {"message_id", email.message_id},
                              {"to_domain", to_domain},
                              {"transport", transport_->name()},
                              {"attachments", std::to_string(email.attachments.size())}});
  return absl::OkStatus();
}

}  // namespace travio::notification
