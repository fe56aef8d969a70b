#include "services/subscription/module.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/events/outbox.h"
#include "platform/module/context.h"
#include "services/identity/api/identity_client.h"
#include "services/notification/api/notification_client.h"
#include "services/subscription/app/identity_owner_directory.h"
#include "services/subscription/app/owner_mail.h"
#include "services/subscription/app/subscription_service.h"
#include "services/subscription/app/usage_events.h"
#include "services/subscription/render/pdf_invoice_renderer.h"
#include "services/subscription/rpc/subscription_grpc_service.h"
#include "services/subscription/storage/sql_subscription_store.h"

namespace travio::subscription {
namespace {

constexpr int64_t kSecondMs = 1000;
constexpr int kSweepBatch = 200;

// The plans on sale. Configuration has no lists, so the plans are a fixed set of names whose
// prices and limits each deployment sets.
struct PlanDefaults {
  const char* name;
  int64_t monthly_price;
  int64_t booking_fee;
  int64_t limits[5];  // in kQuotas' order; 0 unlimited
};
constexpr PlanDefaults kPlans[] = {
    {"starter", 250'000, 500, {10, 10, 25, 1'000, 10'000}},
    {"growth", 990'000, 300, {50, 50, 150, 6'000, 60'000}},
    {"enterprise", 4'990'000, 200, {0, 0, 0, 0, 0}},
};

std::string PlanKey(std::string_view plan, std::string_view field) {
  return absl::StrCat("subscription.plans.", ToAbsl(plan), ".", ToAbsl(field));
}

absl::Status DeclareSubscriptionConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  std::vector<std::string> plan_names;
  for (const PlanDefaults& plan : kPlans) plan_names.emplace_back(plan.name);
  std::vector<KeySpec> keys = {
      {.name = "subscription.currency",
       .type = KeyType::kString,
       .default_value = "BDT",
       .description = "Currency of every plan's price and booking fee (ISO 4217)"},
      {.name = "subscription.default_plan",
       .type = KeyType::kString,
       .default_value = "starter",
       .description = "The plan a new organization starts on, in its trial",
       .allowed = plan_names},
      {.name = "subscription.trial_days",
       .type = KeyType::kInt,
       .default_value = "14",
       .description = "Days a new organization's plan is free (0: no trial)",
       .min = 0,
       .max = 365},
      {.name = "subscription.invoice_issuer",
       .type = KeyType::kString,
       .default_value = "Travio",
       .description = "Who issues the invoices, as their PDF and mail say"},
      {.name = "subscription.owner_locale",
       .type = KeyType::kString,
       .default_value = "en",
       .description = "The language of the mail owners get about their plan and invoices",
       .allowed = {"en", "bn"}},
      {.name = "subscription.billing_time_zone",
       .type = KeyType::kString,
       .default_value = "Asia/Dhaka",
       .description = "IANA time zone whose calendar months are the billing periods"},
      {.name = "subscription.test_period",
       .type = KeyType::kDuration,
       .default_value = "0s",
       .description = "Billing periods of this length instead of calendar months, for tests "
                      "(0s: months)",
       .min = 0,
       .max = 366LL * 24 * 3600 * kSecondMs},
      {.name = "subscription.close_interval",
       .type = KeyType::kDuration,
       .default_value = "1m",
       .description = "How often the period job looks for ended periods to invoice",
       .min = 100,
       .max = 24 * 3600 * kSecondMs},
      {.name = "subscription.test_crash_at",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Test hook: kill the process at this point (subscription:invoice-written); "
                      "empty in production",
       .allowed = {"", "subscription:invoice-written"}},
      {.name = "subscription.reservation_ttl",
       .type = KeyType::kDuration,
       .default_value = "1h",
       .description = "How long a quota reservation waits for its resource's event before it "
                      "is given back (longer than events may stall, or a stall lets usage slip "
                      "past limits until they resume)",
       .min = kSecondMs,
       .max = 24 * 3600 * kSecondMs},
  };
  const std::pair<const char*, const char*> fields[] = {
      {"monthly_price", "price a month, in minor units"},
      {"booking_fee", "fee per booking, in minor units"},
  };
  for (const PlanDefaults& plan : kPlans) {
    const int64_t money[] = {plan.monthly_price, plan.booking_fee};
    for (size_t i = 0; i < 2; ++i) {
      keys.push_back({.name = PlanKey(plan.name, fields[i].first),
                      .type = KeyType::kInt,
                      .default_value = std::to_string(money[i]),
                      .description = absl::StrCat("The ", plan.name, " plan's ", fields[i].second),
                      .min = 0,
                      .max = 1'000'000'000'000});
    }
    for (size_t i = 0; i < std::size(kQuotas); ++i) {
      keys.push_back({.name = PlanKey(plan.name, QuotaName(kQuotas[i])),
                      .type = KeyType::kInt,
                      .default_value = std::to_string(plan.limits[i]),
                      .description = absl::StrCat("The ", plan.name, " plan's limit of ",
                                                  ToAbsl(QuotaName(kQuotas[i])), " (0: unlimited)"),
                      .min = 0,
                      .max = 1'000'000'000});
    }
  }
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

absl::StatusOr<SubscriptionSettings> SettingsFrom(const config::Config& config) {
  SubscriptionSettings settings;
  const std::string currency = config.String("subscription.currency");
  for (const PlanDefaults& defaults : kPlans) {
    Plan plan{.name = defaults.name,
              .monthly_price = {config.Int(PlanKey(defaults.name, "monthly_price")), currency},
              .booking_fee = config.Int(PlanKey(defaults.name, "booking_fee"))};
    for (Quota quota : kQuotas) {
      plan.quotas[quota] = config.Int(PlanKey(defaults.name, QuotaName(quota)));
    }
    settings.plans.push_back(std::move(plan));
  }
  settings.default_plan = config.String("subscription.default_plan");
  settings.trial = absl::Hours(24) * config.Int("subscription.trial_days");
  const std::string zone = config.String("subscription.billing_time_zone");
  if (!absl::LoadTimeZone(zone, &settings.billing_zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("subscription.billing_time_zone: no time zone named ", ToAbsl(zone)));
  }
  settings.fixed_period = config.Duration("subscription.test_period");
  settings.reservation_ttl = config.Duration("subscription.reservation_ttl");
  TRAVIO_ASSIGN_OR_RETURN(settings.crash_point,
                          CrashPoint::Configured("subscription.test_crash_at",
                                                 config.String("subscription.test_crash_at")));
  settings.invoice_issuer = config.String("subscription.invoice_issuer");
  return settings;
}

class SubscriptionModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(SubscriptionSettings settings, SettingsFrom(context.config()));
    if (settings.crash_point.armed()) {
      context.logger().Warn("the invoice crash test hook is armed",
                            {{"at", settings.crash_point.point()}});
    }
    TRAVIO_ASSIGN_OR_RETURN(auto identity, context.clients().Bind<identity::IdentityClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto notifications,
                            context.clients().Bind<notification::NotificationClient>());
    OwnerMailSettings mail_settings{
        .locale = context.config().String("subscription.owner_locale"),
        .time_zone = context.config().String("subscription.billing_time_zone"),
        .plans = settings.plans};
    auto module = std::unique_ptr<SubscriptionModule>(new SubscriptionModule());
    module->notifications_ = std::move(notifications);
    module->owners_ = OwnersFromIdentity(std::move(identity));
    module->renderer_ = MakePdfInvoiceRenderer();
    module->inbox_ = std::make_unique<events::Inbox>("subscription", *database);
    TRAVIO_RETURN_IF_ERROR(module->inbox_->Migrate());
    module->store_ = MakeSqlSubscriptionStore(*database, *module->inbox_, *outbox);
    const absl::Duration ttl = settings.reservation_ttl;
    TRAVIO_ASSIGN_OR_RETURN(module->service_,
                            SubscriptionService::Create({.store = *module->store_,
                                                         .clock = context.clock(),
                                                         .ids = context.ids(),
                                                         .logger = context.logger(),
                                                         .metrics = &context.metrics(),
                                                         .directory = module->owners_.get(),
                                                         .renderer = module->renderer_.get()},
                                                        std::move(settings)));
    module->owner_mail_ = std::make_shared<OwnerMail>(
        *module->owners_, *module->notifications_,
        [service = module->service_](const std::string& org_id,
                                     const std::string& invoice_id) -> absl::StatusOr<InvoiceMail> {
          TRAVIO_ASSIGN_OR_RETURN(InvoiceView invoice, service->GetInvoice(org_id, invoice_id));
          TRAVIO_ASSIGN_OR_RETURN(InvoiceDocument pdf, service->GetInvoicePdf(org_id, invoice_id));
          return InvoiceMail{.invoice = std::move(invoice), .pdf = std::move(pdf)};
        },
        context.clock(), context.logger(), std::move(mail_settings));
    FollowEvents(context.events(), module->service_);
    MailOwners(context.events(), module->owner_mail_);
    module->grpc_ = std::make_unique<SubscriptionGrpcService>(module->service_);
    context.clients().Export<SubscriptionClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    // Reservations are looked at a few times per their time to live, so one whose caller died
    // is given back a little after its deadline; downgrades due at a period's end go with them.
    module->sweeper_ = std::make_unique<PeriodicTask>(
        std::clamp(ttl / 4, absl::Seconds(1), absl::Seconds(30)),
        [service = module->service_, logger = context.logger()] {
          for (const absl::Status& status :
               {service->ReleaseExpiredReservations(kSweepBatch).status(),
                service->ApplyDueDowngrades(kSweepBatch).status()}) {
            if (!status.ok()) {
              logger.Warn("subscription sweep failed", {{"error", status.ToString()}});
            }
          }
        });
    module->closer_ = std::make_unique<PeriodicTask>(
        context.config().Duration("subscription.close_interval"),
        [service = module->service_, logger = context.logger()] {
          if (auto issued = service->CloseDuePeriods(kSweepBatch); !issued.ok()) {
            logger.Warn("closing billing periods failed", {{"error", issued.status().ToString()}});
          }
        });
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    sweeper_->Start();
    closer_->Start();
    return absl::OkStatus();
  }
  void Stop() override {
    closer_->Stop();
    sweeper_->Stop();
  }

 private:
  SubscriptionModule() = default;

  std::shared_ptr<notification::NotificationClient> notifications_;
  std::unique_ptr<OwnerDirectory> owners_;
  std::unique_ptr<InvoiceRenderer> renderer_;
  std::shared_ptr<OwnerMail> owner_mail_;
  std::unique_ptr<events::Inbox> inbox_;
  std::unique_ptr<SubscriptionStore> store_;
  std::shared_ptr<SubscriptionService> service_;
  std::unique_ptr<SubscriptionGrpcService> grpc_;
  std::unique_ptr<PeriodicTask> sweeper_;
  std::unique_ptr<PeriodicTask> closer_;
};

}  // namespace

absl::Status RegisterSubscriptionModule(module::Registry& registry) {
  return registry.Add({
      .name = "subscription",
      .description = "plans, quotas and invoices of operator organizations",
      .calls = {"identity", "notification"},
      .declare_config = DeclareSubscriptionConfig,
      .migrations = SubscriptionMigrations(),
      .remote_client = module::RemoteClientOf<SubscriptionClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.subscription.v1.SubscriptionService",
                       .methods_by_caller =
                           {
                               {"catalog", {"Reserve", "Release"}},
                               {"gateway",
                                {"ListPlans", "GetSubscription", "ChangePlan", "ListInvoices",
                                 "GetInvoice", "GetInvoicePdf"}},
                               {"operator", {"Reserve", "Release"}},
                               {"order", {"Reserve", "Release"}},
                           }}},
      .factory = SubscriptionModule::Create,
  });
}

}  // namespace travio::subscription
