#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notification/domain/email.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::notification {

/// One outgoing email. Bodies are UTF-8 text; `kind` names the template family ("org_invite")
/// for logs and metrics, never the content. With `fields`, the subject, text and HTML come from
/// `kind`'s template in `locale` (templates/) and `subject`/`text_body` must be empty.
struct EmailMessage {
  std::string to;  // one address
  std::string subject;
  std::string text_body;
  std::string kind;
  std::string locale;                         // "en" (default) or "bn"
  std::map<std::string, std::string> fields;  // the template's values
};

/// A message to a traveller from a template, by email (with attachments) and by SMS when a phone
/// is given, delivered at least once and never twice for one `key`: stored, then sent with
/// retries and a record of every attempt, within the recipient's rate limits.
struct Notice {
  std::string key;     // the same key is the same notice ("tickets/<order>/<generation>")
  std::string kind;    // the template: tickets_issued, tickets_cancelled, trip_cancelled, ...
  std::string locale;  // "en" or "bn"
  std::string email;   // may be empty when phone is not
  std::string phone;   // E.164 ("+8801711000000"), may be empty
  std::string data;    // a JSON object for the template
  std::vector<Attachment> attachments;
  std::string org_id;  // whose traveller, for logs
};

/// What Notify did: one message per channel, or the earlier ones for a key seen before.
struct NoticeReceipt {
  std::vector<std::string> message_ids;
  bool duplicate = false;
};

/// What other services may ask of notification. In-process in the monolith, gRPC otherwise.
class NotificationClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "notification";
  /// The client of a remote notification service, over a gRPC channel (mutual TLS, from the
  /// runtime), every call under `policy` (deadline, circuit breaker, retried reads)
  /// (api/grpc_*_client.cc).
  static std::shared_ptr<NotificationClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                      const rpc::CallPolicy& policy);

  virtual ~NotificationClient() = default;
  /// Delivers (or durably writes) the message; returns its id (Message-ID without brackets).
  /// Errors: kInvalidArgument for a bad address or header injection, kUnavailable when the
  /// transport failed (the caller may retry).
  virtual absl::StatusOr<std::string> SendEmail(const EmailMessage& message) = 0;
  /// Takes a notice for delivery; returns once it is stored. kInvalidArgument for a notice that
  /// can never be sent (no recipient, unknown template, bad address or phone, data that does not
  /// render); kUnavailable when it could not be stored (the caller retries with the same key).
  virtual absl::StatusOr<NoticeReceipt> Notify(const Notice& notice) = 0;
};

}  // namespace travio::notification
