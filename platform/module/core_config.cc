// The config keys of the runtime itself (what runs, where its servers listen, which storage and
// hot state it uses), then each registered module's own.
#include <string>
#include <vector>

#include "platform/base/status_macros.h"
#include "platform/config/schema.h"
#include "platform/module/runtime.h"

namespace travio::module {
namespace {

using config::KeySpec;
using config::KeyType;

absl::Status Declare(config::Schema& schema, std::vector<KeySpec> keys) {
  for (auto& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(std::move(key)));
  return absl::OkStatus();
}

}  // namespace

absl::Status DeclareCoreConfig(const Registry& registry, config::Schema& schema) {
  TRAVIO_RETURN_IF_ERROR(Declare(
      schema,
      {
          {.name = "target",
           .type = KeyType::kString,
           .default_value = "all",
           .description =
               "Modules this process runs: all, or a comma-separated list of targets (see travio "
               "targets)"},
          {.name = "development",
           .type = KeyType::kBool,
           .default_value = "false",
           .description =
               "A development set-up: lets a process of a distributed deployment (serving or "
               "calling gRPC) start with well-known passwords, the sandbox payment provider and "
               "email that does not leave the machine encrypted. Never in production"},
          {.name = "data_dir",
           .type = KeyType::kString,
           .default_value = "var",
           .description =
               "Directory for SQLite files, generated keys, certificates and outgoing mail"},
          {.name = "http.addr",
           .type = KeyType::kString,
           .default_value = "127.0.0.1:8080",
           .description = "host:port the HTTP server listens on"},
          {.name = "http.max_header_bytes",
           .type = KeyType::kInt,
           .default_value = "16384",
           .description = "Largest request line plus headers accepted (431 beyond)",
           .min = 1024,
           .max = 1048576},
          {.name = "http.max_body_bytes",
           .type = KeyType::kInt,
           .default_value = "1048576",
           .description = "Largest request body accepted (413 beyond)",
           .min = 1024,
           .max = 1073741824},
          {.name = "http.idle_timeout",
           .type = KeyType::kDuration,
           .default_value = "60s",
           .description =
               "How long a keep-alive connection may wait for its next request, and the longest "
               "headers may take",
           .min = 100,
           .max = 3600000},
          {.name = "http.request_timeout",
           .type = KeyType::kDuration,
           .default_value = "30s",
           .description = "How long reading a request body or writing a response may take",
           .min = 100,
           .max = 3600000},
          {.name = "http.io_threads",
           .type = KeyType::kInt,
           .default_value = "2",
           .description = "Threads doing HTTP network I/O",
           .min = 1,
           .max = 64},
          {.name = "http.worker_threads",
           .type = KeyType::kInt,
           .default_value = "16",
           .description = "Threads running request handlers that may block",
           .min = 1,
           .max = 1024},
          {.name = "http.max_connections",
           .type = KeyType::kInt,
           .default_value = "10000",
           .description = "Open connections at most; one more is answered 503 and closed",
           .min = 1,
           .max = 1000000},
          {.name = "http.max_connections_per_address",
           .type = KeyType::kInt,
           .default_value = "500",
           .description = "Open connections one client address (IPv6: its /64) may have; one "
                          "more is answered 429 and closed. Trusted proxies are not counted. "
                          "0: no cap",
           .min = 0,
           .max = 1000000},
          {.name = "http.trusted_proxies",
           .type = KeyType::kString,
           .default_value = "",
           .description =
               "Comma-separated addresses and CIDR networks of proxies whose "
               "X-Forwarded-For names the client (empty: the socket peer is the client)"},
          {.name = "http.shutdown_grace",
           .type = KeyType::kDuration,
           .default_value = "10s",
           .description = "How long requests in flight may take to finish on shutdown",
           .min = 0,
           .max = 600000},
          {.name = "http.admin_addr",
           .type = KeyType::kString,
           .default_value = "",
           .description = "host:port of a second listener for /metrics and /readyz, which the "
                          "main one then no longer answers (empty: both on http.addr)"},
          {.name = "http.static_dir",
           .type = KeyType::kString,
           .default_value = "web/dist",
           .description = "Directory of the built web apps (make build), served for unmatched "
                          "GET requests (empty: none)"},
          {.name = "grpc.addr",
           .type = KeyType::kString,
           .default_value = "",
           .description = "host:port to serve this process's services over gRPC with mutual TLS "
                          "(empty: no gRPC "
                          "server)"},
          {.name = "grpc.tls_dir",
           .type = KeyType::kString,
           .default_value = "",
           .description =
               "Directory with ca.pem and <service>.pem/.key from travio certs init (empty: "
               "<data_dir>/certs)"},
          {.name = "grpc.tls_reload_interval",
           .type = KeyType::kDuration,
           .default_value = "60s",
           .description = "How often certificate files are read again, so a renewed certificate "
                          "or CA takes effect without a restart (0: read once at start). A "
                          "process serving several targets reads its server certificates once",
           .min = 0,
           .max = 86400000},
          {.name = "grpc.deadline",
           .type = KeyType::kDuration,
           .default_value = "5s",
           .description = "Deadline of every call to another process",
           .min = 10,
           .max = 600000},
          {.name = "grpc.read_attempts",
           .type = KeyType::kInt,
           .default_value = "3",
           .description =
               "Tries of a read whose peer could not be reached (25 ms, then 100 ms apart)",
           .min = 1,
           .max = 5},
          {.name = "grpc.breaker.failure_percent",
           .type = KeyType::kInt,
           .default_value = "50",
           .description = "Share of failed calls to a service, in percent, that opens its circuit",
           .min = 1,
           .max = 100},
          {.name = "grpc.breaker.minimum_calls",
           .type = KeyType::kInt,
           .default_value = "10",
           .description = "Calls in the window before its failure share counts",
           .min = 1,
           .max = 100000},
          {.name = "grpc.breaker.window",
           .type = KeyType::kDuration,
           .default_value = "10s",
           .description = "The sliding window of call outcomes, in whole seconds",
           .min = 1000,
           .max = 600000},
          {.name = "grpc.breaker.open_for",
           .type = KeyType::kDuration,
           .default_value = "5s",
           .description = "How long an open circuit answers 503 at once before probing",
           .min = 100,
           .max = 600000},
          {.name = "grpc.breaker.half_open_calls",
           .type = KeyType::kInt,
           .default_value = "3",
           .description = "Probe calls let through by a half-open circuit",
           .min = 1,
           .max = 1000},
          {.name = "storage",
           .type = KeyType::kString,
           .default_value = "sqlite",
           .description = "Durable storage: sqlite (files under data_dir) or postgres",
           .allowed = {"sqlite", "postgres"}},
          {.name = "postgres.dsn",
           .type = KeyType::kString,
           .default_value = "",
           .description = "libpq connection string when storage is postgres",
           .secret = true},
          {.name = "postgres.pool_size",
           .type = KeyType::kInt,
           .default_value = "8",
           .description = "PostgreSQL connections per process",
           .min = 1,
           .max = 500},
          {.name = "hot_state",
           .type = KeyType::kString,
           .default_value = "memory",
           .description = "Hot state (holds, idempotency keys, rate limits): memory or redis",
           .allowed = {"memory", "redis"}},
          {.name = "redis.addr",
           .type = KeyType::kString,
           .default_value = "127.0.0.1:6379",
           .description =
               "host:port of Redis when hot_state is redis (cluster: some nodes, comma-separated)"},
          {.name = "redis.mode",
           .type = KeyType::kString,
           .default_value = "standalone",
           .description = "standalone (one server) or cluster (Redis Cluster; every key of a trip "
                          "shares a slot)",
           .allowed = {"standalone", "cluster"}},
          {.name = "redis.password",
           .type = KeyType::kString,
           .default_value = "",
           .description = "Redis AUTH password",
           .secret = true},
          {.name = "redis.pool_size",
           .type = KeyType::kInt,
           .default_value = "8",
           .description = "Redis connections per process",
           .min = 1,
           .max = 500},
          {.name = "events",
           .type = KeyType::kString,
           .default_value = "local",
           .description =
               "Event transport: local (in-process relay from each outbox) or rabbitmq (a topic "
               "exchange, a durable queue per consumer)",
           .allowed = {"local", "rabbitmq"}},
          {.name = "rabbitmq.addr",
           .type = KeyType::kString,
           .default_value = "127.0.0.1:5672",
           .description = "host:port of RabbitMQ when events is rabbitmq"},
          {.name = "rabbitmq.user",
           .type = KeyType::kString,
           .default_value = "guest",
           .description = "RabbitMQ user"},
          {.name = "rabbitmq.password",
           .type = KeyType::kString,
           .default_value = "guest",
           .description =
               "RabbitMQ password (RabbitMQ's guest account only accepts loopback connections)",
           .secret = true},
          {.name = "rabbitmq.vhost",
           .type = KeyType::kString,
           .default_value = "/",
           .description = "RabbitMQ virtual host"},
          {.name = "rabbitmq.exchange",
           .type = KeyType::kString,
           .default_value = "travio.events",
           .description = "The topic exchange events are published to"},
          {.name = "log.level",
           .type = KeyType::kString,
           .default_value = "info",
           .description = "Lowest level logged",
           .allowed = {"debug", "info", "warn", "error"}},
      }));
  for (const auto& [name, spec] : registry.specs()) {
    TRAVIO_RETURN_IF_ERROR(
        schema.Add({.name = "peers." + name,
                    .type = KeyType::kString,
                    .default_value = "",
                    .description = "host:port of a process serving " + name +
                                   " over gRPC, when it does not run in this process"}));
    if (spec.declare_config) TRAVIO_RETURN_IF_ERROR(spec.declare_config(schema));
  }
  return absl::OkStatus();
}

}  // namespace travio::module
