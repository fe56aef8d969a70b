#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::notification {

/// One outgoing email. Bodies are UTF-8 text; `kind` names the template family ("org_invite")
/// for logs and metrics, never the content.
struct EmailMessage {
  std::string to;  // one address
  std::string subject;
  std::string text_body;
  std::string kind;
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
};

}  // namespace travio::notification
