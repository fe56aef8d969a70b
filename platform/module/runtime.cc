#include "platform/module/runtime.h"

#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/support/server_interceptor.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"
#include "platform/base/version.h"
#include "platform/db/database.h"
#include "platform/events/bus.h"
#include "platform/events/outbox.h"
#include "platform/events/rabbitmq.h"
#include "platform/http/json.h"
#include "platform/http/problem.h"
#include "platform/http/server.h"
#include "platform/http/static_files.h"
#include "platform/kv/memory_store.h"
#include "platform/kv/redis_cluster_store.h"
#include "platform/kv/redis_store.h"
#include "platform/module/context.h"
#include "platform/module/production_settings.h"
#include "platform/rpc/call_observer.h"
#include "platform/rpc/call_policy.h"
#include "platform/rpc/caller_check.h"
#include "platform/rpc/channels.h"
#include "platform/rpc/server.h"
#include "platform/rpc/tls.h"

namespace travio::module {
namespace {

namespace fs = std::filesystem;

// Opens each module's database once, applying its migrations first.
class Storage {
 public:
  Storage(const config::Config& config) : config_(config) {}

  // Opens the shared PostgreSQL pool now (storage: postgres).
  absl::Status Connect() {
    std::lock_guard lock(mutex_);
    return OpenShared();
  }

  absl::StatusOr<db::Database*> For(const ModuleSpec& spec) {
    std::lock_guard lock(mutex_);
    if (auto it = opened_.find(spec.name); it != opened_.end()) return it->second;
    db::Database* database = nullptr;
    if (config_.String("storage") == "postgres") {
      TRAVIO_RETURN_IF_ERROR(OpenShared());
      database = shared_.get();
    } else {
      const fs::path directory = config_.String("data_dir");
      std::error_code ec;
      fs::create_directories(directory, ec);
      if (ec) {
        return absl::FailedPreconditionError(
            absl::StrCat("cannot create data directory ", directory.string(), ": ", ec.message()));
      }
      TRAVIO_ASSIGN_OR_RETURN(auto opened,
                              db::OpenSqlite({(directory / (spec.name + ".db")).string()}));
      database = opened.get();
      owned_.push_back(std::move(opened));
    }
    TRAVIO_RETURN_IF_ERROR(db::ApplyMigrations(*database, spec.name, spec.migrations));
    opened_[spec.name] = database;
    return database;
  }

 private:
  absl::Status OpenShared() {
    if (shared_) return absl::OkStatus();
    if (config_.String("postgres.dsn").empty()) {
      return absl::FailedPreconditionError(
          "storage is postgres but postgres.dsn is empty; set TRAVIO_POSTGRES_DSN");
    }
    TRAVIO_ASSIGN_OR_RETURN(
        shared_, db::OpenPostgres({config_.String("postgres.dsn"),
                                   static_cast<int>(config_.Int("postgres.pool_size"))}));
    return absl::OkStatus();
  }

  const config::Config& config_;
  std::mutex mutex_;
  std::unique_ptr<db::Database> shared_;
  std::vector<std::unique_ptr<db::Database>> owned_;
  std::map<std::string, db::Database*> opened_;
};

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" is not host:port"));
  }
  return std::make_pair(address.substr(0, colon), port);
}

class RuntimeImpl;

class ContextImpl final : public Context {
 public:
  ContextImpl(RuntimeImpl& runtime, const ModuleSpec& spec, Clients clients);

  const std::string& module_name() const override { return spec_.name; }
  const std::string& instance_id() const override;
  const config::Config& config() const override;
  const log::Logger& logger() const override { return logger_; }
  const Clock& clock() const override;
  const IdGenerator& ids() const override;
  metrics::Registry& metrics() override;
  http::Router& router() override;
  void AddGrpcService(grpc::Service* service) override;
  Clients& clients() override;
  absl::StatusOr<db::Database*> database() override;
  absl::StatusOr<kv::KeyValueStore*> hot_state() override;
  events::Bus& events() override;
  absl::StatusOr<events::Outbox*> outbox() override;

