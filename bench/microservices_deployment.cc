// The microservices deployment for a benchmark: throwaway PostgreSQL, Redis, RabbitMQ and S3
// servers on loopback (as the test harness starts them), then one `travio serve --target=X`
// process per service over gRPC with mutual TLS, exactly as the end-to-end suite runs it
// (tests/e2e/deployments.h). Once every process is ready it prints
//
//   url http://127.0.0.1:PORT         where the gateway answers
//   pid SERVICE PID                   one line per service, to read their CPU time
//   server NAME PORT                  where PostgreSQL, Redis, RabbitMQ and S3 listen
//
// and keeps running until SIGINT or SIGTERM, then stops the processes and the servers.
// bench/microservices.sh drives it.
//
//   travio_microservices_deployment
//
// Every BENCH_TRAVIO_X=V in its environment reaches the processes as TRAVIO_X=V (their
// configuration: `BENCH_TRAVIO_HTTP_WORKER_THREADS=64`), for experiments without a rebuild.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "tests/e2e/deployments.h"

int main() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // Blocked before any process or thread starts, so that every thread inherits the mask and
  // sigwait below is the only receiver.
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::map<std::string, std::string> environment = {
      {"TRAVIO_LOG_LEVEL", "warn"},
      // Every load-generator client comes from 127.0.0.1.
      {"TRAVIO_GATEWAY_CLIENT_LIMITS", "off"},
      {"TRAVIO_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0"},
      {"TRAVIO_CATALOG_STATION_REGISTRARS", "*"},
      // A load is not a plan's business.
      {"TRAVIO_SUBSCRIPTION_DEFAULT_PLAN", "enterprise"},
  };
  const std::string prefix = "BENCH_TRAVIO_";
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    const size_t equals = variable.find('=');
    if (variable.rfind(prefix, 0) != 0 || equals == std::string::npos) continue;
    environment[variable.substr(6, equals - 6)] = variable.substr(equals + 1);
  }
  travio::e2e::Microservices deployment(std::move(environment), travio::e2e::PrintBadExit);
  if (absl::Status started = deployment.Start(); !started.ok()) {
    std::fprintf(stderr, "the deployment did not start: %s\n%s\n",
                 std::string(started.message()).c_str(), deployment.Logs().c_str());
    return 1;
  }
  std::printf("url %s\n", deployment.base_url().c_str());
  for (const auto& [service, pid] : deployment.ProcessIds()) {
    std::printf("pid %s %d\n", service.c_str(), static_cast<int>(pid));
  }
  const auto& servers = travio::testing::SharedTestServers();
  const std::string& dsn = servers.postgres_dsn;
  // postgresql://postgres@127.0.0.1:PORT/postgres
  const size_t port_at = dsn.rfind(':');
  if (port_at != std::string::npos) {
    std::printf("server postgres %d\n", std::atoi(dsn.c_str() + port_at + 1));
  }
  std::printf("server redis %d\nserver rabbitmq %d\nserver s3 %d\n", servers.redis_port,
              servers.rabbitmq_port, servers.s3_port);
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  return 0;
}
