// The travio command: one binary for every service and every topology.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "cmd/travio/demo_seed.h"
#include "cmd/travio/modules.h"
#include "platform/base/clock.h"
#include "platform/base/version.h"
#include "platform/config/config.h"
#include "platform/log/logger.h"
#include "platform/module/runtime.h"
#include "platform/rpc/library_lifetime.h"
#include "platform/rpc/tls.h"
#include "services/audit/audit_commands.h"
#include "services/fulfillment/keys_command.h"
#include "services/identity/keys_command.h"

extern char** environ;

namespace travio {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "travio: " << status.message() << "\n";
  return 1;
}

// The flags shared by every command that reads configuration.
struct ConfigFlags {
  std::vector<std::string> files;
  std::string target, data_dir, http_addr, grpc_addr;
  std::vector<std::string> settings;

  void AddTo(CLI::App& command, bool with_serve_flags) {
    command.add_option("--config", files, "YAML config file (repeatable; later files win)")
        ->check(CLI::ExistingFile);
    command.add_option("--target", target, "Modules to run: all, or a comma-separated list");
    command.add_option("--data-dir", data_dir, "Directory for SQLite files, keys and mail");
    if (with_serve_flags) {
      command.add_option("--http-addr", http_addr, "host:port for HTTP");
      command.add_option("--grpc-addr", grpc_addr, "host:port for gRPC (enables the gRPC server)");
    }
    command.add_option("--set", settings, "Set any config key: --set key=value (repeatable)");
  }

  absl::StatusOr<config::Config> Load(const config::Schema& schema) const {
    config::Sources sources;
    sources.files = files;
    for (char** entry = environ; *entry != nullptr; ++entry) sources.environment.push_back(*entry);
    for (const std::string& setting : settings) {
      const size_t eq = setting.find('=');
      if (eq == std::string::npos) {
        return absl::InvalidArgumentError("--set expects key=value, got \"" + setting + "\"");
      }
      sources.flags[setting.substr(0, eq)] = setting.substr(eq + 1);
    }
    if (!target.empty()) sources.flags["target"] = target;
    if (!data_dir.empty()) sources.flags["data_dir"] = data_dir;
    if (!http_addr.empty()) sources.flags["http.addr"] = http_addr;
    if (!grpc_addr.empty()) sources.flags["grpc.addr"] = grpc_addr;
    return config::Config::Load(schema, sources);
  }
};

log::Logger MakeLogger(const config::Config& config) {
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.String("log.level"), &level);
  return log::Logger::ToStderr(level);
}