 private:
  RuntimeImpl& runtime_;
  const ModuleSpec& spec_;
  log::Logger logger_;
  Clients clients_;
};

// A module that is registered but not built yet.
class EmptyModule final : public Module {};

class RuntimeImpl final : public Runtime {
 public:
  RuntimeImpl(const config::Config& config, const log::Logger& logger, const Clock& clock,
              std::vector<const ModuleSpec*> specs, std::map<std::string, RemoteClient> remote)
      : config_(config),
        logger_(logger),
        clock_(clock),
        ids_(clock),
        instance_id_(ids_.NewId()),
        specs_(std::move(specs)),
        remote_(std::move(remote)),
        storage_(config) {}

  ~RuntimeImpl() override { Shutdown(); }

  absl::Status Start() override {
    TRAVIO_RETURN_IF_ERROR(CheckProductionSettings(config_, specs_));
    std::set<std::string> local;
    for (const ModuleSpec* spec : specs_) local.insert(spec->name);
    std::map<std::string, std::string> peers;
    for (const auto& [name, spec] : config_.schema().keys()) {
      if (name.rfind("peers.", 0) == 0) peers[name.substr(6)] = config_.String(name);
    }
    channels_ = std::make_unique<rpc::Channels>(
        TlsFiles(), peers, config_.Duration("grpc.tls_reload_interval"), &call_metrics_);
    // The process's own clients (the demo seed's) call as its first target; each module's
    // context calls as that module.
    clients_ = std::make_unique<Clients>(
        specs_.front()->name, local, remote_,
        [this](const std::string& caller, const std::string& service) {
          return channels_->To(caller, service);
        },
        [this](const std::string& service) { return CallPolicyFor(service); });
    AddOperationalRoutes();
    // A wrong DSN or Redis address must stop startup, not the first request that needs it.
    if (config_.String("hot_state") == "redis") TRAVIO_RETURN_IF_ERROR(hot_state().status());
    if (config_.String("events") == "rabbitmq") {
      TRAVIO_ASSIGN_OR_RETURN(rabbit_, RabbitOptionsFromConfig());
      broker_ = std::make_unique<events::RabbitPublisher>(rabbit_);
    }
    if (config_.String("storage") == "postgres") TRAVIO_RETURN_IF_ERROR(storage_.Connect());

    for (const ModuleSpec* spec : specs_) {
      // Migrations run before the module exists, so a half-migrated schema never serves.
      if (!spec->migrations.empty()) TRAVIO_RETURN_IF_ERROR(storage_.For(*spec).status());
      contexts_.push_back(std::make_unique<ContextImpl>(*this, *spec, clients_->As(spec->name)));
      std::unique_ptr<Module> module;
      if (spec->factory) {
        auto created = spec->factory(*contexts_.back());
        if (!created.ok()) {
          return absl::Status(created.status().code(), absl::StrCat("module ", spec->name, ": ",
                                                                    created.status().message()));
        }
        module = std::move(*created);
      } else {
        module = std::make_unique<EmptyModule>();
      }
      modules_.push_back(std::move(module));
    }
    for (size_t i = 0; i < modules_.size(); ++i) {
      logger_.Info("starting module", {{"module", specs_[i]->name}});
      if (auto status = modules_[i]->Start(); !status.ok()) {
        return absl::Status(status.code(),
                            absl::StrCat("module ", specs_[i]->name, ": ", status.message()));
      }
      started_ = i + 1;
    }
    // Queues are declared before any relay publishes, so no event of this process's own
    // consumers is routed nowhere.
    if (broker_ != nullptr) {
      for (const auto& [consumer, info] : bus_.Consumers()) {
        // The shared queue (one instance takes each event), this instance's own queue (every
        // instance gets each event), or both (events.h, Delivery).
        std::vector<std::string> queues;
        if (info.delivery != events::Delivery::kEveryInstance) queues.push_back("");
        if (info.delivery != events::Delivery::kOneInstance) queues.push_back(instance_id_);
        for (const std::string& instance : queues) {
          consumers_.push_back(std::make_unique<events::RabbitConsumer>(
              rabbit_, consumer, info.types,
              [this, name = consumer](const events::Event& event) {
                return bus_.Deliver(name, event);
              },
              logger_, instance));
          TRAVIO_RETURN_IF_ERROR(consumers_.back()->Start());
        }
      }
    }
    {
      std::lock_guard lock(mutex_);
      for (auto& relay : relays_) relay->Start();
      relays_started_ = true;
    }

    http::ServerOptions http_options;
    http_options.address = config_.String("http.addr");
    http_options.max_header_bytes = static_cast<size_t>(config_.Int("http.max_header_bytes"));
    http_options.max_body_bytes = static_cast<size_t>(config_.Int("http.max_body_bytes"));
    http_options.idle_timeout = config_.Duration("http.idle_timeout");
    http_options.request_timeout = config_.Duration("http.request_timeout");
    http_options.io_threads = static_cast<int>(config_.Int("http.io_threads"));
    http_options.worker_threads = static_cast<int>(config_.Int("http.worker_threads"));
    http_options.max_connections = static_cast<int>(config_.Int("http.max_connections"));
    http_options.max_connections_per_address =
        static_cast<int>(config_.Int("http.max_connections_per_address"));
    TRAVIO_ASSIGN_OR_RETURN(http_options.trusted_proxies,
                            http::TrustedProxies::Parse(config_.String("http.trusted_proxies")));
    TRAVIO_ASSIGN_OR_RETURN(http_,
                            http::Server::Start(http_options, router_, logger_, metrics_, ids_));
    if (!config_.String("http.admin_addr").empty()) {
      // Scrapers and probes only: a few connections, no proxies in front.
      http::ServerOptions admin_options;
      admin_options.address = config_.String("http.admin_addr");
      admin_options.io_threads = 1;
      admin_options.worker_threads = 1;
      admin_options.max_connections = 64;
      TRAVIO_ASSIGN_OR_RETURN(
          admin_http_,
          http::Server::Start(admin_options, admin_router_, logger_, admin_server_metrics_, ids_));
    }

    if (!config_.String("grpc.addr").empty()) {
      std::vector<std::string> names;
      for (const ModuleSpec* spec : specs_) names.push_back(spec->name);
      TRAVIO_ASSIGN_OR_RETURN(auto credentials,
                              rpc::MutualTlsServerCredentials(
                                  TlsFiles(), names, config_.Duration("grpc.tls_reload_interval")));
      credentials->SetAuthMetadataProcessor(CallerCheck());
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
      observers.push_back(rpc::ServerCallObserver(call_metrics_));
      TRAVIO_ASSIGN_OR_RETURN(
          grpc_, rpc::Server::Start(config_.String("grpc.addr"), std::move(credentials),
                                    grpc_services_, std::move(observers)));
    }
    ready_ = true;
    logger_.Info("travio serving", {{"http_port", http_->port()},
                                    {"admin_port", admin_http_ ? admin_http_->port() : 0},
                                    {"grpc_port", grpc_ ? grpc_->port() : 0},
                                    {"modules", static_cast<int64_t>(modules_.size())},
                                    {"instance_id", instance_id_},
                                    {"version", std::string(Version())}});
    return absl::OkStatus();
  }

