#include "services/notification/module.h"

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/notification/app/email_sender.h"
#include "services/notification/config.h"
#include "services/notification/rpc/notification_grpc_service.h"
#include "services/notification/transport/file_transport.h"
#include "services/notification/transport/smtp_transport.h"

namespace travio::notification {
namespace {

class NotificationModule final : public module::Module {
 public:
  NotificationModule(module::Context& context, std::shared_ptr<EmailSender> sender)
      : sender_(std::move(sender)), grpc_(sender_) {
    context.clients().Export<NotificationClient>(sender_);
    context.AddGrpcService(&grpc_);
  }

 private:
  std::shared_ptr<EmailSender> sender_;
  NotificationGrpcService grpc_;
};

absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
  TRAVIO_ASSIGN_OR_RETURN(Settings settings, ReadSettings(context.config()));
  std::shared_ptr<EmailTransport> transport;
  if (settings.transport == "smtp") {
    TRAVIO_ASSIGN_OR_RETURN(transport, MakeSmtpTransport(settings.smtp));
  } else {
    transport = MakeFileTransport(settings.mail_dir);
  }
  context.logger().Info(
      "email transport",
      {{"transport", transport->name()},
       {"target", settings.transport == "smtp" ? settings.smtp.url : settings.mail_dir}});
  auto sender =
      std::make_shared<EmailSender>(std::move(settings.from), std::move(transport), context.clock(),
                                    context.ids(), context.logger(), context.metrics());
  return std::make_unique<NotificationModule>(context, std::move(sender));
}

}  // namespace

absl::Status RegisterNotificationModule(module::Registry& registry) {
  return registry.Add({
      .name = "notification",
      .description = "email and SMS delivery",
      .declare_config = DeclareNotificationConfig,
      .factory = Create,
  });
}

}  // namespace travio::notification
