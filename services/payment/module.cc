#include "services/payment/module.h"

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/config/config.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "platform/crypto/key_files.h"
#include "platform/module/context.h"
#include "services/payment/app/payment_service.h"
#include "services/payment/app/reconciler.h"
#include "services/payment/providers/sandbox_provider.h"
#include "services/payment/rpc/payment_grpc_service.h"
#include "services/payment/storage/sql_payment_store.h"

namespace travio::payment {
namespace {

constexpr int64_t kSecondMs = 1000;

absl::Status DeclarePaymentConfig(config::Schema& schema) {
  TRAVIO_RETURN_IF_ERROR(schema.Add(
      {.name = "payment.sandbox_webhook_secret",
       .type = config::KeyType::kString,
       .default_value = "",
       .description =
           "The secret the sandbox provider signs its webhooks with (empty: a random one "
           "per process, enough for one payment replica)",
       .secret = true}));
  TRAVIO_RETURN_IF_ERROR(schema.Add(
      {.name = "payment.keys_dir",
       .type = config::KeyType::kString,
       .default_value = "",
       .description = "Directory of the key cards are fingerprinted with, generated when missing "
                      "(empty: <data_dir>/keys/payment); replicas of payment must share it"}));
  TRAVIO_RETURN_IF_ERROR(schema.Add(
      {.name = "payment.reconcile_settle",
       .type = config::KeyType::kDuration,
       .default_value = "5m",
       .description = "How long after a window ends it is reconciled, and how far either side "
                      "of it a charge's other record is looked for (the provider records a "
                      "capture moments before Travio does; a capture in flight is no mismatch)",
       .min = 0,
       .max = 24 * 3600 * kSecondMs}));
  return schema.Add({.name = "payment.reconcile_interval",
                     .type = config::KeyType::kDuration,
                     .default_value = "1h",
                     .description =
                         "How often the books are compared with the provider's settlement report "
                         "(each run covers the window since the previous one)",
                     .min = kSecondMs,
                     .max = 7 * 24 * 3600 * kSecondMs});
}

class PaymentModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    auto module = std::unique_ptr<PaymentModule>(new PaymentModule());
    std::filesystem::path keys_dir = context.config().String("payment.keys_dir");
    if (keys_dir.empty()) {
      keys_dir = std::filesystem::path(context.config().String("data_dir")) / "keys" / "payment";
    }
    TRAVIO_RETURN_IF_ERROR(crypto::EnsurePrivateDirectory(keys_dir));
    TRAVIO_ASSIGN_OR_RETURN(std::string fingerprint_key,
                            crypto::LoadOrCreateSecretKey(keys_dir / "cards.key", 32));
    module->fingerprints_ = std::make_unique<CardFingerprints>(std::move(fingerprint_key));
    module->store_ = MakeSqlPaymentStore(*database, *outbox);
    std::string secret = context.config().String("payment.sandbox_webhook_secret");
    if (secret.empty()) secret = crypto::HexEncode(crypto::RandomBytes(32));
    module->provider_ =
        MakeSandboxProvider(*database, context.clock(), context.ids(), std::move(secret));
    module->service_ = std::make_shared<PaymentService>(
        PaymentService::Ports{.store = *module->store_,
                              .provider = *module->provider_,
                              .clock = context.clock(),
                              .ids = context.ids(),
                              .logger = context.logger(),
                              .checkout = module->provider_.get(),
                              .fingerprints = module->fingerprints_.get()});
    module->reconciler_ = std::make_unique<Reconciler>(
        *module->service_, context.clock(), context.logger(), context.metrics(),
        context.config().Duration("payment.reconcile_settle"));
    module->grpc_ = std::make_unique<PaymentGrpcService>(module->service_);
    context.clients().Export<PaymentClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    module->reconciliation_ = std::make_unique<PeriodicTask>(
        context.config().Duration("payment.reconcile_interval"),
        [reconciler = module->reconciler_.get()] { reconciler->Run(); });
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    reconciler_->Start();
    reconciliation_->Start();
    return absl::OkStatus();
  }
  void Stop() override { reconciliation_->Stop(); }

 private:
  PaymentModule() = default;

  std::unique_ptr<CardFingerprints> fingerprints_;
  std::unique_ptr<PaymentStore> store_;
  std::unique_ptr<SandboxProvider> provider_;
  std::shared_ptr<PaymentService> service_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<PaymentGrpcService> grpc_;
  std::unique_ptr<PeriodicTask> reconciliation_;
};

}  // namespace

absl::Status RegisterPaymentModule(module::Registry& registry) {
  return registry.Add({
      .name = "payment",
      .description = "payments, refunds and provider webhooks",
      .declare_config = DeclarePaymentConfig,
      .migrations = PaymentMigrations(),
      .remote_client = module::RemoteClientOf<PaymentClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.payment.v1.PaymentService",
                       .methods_by_caller =
                           {
                               {"gateway",
                                {"PayOutRefund", "MismatchesOfOrg", "HandleWebhook", "GetCheckout",
                                 "CompleteCheckout"}},
                               {"order",
                                {"Authorize", "Capture", "Void", "Refund", "GetPayment",
                                 "PaymentsOfOrder", "RefundsOfOrder"}},
                           }}},
      .production_check =
          [](const config::Config&) {
            // The only provider built yet: it takes no money and accepts test cards.
            return std::vector<std::string>{
                "payments go to the sandbox provider, which takes no money (the only provider "
                "built yet): a production deployment needs a real payment provider"};
          },
      .factory = PaymentModule::Create,
  });
}

}  // namespace travio::payment