  void Shutdown() override {
    if (shut_down_.exchange(true)) return;
    ready_ = false;
    const absl::Duration grace = config_.Duration("http.shutdown_grace");
    if (http_) {
      logger_.Info("draining HTTP", {{"grace_ms", absl::ToInt64Milliseconds(grace)}});
      http_->Shutdown(grace);
    }
    if (admin_http_) admin_http_->Shutdown(absl::ZeroDuration());
    if (grpc_) {
      logger_.Info("draining gRPC", {{"grace_ms", absl::ToInt64Milliseconds(grace)}});
      grpc_->Shutdown(grace);
    }
    // Stopped outside the lock: a relay's last pass runs consumers, which may open outboxes.
    std::vector<events::Relay*> relays;
    {
      std::lock_guard lock(mutex_);
      relays_started_ = false;  // an outbox opened from here on is never relayed
      for (auto& relay : relays_) relays.push_back(relay.get());
    }
    for (events::Relay* relay : relays) relay->Stop();
    for (auto& consumer : consumers_) consumer->Stop();
    for (size_t i = started_; i-- > 0;) {
      logger_.Info("stopping module", {{"module", specs_[i]->name}});
      modules_[i]->Stop();
      logger_.Info("stopped module", {{"module", specs_[i]->name}});
    }
    modules_.clear();
  }

