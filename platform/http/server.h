#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/ids.h"
#include "platform/http/client_address.h"
#include "platform/http/router.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"

namespace travio::http {

struct ServerOptions {
  /// host:port to listen on; port 0 picks a free one (see Server::port()).
  std::string address = "127.0.0.1:8080";
  /// Request line plus headers; larger requests are answered 431.
  size_t max_header_bytes = 16 * 1024;
  /// Request bodies; larger ones are answered 413.
  size_t max_body_bytes = 1024 * 1024;
  /// How long a connection may wait for the next request, and the longest a request's headers
  /// may take to arrive (slow-header clients are cut off).
  absl::Duration idle_timeout = absl::Seconds(60);
  /// How long reading a request body, and writing a response, may take.
  absl::Duration request_timeout = absl::Seconds(30);
  /// Threads doing network I/O and non-blocking handlers.
  int io_threads = 2;
  /// Threads running blocking handlers.
  int worker_threads = 16;
  /// Open connections at most; one more is answered 503 with Retry-After and closed.
  int max_connections = 10000;
  /// Open connections one client address (an IPv6 /64) may have; one more is answered 429 and
  /// closed. Trusted proxies are not counted (they carry many clients). 0: no such cap.
  int max_connections_per_address = 0;
  /// Peers whose X-Forwarded-For names the client (Request::remote_address).
  TrustedProxies trusted_proxies;
};

/// An asynchronous HTTP/1.1 server (Boost.Beast behind this interface) with keep-alive,
/// size and time limits, request ids, access logs and per-route metrics
/// (travio_http_requests_total, travio_http_request_duration_seconds,
/// travio_http_requests_in_flight, travio_http_connections,
/// travio_http_connections_refused_total{reason}).
class Server {
 public:
  /// Binds and starts serving. Fails with kFailedPrecondition naming the address when it is in
  /// use or cannot be bound. `router`, `logger`, `metrics` and `ids` must outlive the server.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                       const Router& router,
                                                       const log::Logger& logger,
                                                       metrics::Registry& metrics,
                                                       const IdGenerator& ids);
  virtual ~Server() = default;

  /// The port actually bound.
  virtual int port() const = 0;

  /// Stops accepting connections (new ones are refused), closes idle keep-alive connections,
  /// lets requests in flight finish and answers them with `Connection: close`, waiting at most
  /// `grace`; then closes whatever is left and stops the threads. Idempotent.
  virtual void Shutdown(absl::Duration grace) = 0;
};

}  // namespace travio::http
