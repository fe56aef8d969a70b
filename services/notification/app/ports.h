#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notification/domain/email.h"

namespace travio::notification {

/// One rendered message and its envelope, as a transport receives it.
struct OutgoingMessage {
  /// Message-ID without angle brackets.
  std::string message_id;
  absl::Time date;
  /// Envelope sender and recipient (SMTP MAIL FROM and RCPT TO): bare addresses.
  std::string envelope_from;
  std::string envelope_to;
  /// The whole RFC 5322 message, CRLF line endings.
  std::string data;
};

/// Where email goes: a directory of .eml files or an SMTP server. Implementations are
/// thread-safe.
class EmailTransport {
 public:
  virtual ~EmailTransport() = default;
  /// "file" or "smtp", for logs and metrics.
  virtual std::string_view name() const = 0;
  /// Delivers the message or durably writes it. kUnavailable (reason email_transport_failed)
  /// when that failed; the message may be sent again.
  virtual absl::Status Deliver(const OutgoingMessage& message) = 0;
};

/// A message worded from a template: the parts its kind has (others empty).
struct RenderedMessage {
  std::string subject;  // one line
  std::string text;     // the plain-text email body
  std::string html;     // its HTML alternative
  std::string sms;      // one text message
};

/// Words messages: the template of `kind` in `locale` ("en", "bn"; others read as "en") filled
/// with `data`, a JSON object as the sender wrote it. Implemented by writing/ (mstch templates
/// compiled into the binary).
class MessageWriter {
 public:
  virtual ~MessageWriter() = default;
  /// Whether notices may be of `kind` (invites are sent, never stored as notices).
  virtual bool IsNoticeKind(std::string_view kind) const = 0;
  /// kInvalidArgument `unknown_template` for a kind without templates, `invalid_notice` for
  /// data that does not make the message.
  virtual absl::StatusOr<RenderedMessage> Write(std::string_view kind, std::string_view locale,
                                                std::string_view data) const = 0;
  /// The same with flat text fields (an invite's).
  virtual absl::StatusOr<RenderedMessage> WriteFields(
      std::string_view kind, std::string_view locale,
      const std::map<std::string, std::string>& fields) const = 0;
};

/// One text message as a provider receives it.
struct SmsMessage {
  std::string message_id;
  std::string to;  // E.164
  std::string text;
  absl::Time date;
};

/// Where text messages go: a directory of files (the default), or a provider's HTTP webhook.
/// Implementations are thread-safe.
class SmsProvider {
 public:
  virtual ~SmsProvider() = default;
  /// "file" or "webhook", for logs and metrics.
  virtual std::string_view name() const = 0;
  /// Delivers the message or durably writes it. kUnavailable (sms_transport_failed) when that
  /// failed and a retry may succeed; kInvalidArgument when the provider refused the message for
  /// good (a retry would fail the same way).
  virtual absl::Status Send(const SmsMessage& message) = 0;
};

enum class Channel { kEmail, kSms };
std::string_view ChannelName(Channel channel);

/// pending -> sent; pending -> failed (refused for good, or out of attempts).
enum class DeliveryStatus { kPending, kSent, kFailed };
std::string_view DeliveryStatusName(DeliveryStatus status);

/// One message of a notice on one channel, as stored until it is sent.
struct Delivery {
  std::string id;          // the message id (the email's Message-ID without brackets)
  std::string notice_key;  // the notice it belongs to
  std::string kind;
  std::string locale;
  Channel channel = Channel::kEmail;
  std::string recipient;
  std::string inbox;  // who the recipient is, for the hourly limit (InboxOf, or the phone)
  std::string data;   // the template data, JSON; cleared once the delivery is done
  std::string org_id;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  absl::Time next_attempt_at;
  std::string last_error;
  absl::Time created_at;
  std::optional<absl::Time> sent_at;
  // The trace of the work that asked for the notice: each attempt goes on in it.
  std::string trace_id;
};

/// One try at sending a delivery.
struct DeliveryAttempt {
  std::string delivery_id;
  int attempt = 0;
  absl::Time at;
  std::string outcome;  // sent, failed, refused, deferred
  std::string error;
};

/// Notification's durable state (SQL): notices' deliveries with their attachments, and every
/// attempt.
class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;
  /// Stores the deliveries of the notice `key` and its attachments, once: returns the ids of the
  /// deliveries stored by an earlier call with the same key (and false), or of these (and true).
  virtual absl::StatusOr<std::pair<std::vector<std::string>, bool>> Add(
      const std::string& key, const std::vector<Delivery>& deliveries,
      const std::vector<Attachment>& attachments) = 0;
  /// Claims up to `limit` pending deliveries due at `now` until `now + lease`.
  virtual absl::StatusOr<std::vector<Delivery>> ClaimDue(absl::Time now, absl::Duration lease,
                                                         int limit) = 0;
  /// Gives a claim (until `claimed_until`) back unused, for another worker to take at once;
  /// nothing when the claim is no longer that one.
  virtual absl::Status Release(const std::string& delivery_id, absl::Time claimed_until) = 0;
  virtual absl::StatusOr<std::vector<Attachment>> Attachments(const std::string& notice_key) = 0;
  /// Records an attempt and the delivery's state after it (sent, failed, or pending again at
  /// `next_attempt_at`), in one transaction.
  virtual absl::Status Record(const Delivery& after, const DeliveryAttempt& attempt) = 0;
  /// How many messages went to `inbox` on `channel` since `since`, and when the first of them.
  struct RecentSends {
    int count = 0;
    absl::Time first;  // when count > 0
  };
  virtual absl::StatusOr<RecentSends> SentSince(Channel channel, const std::string& inbox,
                                                absl::Time since) = 0;
  /// The deliveries of a notice and their attempts, oldest first.
  virtual absl::StatusOr<std::vector<std::pair<Delivery, std::vector<DeliveryAttempt>>>> History(
      const std::string& notice_key) = 0;
};

}  // namespace travio::notification