  int http_port() const override { return http_ ? http_->port() : 0; }
  int grpc_port() const override { return grpc_ ? grpc_->port() : 0; }
  std::vector<std::string> modules() const override {
    std::vector<std::string> names;
    for (const ModuleSpec* spec : specs_) names.push_back(spec->name);
    return names;
  }

  // For contexts.
  const log::Logger& logger() const { return logger_; }
  const config::Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }

  // One breaker per upstream service, shared by every client of it in this process.
  rpc::CallPolicy CallPolicyFor(const std::string& service) {
    std::lock_guard lock(mutex_);
    auto& breaker = breakers_[service];
    if (breaker == nullptr) {
      static constexpr char kState[] = "travio_rpc_circuit_state";
      static constexpr char kRefused[] = "travio_rpc_circuit_refused_total";
      if (circuit_state_ == nullptr) {
        circuit_state_ = &metrics_.AddGauge(
            kState, "Circuit breaker per upstream service: 0 closed, 1 open, 2 half-open.",
            {"upstream"});
        circuit_refused_ = &metrics_.AddCounter(
            kRefused, "Calls refused at once because the upstream's circuit was open.",
            {"upstream"});
      }
      breaker = std::make_shared<rpc::CircuitBreaker>(
          rpc::BreakerSettings{
              .failure_rate =
                  static_cast<double>(config_.Int("grpc.breaker.failure_percent")) / 100.0,
              .minimum_calls = static_cast<int>(config_.Int("grpc.breaker.minimum_calls")),
              .window = config_.Duration("grpc.breaker.window"),
              .open_for = config_.Duration("grpc.breaker.open_for"),
              .half_open_calls = static_cast<int>(config_.Int("grpc.breaker.half_open_calls"))},
          clock_,
          rpc::BreakerInstruments{.state = &circuit_state_->WithLabels({service}),
                                  .refused = &circuit_refused_->WithLabels({service})});
    }
    return rpc::CallPolicy{.deadline = config_.Duration("grpc.deadline"),
                           .breaker = breaker,
                           .read_attempts = static_cast<int>(config_.Int("grpc.read_attempts"))};
  }
  const IdGenerator& ids() const { return ids_; }
  const std::string& instance_id() const { return instance_id_; }
  metrics::Registry& metrics() { return metrics_; }
  http::Router& router() { return router_; }
  Clients& clients() override { return *clients_; }
  events::Bus& bus() { return bus_; }
  void AddGrpcService(grpc::Service* service) { grpc_services_.push_back(service); }
  absl::StatusOr<db::Database*> database(const ModuleSpec& spec) { return storage_.For(spec); }

  absl::StatusOr<kv::KeyValueStore*> hot_state() {
    std::lock_guard lock(mutex_);
    if (hot_state_) return hot_state_.get();
    if (config_.String("hot_state") == "redis") {
      kv::RedisOptions options;
      options.password = config_.String("redis.password");
      options.pool_size = static_cast<int>(config_.Int("redis.pool_size"));
      options.client_name = "travio-" + instance_id_;
      if (config_.String("redis.mode") == "cluster") {
        kv::RedisClusterOptions cluster{.seeds = {}, .node = options, .max_redirects = 5};
        for (absl::string_view seed :
             absl::StrSplit(config_.String("redis.addr"), ',', absl::SkipWhitespace())) {
          TRAVIO_ASSIGN_OR_RETURN(auto address,
                                  SplitHostPort(std::string(absl::StripAsciiWhitespace(seed))));
          cluster.seeds.push_back(address);
        }
        TRAVIO_ASSIGN_OR_RETURN(hot_state_, kv::OpenRedisCluster(cluster));
      } else {
        TRAVIO_ASSIGN_OR_RETURN(auto address, SplitHostPort(config_.String("redis.addr")));
        options.host = address.first;
        options.port = address.second;
        TRAVIO_ASSIGN_OR_RETURN(hot_state_, kv::OpenRedis(options));
      }
    } else {
      hot_state_ = kv::MakeMemoryStore(clock_);
    }
    return hot_state_.get();
  }

  absl::StatusOr<events::RabbitOptions> RabbitOptionsFromConfig() const {
    TRAVIO_ASSIGN_OR_RETURN(auto address, SplitHostPort(config_.String("rabbitmq.addr")));
    events::RabbitOptions options;
    options.host = address.first;
    options.port = address.second;
    options.user = config_.String("rabbitmq.user");
    options.password = config_.String("rabbitmq.password");
    options.vhost = config_.String("rabbitmq.vhost");
    options.exchange = config_.String("rabbitmq.exchange");
    return options;
  }

  absl::StatusOr<events::Outbox*> outbox(const ModuleSpec& spec) {
    std::lock_guard lock(mutex_);
    if (auto it = outboxes_.find(spec.name); it != outboxes_.end()) return it->second.get();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, storage_.For(spec));
    auto outbox = std::make_unique<events::Outbox>(spec.name, *database);
    TRAVIO_RETURN_IF_ERROR(outbox->Migrate());
    events::Publisher& publisher =
        broker_ != nullptr ? static_cast<events::Publisher&>(*broker_) : bus_;
    if (outbox_lag_ == nullptr) {
      outbox_lag_ = &metrics_.AddGauge(
          "travio_outbox_oldest_pending_seconds",
          "Age of the oldest event in a module's outbox not yet published (0: none waits).",
          {"module"});
    }
    relays_.push_back(std::make_unique<events::Relay>(*outbox, publisher, clock_, logger_,
                                                      absl::Milliseconds(200),
                                                      &outbox_lag_->WithLabels({spec.name})));
    // An outbox opened after startup (lazily, by a request) is relayed from then on.
    if (relays_started_) relays_.back()->Start();
    return (outboxes_[spec.name] = std::move(outbox)).get();
  }

 private:
  // Least privilege between services: each call to this process's gRPC services must come from
  // a module its spec names as a caller of that method.
  std::shared_ptr<grpc::AuthMetadataProcessor> CallerCheck() {
    rpc::CallerPolicy policy;
    for (const ModuleSpec* spec : specs_) {
      for (const GrpcAccess& access : spec->grpc_access) {
        for (const auto& [caller, methods] : access.methods_by_caller) {
          for (const std::string& method : methods) policy.Allow(access.service, method, caller);
        }
      }
    }
    auto* refused = &metrics_
                         .AddCounter("travio_rpc_calls_refused_total",
                                     "gRPC calls refused because the caller may not make them "
                                     "(least privilege between services).")
                         .WithLabels({});
    return rpc::CallerCheck(std::move(policy), [this, refused](const absl::Status& status) {
      refused->Increment();
      logger_.Warn("refused a gRPC call", {{"error", std::string(status.message())}});
    });
  }

  rpc::TlsFiles TlsFiles() const {
    const std::string& configured = config_.String("grpc.tls_dir");
    return {configured.empty() ? fs::path(config_.String("data_dir")) / "certs"
                               : fs::path(configured)};
  }

  // Whether the process and each of its modules is ready.
  std::pair<bool, nlohmann::json> Readiness() const {
    nlohmann::json modules = nlohmann::json::object();
    bool all_ready = ready_.load();
    for (size_t i = 0; i < specs_.size(); ++i) {
      const bool module_ready = i < started_ && modules_.size() > i && modules_[i]->Ready();
      modules[specs_[i]->name] = module_ready ? "ready" : "not_ready";
      all_ready = all_ready && module_ready;
    }
    return {all_ready, std::move(modules)};
  }

  void AddOperationalRoutes() {
    const http::RouteOptions probe{.blocking = false, .access_log = false};
    // What tells about the process's insides (its metrics, which modules are ready) goes on the
    // admin listener when there is one, out of the public's reach. The public port keeps
    // /healthz and a /readyz that says ready or not and nothing more, for load balancers and
    // probes; its /metrics is a plain 404 (not the web app's page, which would look like a
    // success to whatever asks).
    const bool admin = !config_.String("http.admin_addr").empty();
    http::Router& inside = admin ? admin_router_ : router_;
    if (admin) {
      (void)router_.Add(
          "GET", "/readyz",
          [this](http::Request&) {
            const bool ready = Readiness().first;
            return http::Json(ready ? 200 : 503, {{"status", ready ? "ready" : "not_ready"}});
          },
          probe);
      (void)router_.Add(
          "GET", "/metrics",
          [](http::Request&) {
            return http::Problem(404, "not_found", "Not Found",
                                 "Metrics are served on the admin listener.");
          },
          probe);
    }
    (void)router_.Add(
        "GET", "/healthz",
        [](http::Request&) {
          return http::Json(200, {{"status", "ok"}});
        },
        probe);
    (void)inside.Add(
        "GET", "/readyz",
        [this](http::Request&) {
          auto [all_ready, modules] = Readiness();
          return http::Json(all_ready ? 200 : 503,
                            {{"status", all_ready ? "ready" : "not_ready"}, {"modules", modules}});
        },
        probe);
    (void)inside.Add(
        "GET", "/metrics",
        [this](http::Request&) {
          return http::Response::Text(200, metrics_.Render(), "text/plain; version=0.0.4");
        },
        probe);
    const std::string static_dir = config_.String("http.static_dir");
    if (!static_dir.empty() && fs::is_directory(static_dir)) {
      // The web apps are built into static_dir (web/dist): their pages are answered for every
      // path they draw, and may load nothing from anywhere but this origin.
      router_.SetFallback(
          http::StaticFiles(static_dir, {.app_fallback = true,
                                         .html_security_policy = http::kWebAppSecurityPolicy}),
          {.blocking = true, .access_log = false});
    }
  }

  const config::Config& config_;
  log::Logger logger_;
  const Clock& clock_;
  IdGenerator ids_;
  std::string instance_id_;
  std::vector<const ModuleSpec*> specs_;
  std::map<std::string, RemoteClient> remote_;
  Storage storage_;
  metrics::Registry metrics_;
  rpc::CallMetrics call_metrics_{metrics_};
  std::map<std::string, std::shared_ptr<rpc::CircuitBreaker>> breakers_;
  metrics::Family<metrics::Gauge>* circuit_state_ = nullptr;
  metrics::Family<metrics::Counter>* circuit_refused_ = nullptr;
  metrics::Family<metrics::Gauge>* outbox_lag_ = nullptr;
  http::Router router_;
  events::Bus bus_;
  std::unique_ptr<rpc::Channels> channels_;
  std::unique_ptr<Clients> clients_;
  std::vector<grpc::Service*> grpc_services_;
  std::vector<std::unique_ptr<ContextImpl>> contexts_;
  std::mutex mutex_;
  std::unique_ptr<kv::KeyValueStore> hot_state_;
  std::map<std::string, std::unique_ptr<events::Outbox>> outboxes_;
  std::vector<std::unique_ptr<events::Relay>> relays_;
  bool relays_started_ = false;
  // events: rabbitmq. Relays publish to the broker; each consumer of this process reads its
  // own durable queue.
  events::RabbitOptions rabbit_;
  std::unique_ptr<events::RabbitPublisher> broker_;
  std::vector<std::unique_ptr<events::RabbitConsumer>> consumers_;
  std::vector<std::unique_ptr<Module>> modules_;
  size_t started_ = 0;
  std::atomic<bool> ready_{false};
  std::atomic<bool> shut_down_{false};
  std::unique_ptr<http::Server> http_;
  http::Router admin_router_;  // /metrics and /readyz when http.admin_addr is set
  // The admin listener's own request counts: kept out of metrics_, whose HTTP families are the
  // public listener's (two servers on one registry would render each family twice).
  metrics::Registry admin_server_metrics_;
  std::unique_ptr<http::Server> admin_http_;
  std::unique_ptr<rpc::Server> grpc_;
};

