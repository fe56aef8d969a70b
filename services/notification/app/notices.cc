#include "services/notification/app/notices.h"

#include <algorithm>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/trace/trace_context.h"
#include "services/notification/domain/address.h"
#include "services/notification/domain/locale_format.h"
#include "services/notification/domain/phone.h"

namespace travio::notification {
namespace {

constexpr size_t kMaxKeyBytes = 200;
constexpr size_t kMaxDataBytes = 64 * 1024;
// A recipient over the hourly limit is looked at again this much later.
constexpr absl::Duration kDeferral = absl::Minutes(5);

constexpr char kNotStartedMessage[] = "not started: the claim would end before the send could";
absl::Status NotStarted() { return absl::DeadlineExceededError(kNotStartedMessage); }
bool IsNotStarted(const absl::Status& status) {
  return status.code() == absl::StatusCode::kDeadlineExceeded &&
         status.message() == kNotStartedMessage;
}

absl::Status Refuse(std::string_view field, std::string_view message) {
  return WithFieldErrors(Error(reasons::kInvalidNotice, message),
                         {{std::string(field), std::string(message)}});
}

}  // namespace

std::string_view ChannelName(Channel channel) {
  return channel == Channel::kEmail ? "email" : "sms";
}

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending:
      return "pending";
    case DeliveryStatus::kSent:
      return "sent";
    case DeliveryStatus::kFailed:
      return "failed";
  }
  return "";
}

NoticeService::NoticeService(Ports ports, NoticeSettings settings, std::function<void()> wake)
    : ports_(std::move(ports)), settings_(settings), wake_(std::move(wake)) {
  if (ports_.metrics != nullptr) {
    deliveries_ = &ports_.metrics->AddCounter(
        "travio_notification_deliveries_total",
        "Attempts to deliver a notice's message, by channel and outcome (sent, failed, refused, "
        "deferred).",
        {"channel", "outcome"});
  }
}

absl::Status NoticeService::Validate(const Notice& notice) const {
  if (notice.key.empty() || notice.key.size() > kMaxKeyBytes ||
      std::any_of(notice.key.begin(), notice.key.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x21 || c == 0x7f; })) {
    return Refuse("key", "a key is 1 to 200 printable characters");
  }
  if (!ports_.writer.IsNoticeKind(notice.kind)) {
    return WithFieldErrors(Error(reasons::kUnknownTemplate, "No notice template of that kind."),
                           {{"kind", "unknown"}});
  }
  if (notice.email.empty() && notice.phone.empty()) {
    return Refuse("email", "a notice needs an email address or a phone number");
  }
  if (!notice.email.empty()) {
    if (absl::Status valid = ValidateAddress(notice.email); !valid.ok()) {
      return WithFieldErrors(valid, {{"email", std::string(ToStd(valid.message()))}});
    }
  }
  if (!notice.phone.empty()) TRAVIO_RETURN_IF_ERROR(ValidatePhone(notice.phone));
  if (notice.data.size() > kMaxDataBytes) return Refuse("data", "data is larger than 64 KiB");
  TRAVIO_RETURN_IF_ERROR(ValidateExtras("", notice.attachments));
  // What will be sent must render now: a notice that cannot be written is refused, not retried.
  TRAVIO_ASSIGN_OR_RETURN(RenderedMessage rendered,
                          ports_.writer.Write(notice.kind, notice.locale, notice.data));
  if (!notice.email.empty()) {
    TRAVIO_RETURN_IF_ERROR(
        ValidateRequest(notice.email, rendered.subject, rendered.text, notice.kind));
    TRAVIO_RETURN_IF_ERROR(ValidateExtras(rendered.html, notice.attachments));
  }
  if (!notice.phone.empty() && (rendered.sms.empty() || rendered.sms.size() > kMaxSmsBytes)) {
    return Refuse("phone", "the text message of this notice is empty or too long");
  }
  return absl::OkStatus();
}

absl::StatusOr<NoticeReceipt> NoticeService::Notify(const Notice& notice) {
  TRAVIO_RETURN_IF_ERROR(Validate(notice));
  const absl::Time now = ports_.clock.Now();
  std::vector<Delivery> deliveries;
  const auto delivery = [&](Channel channel, const std::string& recipient, std::string id) {
    return Delivery{.id = std::move(id),
                    .notice_key = notice.key,
                    .kind = notice.kind,
                    .locale = SupportedLocale(notice.locale),
                    .channel = channel,
                    .recipient = recipient,
                    .inbox = channel == Channel::kEmail ? InboxOf(recipient) : recipient,
                    .data = notice.data,
                    .org_id = notice.org_id,
                    .status = DeliveryStatus::kPending,
                    .attempts = 0,
                    .next_attempt_at = now,
                    .last_error = "",
                    .created_at = now,
                    .sent_at = std::nullopt,
                    .trace_id = trace::CurrentTraceId()};
  };
  if (!notice.email.empty()) {
    deliveries.push_back(delivery(Channel::kEmail, notice.email, ports_.email.NewMessageId()));
  }
  if (!notice.phone.empty()) {
    deliveries.push_back(delivery(Channel::kSms, notice.phone, ports_.ids.NewId()));
  }
  TRAVIO_ASSIGN_OR_RETURN(auto added, ports_.store.Add(notice.key, deliveries, notice.attachments));
  if (added.second) wake_();
  return NoticeReceipt{.message_ids = std::move(added.first), .duplicate = !added.second};
}

