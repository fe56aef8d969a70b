#include "services/payment/module.h"

#include <sodium.h>

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/config/config.h"
#include "platform/crypto/encoding.h"
#include "platform/module/context.h"
#include "services/payment/app/payment_service.h"
#include "services/payment/providers/sandbox_provider.h"
#include "services/payment/rpc/payment_grpc_service.h"
#include "services/payment/storage/sql_payment_store.h"

namespace travio::payment {
namespace {

constexpr int64_t kSecondMs = 1000;

absl::Status DeclarePaymentConfig(config::Schema& schema) {
  TRAVIO_RETURN_IF_ERROR(
      schema.Add({"payment.sandbox_webhook_secret", config::KeyType::kString, "",
                  "The secret the sandbox provider signs its webhooks with (empty: a random one "
                  "per process, enough for one payment replica)",
                  true}));
  return schema.Add({"payment.reconcile_interval",
                     config::KeyType::kDuration,
                     "1h",
                     "How often the books are compared with the provider's settlement report "
                     "(each run covers the window since the previous one)",
                     false,
                     {},
                     kSecondMs,
                     7 * 24 * 3600 * kSecondMs});
}

class PaymentModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    auto module = std::unique_ptr<PaymentModule>(new PaymentModule(context));
    module->store_ = MakeSqlPaymentStore(*database, *outbox);
    std::string secret = context.config().String("payment.sandbox_webhook_secret");
    if (secret.empty()) {
      unsigned char random[32];
      randombytes_buf(random, sizeof(random));
      secret = crypto::HexEncode({reinterpret_cast<const char*>(random), sizeof(random)});
    }
    module->provider_ =
        MakeSandboxProvider(*database, context.clock(), context.ids(), std::move(secret));
    module->service_ = std::make_shared<PaymentService>(
        PaymentService::Ports{.store = *module->store_,
                              .provider = *module->provider_,
                              .clock = context.clock(),
                              .ids = context.ids(),
                              .logger = context.logger(),
                              .checkout = module->provider_.get()});
    module->grpc_ = std::make_unique<PaymentGrpcService>(module->service_);
    context.clients().Export<PaymentClient>("payment", module->service_);
    context.AddGrpcService(module->grpc_.get());
    module->reconciler_ =
        std::make_unique<PeriodicTask>(context.config().Duration("payment.reconcile_interval"),
                                       [raw = module.get()] { raw->Reconcile(); });
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    reconciled_until_ = clock_.Now();
    reconciler_->Start();
    return absl::OkStatus();
  }
  void Stop() override { reconciler_->Stop(); }

 private:
  explicit PaymentModule(module::Context& context)
      : clock_(context.clock()),
        logger_(context.logger()),
        mismatches_(context.metrics().AddCounter(
            "travio_payment_reconciliation_mismatches_total",
            "Differences found between the payment books and the provider's settlement report, "
            "by kind (missing_in_travio, missing_at_provider, amount_differs).",
            {"kind"})),
        runs_(context.metrics().AddCounter("travio_payment_reconciliation_runs_total",
                                           "Reconciliation runs, by outcome (clean, mismatches, "
                                           "failed).",
                                           {"outcome"})) {}

  // Compares the window since the last run; mismatches are logged for finance to follow up.
  void Reconcile() {
    const absl::Time until = clock_.Now();
    auto mismatches = service_->Reconcile(reconciled_until_, until);
    if (!mismatches.ok()) {
      runs_.WithLabels({"failed"}).Increment();
      logger_.Warn("reconciliation failed", {{"error", mismatches.status().ToString()}});
      return;
    }
    runs_.WithLabels({mismatches->empty() ? "clean" : "mismatches"}).Increment();
    for (const Mismatch& mismatch : *mismatches) {
      mismatches_.WithLabels({mismatch.kind}).Increment();
      logger_.Warn("payment books disagree with the provider",
                   {{"kind", mismatch.kind},
                    {"payment_id", mismatch.payment_id},
                    {"provider_reference", mismatch.provider_reference},
                    {"travio_amount", std::to_string(mismatch.travio_amount)},
                    {"provider_amount", std::to_string(mismatch.provider_amount)}});
    }
    reconciled_until_ = until;
  }

  const Clock& clock_;
  log::Logger logger_;
  absl::Time reconciled_until_;
  metrics::Family<metrics::Counter>& mismatches_;
  metrics::Family<metrics::Counter>& runs_;
  std::unique_ptr<PaymentStore> store_;
  std::unique_ptr<SandboxProvider> provider_;
  std::shared_ptr<PaymentService> service_;
  std::unique_ptr<PaymentGrpcService> grpc_;
  std::unique_ptr<PeriodicTask> reconciler_;
};

}  // namespace

absl::Status RegisterPaymentModule(module::Registry& registry) {
  return registry.Add({
      .name = "payment",
      .description = "payments, refunds and provider webhooks",
      .declare_config = DeclarePaymentConfig,
      .migrations = PaymentMigrations(),
      .factory = PaymentModule::Create,
  });
}

}  // namespace travio::payment