ContextImpl::ContextImpl(RuntimeImpl& runtime, const ModuleSpec& spec, Clients clients)
    : runtime_(runtime),
      spec_(spec),
      logger_(runtime.logger().With({{"module", spec.name}})),
      clients_(std::move(clients)) {}

const std::string& ContextImpl::instance_id() const { return runtime_.instance_id(); }
const config::Config& ContextImpl::config() const { return runtime_.config(); }
const Clock& ContextImpl::clock() const { return runtime_.clock(); }
const IdGenerator& ContextImpl::ids() const { return runtime_.ids(); }
metrics::Registry& ContextImpl::metrics() { return runtime_.metrics(); }
http::Router& ContextImpl::router() { return runtime_.router(); }
void ContextImpl::AddGrpcService(grpc::Service* service) { runtime_.AddGrpcService(service); }
Clients& ContextImpl::clients() { return clients_; }
absl::StatusOr<db::Database*> ContextImpl::database() { return runtime_.database(spec_); }
absl::StatusOr<kv::KeyValueStore*> ContextImpl::hot_state() { return runtime_.hot_state(); }
events::Bus& ContextImpl::events() { return runtime_.bus(); }
absl::StatusOr<events::Outbox*> ContextImpl::outbox() { return runtime_.outbox(spec_); }

}  // namespace