absl::StatusOr<int> NoticeService::DeliverDue(int limit) {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Delivery> due,
                          ports_.store.ClaimDue(now, settings_.lease, limit));
  int sent = 0;
  // A send starts only when it can end, at the transport's timeout, before the claim does (with
  // a margin for clocks): none is sent after another worker may have claimed it, however slow
  // the batch. What is left, however the batch ends, goes back at once.
  const absl::Time claimed_until = now + settings_.lease;
  const absl::Time start_sends_by = claimed_until - settings_.longest_send - kSendClockMargin;
  size_t next = 0;
  absl::Cleanup give_back = [&] {
    for (; next < due.size(); ++next) {
      if (absl::Status released = ports_.store.Release(due[next].id, claimed_until);
          !released.ok()) {
        ports_.logger.Warn("a claimed delivery was not given back; it waits for its lease",
                           {{"delivery_id", due[next].id}, {"error", released.ToString()}});
      }
    }
  };
  for (; next < due.size(); ++next) {
    if (ports_.clock.Now() > start_sends_by) break;
    Delivery& delivery = due[next];
    const trace::ResumeScope in_its_trace(delivery.trace_id);
    const int per_hour =
        delivery.channel == Channel::kEmail ? settings_.emails_per_hour : settings_.sms_per_hour;
    TRAVIO_ASSIGN_OR_RETURN(
        DeliveryStore::RecentSends recent,
        ports_.store.SentSince(delivery.channel, delivery.inbox, now - absl::Hours(1)));
    if (recent.count >= per_hour) {
      // Not an attempt: the recipient has had enough for this hour; the message waits until
      // the hour's first message leaves the window, so a flooded inbox is not looked at again
      // and again ahead of everyone else's messages.
      delivery.next_attempt_at = std::max(now + kDeferral, recent.first + absl::Hours(1));
      TRAVIO_RETURN_IF_ERROR(ports_.store.Record(
          delivery, {.delivery_id = delivery.id,
                     .attempt = delivery.attempts,
                     .at = now,
                     .outcome = "deferred",
                     .error = absl::StrCat(recent.count, " messages in the last hour")}));
      if (deliveries_ != nullptr) {
        deliveries_->WithLabels({std::string(ChannelName(delivery.channel)), "deferred"})
            .Increment();
      }
      continue;
    }
    const absl::Status result = Send(delivery, start_sends_by);
    if (IsNotStarted(result)) break;  // rendering and reading the attachments took the time
    if (result.ok()) ++sent;
    Finish(std::move(delivery), result, now);
  }
  return sent;
}

absl::Status NoticeService::Send(const Delivery& delivery, absl::Time start_by) {
  TRAVIO_ASSIGN_OR_RETURN(RenderedMessage rendered,
                          ports_.writer.Write(delivery.kind, delivery.locale, delivery.data));
  if (delivery.channel == Channel::kSms) {
    if (ports_.clock.Now() > start_by) return NotStarted();
    return ports_.sms.Send({.message_id = delivery.id,
                            .to = delivery.recipient,
                            .text = rendered.sms,
                            .date = ports_.clock.Now()});
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Attachment> attachments,
                          ports_.store.Attachments(delivery.notice_key));
  if (ports_.clock.Now() > start_by) return NotStarted();
  return ports_.email.Deliver({.from = {},
                               .to = delivery.recipient,
                               .subject = rendered.subject,
                               .text_body = rendered.text,
                               .html_body = rendered.html,
                               .attachments = std::move(attachments),
                               .message_id = delivery.id,
                               .date = {}},
                              delivery.kind);
}

void NoticeService::Finish(Delivery delivery, const absl::Status& sent, absl::Time now) {
  DeliveryAttempt attempt{.delivery_id = delivery.id,
                          .attempt = delivery.attempts + 1,
                          .at = now,
                          .outcome = "sent",
                          .error = ""};
  delivery.attempts += 1;
  if (sent.ok()) {
    delivery.status = DeliveryStatus::kSent;
    delivery.sent_at = now;
    delivery.last_error.clear();
  } else {
    attempt.error = std::string(ToStd(sent.message())).substr(0, 500);
    delivery.last_error = attempt.error;
    // A refusal for good (a bad address found late, a provider's 4xx) is not retried.
    const bool refused = sent.code() == absl::StatusCode::kInvalidArgument;
    if (refused || delivery.attempts >= settings_.max_attempts) {
      delivery.status = DeliveryStatus::kFailed;
      attempt.outcome = refused ? "refused" : "failed";
    } else {
      attempt.outcome = "failed";
      const absl::Duration wait = std::min(
          settings_.max_backoff, absl::Seconds(int64_t{1} << std::min(delivery.attempts, 20)));
      delivery.next_attempt_at = now + wait;
    }
    ports_.logger.Warn("a notice's message was not delivered",
                       {{"delivery_id", delivery.id},
                        {"channel", ChannelName(delivery.channel)},
                        {"kind", delivery.kind},
                        {"attempt", std::to_string(delivery.attempts)},
                        {"outcome", attempt.outcome},
                        {"error", attempt.error}});
  }
  if (deliveries_ != nullptr) {
    deliveries_->WithLabels({std::string(ChannelName(delivery.channel)), attempt.outcome})
        .Increment();
  }
  if (absl::Status recorded = ports_.store.Record(delivery, attempt); !recorded.ok()) {
    // The claim lapses and the delivery is tried again: at least once, as promised.
    ports_.logger.Error("a delivery attempt was not recorded",
                        {{"delivery_id", delivery.id}, {"error", recorded.ToString()}});
  }
}

}  // namespace travio::notification
