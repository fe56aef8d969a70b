#include "services/fulfillment/module.h"

#include <atomic>
#include <filesystem>

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/db/database.h"
#include "platform/events/outbox.h"
#include "platform/module/context.h"
#include "services/fulfillment/app/fulfillment_service.h"
#include "services/fulfillment/app/order_events.h"
#include "services/fulfillment/app/service_booking_facts.h"
#include "services/fulfillment/render/pdf_ticket_renderer.h"
#include "services/fulfillment/render/side_by_side_limit.h"
#include "services/fulfillment/rpc/fulfillment_grpc_service.h"
#include "services/fulfillment/storage/files/file_document_storage.h"
#include "services/fulfillment/storage/keys/file_ticket_keys.h"
#include "services/fulfillment/storage/s3/s3_document_storage.h"
#include "services/fulfillment/storage/sql/sql_ticket_store.h"

namespace travio::fulfillment {
namespace {

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kHourMs = 3600 * kSecondMs;

absl::Status DeclareFulfillmentConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "fulfillment.public_url",
       .type = KeyType::kString,
       .default_value = "http://localhost:8080",
       .description = "Base URL of the gateway, for the PDF links in answers and emails"},
      {.name = "fulfillment.link_ttl",
       .type = KeyType::kDuration,
       .default_value = "168h",
       .description = "How long a PDF link works without a bearer",
       .min = kHourMs,
       .max = 90 * 24 * kHourMs},
      {.name = "fulfillment.poll_interval",
       .type = KeyType::kDuration,
       .default_value = "1s",
       .description = "How often the worker looks for orders to fulfill (an order event wakes it "
                      "at once)",
       .min = 10,
       .max = 60 * kSecondMs},
      {.name = "fulfillment.workers",
       .type = KeyType::kInt,
       .default_value = "2",
       .description = "Orders whose tickets this process renders side by side (rendering is "
                      "CPU-bound: about one per core)",
       .min = 1,
       .max = 32},
      {.name = "fulfillment.lease",
       .type = KeyType::kDuration,
       .default_value = "1m",
       .description = "How long a worker holds an order it fulfills; a process that died "
                      "holding one lets another take it after this",
       .min = 500,
       .max = 3600 * kSecondMs},
      {.name = "fulfillment.max_backoff",
       .type = KeyType::kDuration,
       .default_value = "10m",
       .description = "Longest wait between two attempts of an order whose tickets failed",
       .min = kSecondMs,
       .max = 24 * kHourMs},
      {.name = "fulfillment.max_attempts",
       .type = KeyType::kInt,
       .default_value = "50",
       .description = "Attempts of an order whose tickets keep failing before it is left "
                      "failed for a person to look at (the order's next change tries again)",
       .min = 1,
       .max = 1000},
      {.name = "fulfillment.boarding_opens",
       .type = KeyType::kDuration,
       .default_value = "3h",
       .description = "How long before the scheduled departure a scan made offline counts as "
                      "a boarding (an offline device's claimed time outside this is refused)",
       .min = 0,
       .max = 7 * 24 * kHourMs},
      {.name = "fulfillment.storage",
       .type = KeyType::kString,
       .default_value = "files",
       .description = "Where ticket PDFs are kept: files (under fulfillment.documents_dir) or s3",
       .allowed = {"files", "s3"}},
      {.name = "fulfillment.documents_dir",
       .type = KeyType::kString,
       .default_value = "",
       .description =
           "Directory of ticket PDFs when storage is files (empty: <data_dir>/documents)"},
      {.name = "fulfillment.keys_dir",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Directory of the ticket-code signing keys and the link key, generated when "
                      "missing (empty: <data_dir>/keys/fulfillment)"},
      {.name = "fulfillment.s3.endpoint",
       .type = KeyType::kString,
       .default_value = "",
       .description = "S3 endpoint URL (path-style requests): https://s3.example.com or "
                      "http://127.0.0.1:9000"},
      {.name = "fulfillment.s3.bucket",
       .type = KeyType::kString,
       .default_value = "travio-tickets",
       .description = "S3 bucket of ticket PDFs"},
      {.name = "fulfillment.s3.region",
       .type = KeyType::kString,
       .default_value = "us-east-1",
       .description = "S3 region (part of every request's signature)"},
      {.name = "fulfillment.s3.access_key",
       .type = KeyType::kString,
       .default_value = "",
       .description = "S3 access key id"},
      {.name = "fulfillment.s3.secret_key",
       .type = KeyType::kString,
       .default_value = "",
       .description = "S3 secret access key",
       .secret = true},
      {.name = "fulfillment.test_crash_at",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Test hook: rendered kills the process after a PDF is stored, before it is "
                      "recorded; recorded, after it is recorded, before the traveller is told "
                      "(crash tests only)",
       .allowed = {"", "rendered", "recorded"}},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

class FulfillmentModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    const config::Config& config = context.config();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(auto orders, context.clients().Bind<order::OrderClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto catalog, context.clients().Bind<catalog::CatalogClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto identity, context.clients().Bind<identity::IdentityClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto fleet, context.clients().Bind<fleet::OperatorClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto notifications,
                            context.clients().Bind<notification::NotificationClient>());
    auto module = std::unique_ptr<FulfillmentModule>(new FulfillmentModule());
    module->notifications_ = std::move(notifications);
    module->inbox_ = std::make_unique<events::Inbox>("fulfillment", *database);
    TRAVIO_RETURN_IF_ERROR(module->inbox_->Migrate());
    module->store_ = MakeSqlTicketStore(*database, *module->inbox_, *outbox);
    const std::filesystem::path data_dir = config.String("data_dir");
    if (config.String("fulfillment.storage") == "s3") {
      TRAVIO_ASSIGN_OR_RETURN(
          module->documents_,
          MakeS3DocumentStorage({.endpoint = config.String("fulfillment.s3.endpoint"),
                                 .bucket = config.String("fulfillment.s3.bucket"),
                                 .region = config.String("fulfillment.s3.region"),
                                 .access_key = config.String("fulfillment.s3.access_key"),
                                 .secret_key = config.String("fulfillment.s3.secret_key")},
                                context.clock()));
    } else {
      std::filesystem::path dir = config.String("fulfillment.documents_dir");
      if (dir.empty()) dir = data_dir / "documents";
      module->documents_ = MakeFileDocumentStorage(dir);
    }
    std::filesystem::path keys_dir = config.String("fulfillment.keys_dir");
    if (keys_dir.empty()) keys_dir = data_dir / "keys" / "fulfillment";
    TRAVIO_ASSIGN_OR_RETURN(module->keys_, LoadOrCreateTicketKeys(keys_dir));
    // The workers and the per-ticket downloads share as many renderings at once as there are
    // workers.
    module->renderer_ = LimitSideBySide(MakePdfTicketRenderer(),
                                        static_cast<int>(config.Int("fulfillment.workers")));
    module->facts_ = MakeServiceBookingFacts(std::move(orders), std::move(catalog),
                                             std::move(identity), std::move(fleet));
    const std::string crash_at = config.String("fulfillment.test_crash_at");
    TRAVIO_ASSIGN_OR_RETURN(CrashPoint crash_point,
                            CrashPoint::Configured("fulfillment.test_crash_at", crash_at));
    if (!crash_at.empty()) {
      context.logger().Warn("the fulfillment crash test hook is armed", {{"at", crash_at}});
    }
    module->service_ = std::make_shared<FulfillmentService>(
        FulfillmentService::Ports{.store = *module->store_,
                                  .documents = *module->documents_,
                                  .renderer = *module->renderer_,
                                  .keys = *module->keys_,
                                  .facts = *module->facts_,
                                  .notifications = *module->notifications_,
                                  .clock = context.clock(),
                                  .ids = context.ids(),
                                  .logger = context.logger(),
                                  .metrics = &context.metrics()},
        FulfillmentSettings{
            .public_url = config.String("fulfillment.public_url"),
            .link_ttl = config.Duration("fulfillment.link_ttl"),
            .lease = config.Duration("fulfillment.lease"),
            .max_backoff = config.Duration("fulfillment.max_backoff"),
            .max_attempts = static_cast<int>(config.Int("fulfillment.max_attempts")),
            .boarding_opens = config.Duration("fulfillment.boarding_opens"),
            .crash_point = crash_point});
    // Each worker claims one order at a time (the lease starts when its work does), so a burst
    // is shared between them rather than taken whole by the first to wake.
    const int workers = static_cast<int>(config.Int("fulfillment.workers"));
    for (int i = 0; i < workers; ++i) {
      module->workers_.push_back(std::make_unique<PeriodicTask>(
          config.Duration("fulfillment.poll_interval"),
          [service = module->service_, logger = context.logger(), stopping = &module->stopping_] {
            // Keeps going while there is work, so a burst of orders does not wait for the timer.
            for (int round = 0; round < 256 && !stopping->load(); ++round) {
              absl::StatusOr<int> done = service->FulfillDue(/*limit=*/1);
              if (!done.ok()) {
                logger.Warn("the fulfillment worker failed", {{"error", done.status().ToString()}});
                return;
              }
              if (*done == 0) return;
            }
          }));
    }
    FollowOrders(context.events(), module->service_, [module = module.get()] { module->Wake(); });
    module->grpc_ = std::make_unique<FulfillmentGrpcService>(module->service_);
    context.clients().Export<FulfillmentClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    context.logger().Info("ticket storage", {{"storage", std::string(module->documents_->name())}});
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    for (auto& worker : workers_) worker->Start();
    Wake();  // orders confirmed while the process was down
    return absl::OkStatus();
  }
  void Stop() override {
    // Every worker hears it before any is waited for: each finishes the order in its hands.
    stopping_ = true;
    for (auto& worker : workers_) worker->Stop();
  }

 private:
  FulfillmentModule() = default;

  void Wake() {
    for (auto& worker : workers_) worker->Wake();
  }

  std::unique_ptr<events::Inbox> inbox_;
  std::unique_ptr<TicketStore> store_;
  std::unique_ptr<DocumentStorage> documents_;
  std::unique_ptr<TicketKeys> keys_;
  std::unique_ptr<TicketRenderer> renderer_;
  std::unique_ptr<BookingFacts> facts_;
  std::shared_ptr<notification::NotificationClient> notifications_;
  std::shared_ptr<FulfillmentService> service_;
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<PeriodicTask>> workers_;
  std::unique_ptr<FulfillmentGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterFulfillmentModule(module::Registry& registry) {
  return registry.Add({
      .name = "fulfillment",
      .description = "e-tickets with signed QR codes, their PDFs, boarding scans",
      .calls = {"order", "catalog", "operator", "identity", "notification"},
      .declare_config = DeclareFulfillmentConfig,
      .migrations = FulfillmentMigrations(),
      .remote_client = module::RemoteClientOf<FulfillmentClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.fulfillment.v1.FulfillmentService",
                       .methods_by_caller =
                           {
                               {"gateway",
                                {"TicketsOfOrder", "GetTicket", "OrderPdf", "TicketPdf",
                                 "CheckLink", "Board", "Pack", "VerificationKeys"}},
                           }}},
      .factory = FulfillmentModule::Create,
  });
}

}  // namespace travio::fulfillment