absl::StatusOr<std::unique_ptr<Runtime>> Runtime::Create(const Registry& registry,
                                                         const config::Config& config,
                                                         const log::Logger& logger,
                                                         const Clock& clock) {
  TRAVIO_ASSIGN_OR_RETURN(auto specs, registry.Resolve(config.String("target")));
  std::map<std::string, RemoteClient> remote;
  for (const auto& [name, spec] : registry.specs()) {
    if (!spec.remote_client.empty()) remote[name] = spec.remote_client;
  }
  return std::make_unique<RuntimeImpl>(config, logger, clock, std::move(specs), std::move(remote));
}

absl::Status MigrateOnly(const Registry& registry, const config::Config& config,
                         const log::Logger& logger) {
  TRAVIO_ASSIGN_OR_RETURN(auto specs, registry.Resolve(config.String("target")));
  Storage storage(config);
  for (const ModuleSpec* spec : specs) {
    if (spec->migrations.empty()) continue;
    TRAVIO_RETURN_IF_ERROR(storage.For(*spec).status());
    logger.Info("migrated", {{"module", spec->name},
                             {"versions", static_cast<int64_t>(spec->migrations.size())}});
  }
  return absl::OkStatus();
}

absl::Status WithModuleDatabase(const Registry& registry, const config::Config& config,
                                std::string_view name,
                                const std::function<absl::Status(db::Database&)>& work) {
  const auto& specs = registry.specs();
  const auto it = specs.find(std::string(name));
  if (it == specs.end()) {
    return absl::NotFoundError(absl::StrCat("no module named ", ToAbsl(name)));
  }
  Storage storage(config);
  TRAVIO_ASSIGN_OR_RETURN(db::Database * database, storage.For(it->second));
  return work(*database);
}

}  // namespace travio::module