int Serve(const module::Registry& registry, const config::Config& config) {
  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const log::Logger logger = MakeLogger(config);
  SystemClock clock;
  // Declared before the runtime, so gRPC goes down after every channel and server has.
  rpc::GrpcLibraryLifetime grpc_library;
  auto runtime = module::Runtime::Create(registry, config, logger, clock);
  if (!runtime.ok()) return Fail(runtime.status());
  if (auto status = (*runtime)->Start(); !status.ok()) {
    logger.Error("startup failed", {{"error", std::string(status.message())}});
    (*runtime)->Shutdown();
    return Fail(status);
  }
  int received = 0;
  sigwait(&stop_signals, &received);
  logger.Info("stopping", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
  (*runtime)->Shutdown();
  runtime->reset();
  if (!grpc_library.ShutDown()) {
    logger.Warn("gRPC was still shutting down when the wait for it ended; exiting anyway");
  }
  logger.Info("stopped");
  return 0;
}

int Seed(const module::Registry& registry, const config::Config& config) {
  const log::Logger logger = MakeLogger(config);
  SystemClock clock;
  rpc::GrpcLibraryLifetime grpc_library;
  auto runtime = module::Runtime::Create(registry, config, logger, clock);
  if (!runtime.ok()) return Fail(runtime.status());
  absl::Status status = (*runtime)->Start();
  if (status.ok()) {
    status = SeedDemo((*runtime)->clients(), config.String("data_dir"), clock, std::cout);
  }
  (*runtime)->Shutdown();
  if (!status.ok()) {
    std::cerr << "travio: the demo was not loaded completely; remove the data directory "
              << config.String("data_dir") << " and run the seed again\n";
    return Fail(status);
  }
  return 0;
}

int Main(int argc, char** argv) {
  module::Registry registry;
  if (auto status = RegisterAllModules(registry); !status.ok()) return Fail(status);
  config::Schema schema;
  if (auto status = module::DeclareCoreConfig(registry, schema); !status.ok()) return Fail(status);

  CLI::App app{"Travio: intercity bus ticketing. One binary, every service."};
  app.require_subcommand(1);

  ConfigFlags serve_flags;
  CLI::App* serve = app.add_subcommand("serve", "Run the selected modules (default: all)");
  serve_flags.AddTo(*serve, true);

  app.add_subcommand("targets",
                     "List every target with its dependencies and the services it calls");

  CLI::App* config_command = app.add_subcommand("config", "Inspect configuration");
  config_command->require_subcommand(1);
  ConfigFlags print_flags;
  CLI::App* print = config_command->add_subcommand(
      "print", "Print the effective configuration (secrets redacted) with each key's origin");
  print_flags.AddTo(*print, true);

  ConfigFlags migrate_flags;
  CLI::App* migrate = app.add_subcommand("migrate", "Apply the target modules' schema migrations");
  migrate_flags.AddTo(*migrate, false);

  CLI::App* certs = app.add_subcommand("certs", "Manage the services' mutual-TLS certificates");
  certs->require_subcommand(1);
  std::string certs_out;
  std::string certs_ca_dir;
  bool certs_force = false;
  std::vector<std::string> certs_services;
  CLI::App* certs_init = certs->add_subcommand(
      "init", "Create a CA and one certificate per service (service name in CN and SAN)");
  certs_init->add_option("--out", certs_out, "Directory services mount (no CA key)")->required();
  certs_init->add_option("--ca-dir", certs_ca_dir,
                         "Directory for the CA's key, kept apart (default: <out>-ca)");
  certs_init->add_flag("--force", certs_force, "Replace the CA and every certificate");
  CLI::App* certs_issue = certs->add_subcommand(
      "issue", "Issue (or renew) the certificates of named services from the CA");
  certs_issue->add_option("--out", certs_out, "Directory services mount")->required();
  certs_issue->add_option("--ca-dir", certs_ca_dir, "The CA's directory (default: <out>-ca)");
  certs_issue->add_option("services", certs_services, "Targets to issue for")->required();
  certs_issue->add_flag("--force", certs_force, "Replace the services' existing certificates");

  ConfigFlags keys_flags;
  CLI::App* keys =
      app.add_subcommand("keys",
                         "Manage the signing keys of access tokens, ticket codes or audit "
                         "checkpoints");
  keys->require_subcommand(1);
  std::string retire_kid;
  CLI::App* keys_list = keys->add_subcommand("list", "Show the published keys and the signer");
  CLI::App* keys_rotate =
      keys->add_subcommand("rotate", "Make a new signing key; the old ones stay published");
  CLI::App* keys_retire =
      keys->add_subcommand("retire", "Stop publishing a key that no longer signs");
  keys_retire->add_option("kid", retire_kid, "Key id (see travio keys list)")->required();
  std::string keys_service = "identity";
  for (CLI::App* command : {keys_list, keys_rotate, keys_retire}) {
    keys_flags.AddTo(*command, false);
    command
        ->add_option("--service", keys_service,
                     "Whose keys: identity (access tokens), fulfillment (ticket codes) or "
                     "audit (checkpoints)")
        ->check(CLI::IsMember({"identity", "fulfillment", "audit"}));
  }

  ConfigFlags audit_flags;
  CLI::App* audit = app.add_subcommand("audit", "Verify, export or trim an audit log (explicitly)");
  audit->require_subcommand(1);
  std::string audit_log;
  int64_t retain_before = 0;
  CLI::App* audit_export =
      audit->add_subcommand("export", "Write a log as JSON lines, then its anchor and head");
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "Recompute a log's chain and check its checkpoints, from the database");
  CLI::App* audit_retain = audit->add_subcommand(
      "retain", "Remove a log's entries before one (export them first); the rest still verify");
  audit_retain->add_option("--before-seq", retain_before, "The first entry to keep")
      ->required()
      ->check(CLI::PositiveNumber);
  for (CLI::App* command : {audit_export, audit_verify, audit_retain}) {
    audit_flags.AddTo(*command, false);
    command->add_option("--log", audit_log, "An organization id, or platform")->required();
  }

  ConfigFlags seed_flags;
  bool seed_demo = false;
  CLI::App* seed = app.add_subcommand(
      "seed", "Load data through the services' use cases (runs the monolith meanwhile)");
  seed->add_flag("--demo", seed_demo,
                 "The demo network: stations of Bangladesh, an operator, buses, routes, 30 days "
                 "of trips")
      ->required();
  seed_flags.AddTo(*seed, false);
  app.add_subcommand("version", "Print the version and commit");

  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("version")) {
    std::cout << "travio " << Version() << " (" << Commit() << ")\n";
    return 0;
  }
  if (app.got_subcommand("targets")) {
    for (const auto& [name, spec] : registry.specs()) {
      std::cout << name << "\t" << spec.description << "\n";
      const auto dependencies = registry.TransitiveDependencies(name);
      std::cout << "\tdepends on: "
                << (dependencies.empty() ? "-" : absl::StrJoin(dependencies, ", "))
                << "\n\tcalls: " << (spec.calls.empty() ? "-" : absl::StrJoin(spec.calls, ", "))
                << "\n\tbuilt: " << (spec.factory ? "yes" : "not yet (empty module)") << "\n";
    }
    std::cout << "all\tevery module above in one process (the monolith)\n";
    return 0;
  }
  if (certs_init->parsed() || certs_issue->parsed()) {
    // The CA's key never lands where services mount their certificates.
    const std::string out = std::filesystem::path(certs_out).lexically_normal().string();
    const std::string ca_dir =
        certs_ca_dir.empty() ? absl::StrCat(absl::StripSuffix(out, "/"), "-ca") : certs_ca_dir;
    const std::filesystem::path mounted = std::filesystem::weakly_canonical(out);
    const std::filesystem::path kept = std::filesystem::weakly_canonical(ca_dir);
    if (std::mismatch(mounted.begin(), mounted.end(), kept.begin(), kept.end()).first ==
        mounted.end()) {
      return Fail(absl::InvalidArgumentError(
          "--ca-dir must lie outside --out: services mount --out, and must not get the CA key"));
    }
    if (certs_init->parsed()) {
      std::vector<std::string> services;
      for (const auto& [name, spec] : registry.specs()) services.push_back(name);
      if (auto status = rpc::WriteDevelopmentCertificates(ca_dir, out, services, certs_force);
          !status.ok()) {
        return Fail(status);
      }
      std::cout << "wrote ca.pem and " << services.size() << " service certificates to " << out
                << "; the CA's key is in " << ca_dir << " (keep it off the services' machines)\n";
      return 0;
    }
    for (const std::string& service : certs_services) {
      if (!registry.specs().count(service)) {
        return Fail(absl::InvalidArgumentError(
            absl::StrCat("no target named ", service, "; `travio targets` lists them")));
      }
    }
    if (auto status = rpc::IssueServiceCertificates(ca_dir, out, certs_services, certs_force);
        !status.ok()) {
      return Fail(status);
    }
    std::cout << "issued " << absl::StrJoin(certs_services, ", ") << " into " << out
              << " from the CA in " << ca_dir << "\n";
    return 0;
  }
  if (print->parsed()) {
    auto config = print_flags.Load(schema);
    if (!config.ok()) return Fail(config.status());
    std::cout << config->Print();
    return 0;
  }
  for (CLI::App* command : {keys_list, keys_rotate, keys_retire}) {
    if (!command->parsed()) continue;
    auto config = keys_flags.Load(schema);
    if (!config.ok()) return Fail(config.status());
    absl::Status status;
    if (keys_service == "fulfillment") {
      status = fulfillment::RunKeysCommand(*config, command->get_name(), retire_kid, std::cout);
    } else if (keys_service == "audit") {
      status = audit::RunKeysCommand(*config, command->get_name(), retire_kid, std::cout);
    } else {
      status = identity::RunKeysCommand(*config, command->get_name(), retire_kid, std::cout);
    }
    if (!status.ok()) {
      return Fail(status);
    }
    return 0;
  }
  for (CLI::App* command : {audit_export, audit_verify, audit_retain}) {
    if (!command->parsed()) continue;
    auto config = audit_flags.Load(schema);
    if (!config.ok()) return Fail(config.status());
    const absl::Status status =
        module::WithModuleDatabase(registry, *config, "audit", [&](db::Database& database) {
          if (command == audit_export)
            return audit::RunExportCommand(database, audit_log, std::cout);
          if (command == audit_verify) {
            return audit::RunVerifyCommand(*config, database, audit_log, std::cout);
          }
          return audit::RunRetainCommand(*config, database, audit_log, retain_before, std::cout);
        });
    if (!status.ok()) return Fail(status);
    return 0;
  }
  if (seed->parsed()) {
    // Every module in this process, and no port anyone could reach while it runs.
    seed_flags.target = "all";
    seed_flags.settings.push_back("http.addr=127.0.0.1:0");
    seed_flags.settings.push_back("grpc.addr=");
    auto config = seed_flags.Load(schema);
    if (!config.ok()) return Fail(config.status());
    return Seed(registry, *config);
  }
  if (migrate->parsed()) {
    auto config = migrate_flags.Load(schema);
    if (!config.ok()) return Fail(config.status());
    if (auto status = module::MigrateOnly(registry, *config, MakeLogger(*config)); !status.ok()) {
      return Fail(status);
    }
    return 0;
  }
  auto config = serve_flags.Load(schema);
  if (!config.ok()) return Fail(config.status());
  return Serve(registry, *config);
}

}  // namespace
}  // namespace travio

int main(int argc, char** argv) { return travio::Main(argc, argv); }
