#include "services/notification/module.h"

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/db/database.h"
#include "platform/module/context.h"
#include "services/notification/app/email_sender.h"
#include "services/notification/app/notices.h"
#include "services/notification/config.h"
#include "services/notification/rpc/notification_grpc_service.h"
#include "services/notification/storage/sql_delivery_store.h"
#include "services/notification/transport/file_transport.h"
#include "services/notification/transport/sms_providers.h"
#include "services/notification/transport/smtp_transport.h"
#include "services/notification/writing/templates.h"

namespace travio::notification {
namespace {

class NotificationModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(Settings settings, ReadSettings(context.config()));
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    auto module = std::unique_ptr<NotificationModule>(new NotificationModule());
    std::shared_ptr<EmailTransport> transport;
    if (settings.transport == "smtp") {
      TRAVIO_ASSIGN_OR_RETURN(transport, MakeSmtpTransport(settings.smtp));
    } else {
      transport = MakeFileTransport(settings.mail_dir);
    }
    if (settings.sms_provider == "webhook") {
      TRAVIO_ASSIGN_OR_RETURN(module->sms_,
                              MakeWebhookSmsProvider(settings.webhook, context.clock()));
    } else {
      module->sms_ = MakeFileSmsProvider(settings.sms_dir);
    }
    context.logger().Info(
        "message transports",
        {{"email", transport->name()},
         {"email_target", settings.transport == "smtp" ? settings.smtp.url : settings.mail_dir},
         {"sms", module->sms_->name()},
         {"sms_target",
          settings.sms_provider == "webhook" ? settings.webhook.url : settings.sms_dir}});
    module->writer_ = MakeTemplateWriter();
    module->email_ = std::make_shared<EmailSender>(std::move(settings.from), std::move(transport),
                                                   *module->writer_, context.clock(), context.ids(),
                                                   context.logger(), context.metrics());
    module->store_ = MakeSqlDeliveryStore(*database);
    // The sender's thread: made before the service so a notice can wake it.
    module->sender_ = std::make_unique<PeriodicTask>(settings.poll_interval,
                                                     [raw = module.get()] { raw->DeliverDue(); });
    module->notices_ = std::make_shared<NoticeService>(
        NoticeService::Ports{.store = *module->store_,
                             .writer = *module->writer_,
                             .email = *module->email_,
                             .sms = *module->sms_,
                             .clock = context.clock(),
                             .ids = context.ids(),
                             .logger = context.logger(),
                             .metrics = &context.metrics()},
        settings.notices, [sender = module->sender_.get()] { sender->Wake(); });
    module->logger_ = context.logger();
    module->grpc_ = std::make_unique<NotificationGrpcService>(module->notices_);
    context.clients().Export<NotificationClient>(module->notices_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    sender_->Start();
    sender_->Wake();  // what was due while the process was down
    return absl::OkStatus();
  }
  void Stop() override { sender_->Stop(); }

 private:
  NotificationModule() = default;

  void DeliverDue() {
    // Keeps going while there is work, so a burst of notices does not wait for the timer.
    for (int round = 0; round < 64; ++round) {
      absl::StatusOr<int> sent = notices_->DeliverDue();
      if (!sent.ok()) {
        logger_.Warn("the notification sender failed", {{"error", sent.status().ToString()}});
        return;
      }
      if (*sent == 0) return;
    }
  }

  std::unique_ptr<MessageWriter> writer_;
  std::shared_ptr<EmailSender> email_;
  std::unique_ptr<SmsProvider> sms_;
  std::unique_ptr<DeliveryStore> store_;
  std::unique_ptr<PeriodicTask> sender_;
  std::shared_ptr<NoticeService> notices_;
  std::unique_ptr<NotificationGrpcService> grpc_;
  log::Logger logger_ = log::Logger::ToStderr(log::Level::kInfo);
};

}  // namespace

absl::Status RegisterNotificationModule(module::Registry& registry) {
  return registry.Add({
      .name = "notification",
      .description = "email and SMS delivery from templates",
      .declare_config = DeclareNotificationConfig,
      .migrations = NotificationMigrations(),
      .remote_client = module::RemoteClientOf<NotificationClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.notification.v1.NotificationService",
                       .methods_by_caller =
                           {
                               {"fulfillment", {"Notify"}},
                               {"identity", {"SendEmail"}},
                               {"subscription", {"Notify"}},
                           }}},
      .production_check = DevelopmentOnlySettings,
      .factory = NotificationModule::Create,
  });
}

}  // namespace travio::notification
