#pragma once

#include <memory>
#include <string>

#include "platform/metrics/registry.h"

namespace grpc::experimental {
class ServerInterceptorFactoryInterface;
class ClientInterceptorFactoryInterface;
}  // namespace grpc::experimental

namespace travio::rpc {

/// Every gRPC call's count, outcome and latency, per method and (for calls made) per upstream,
/// in the process's registry:
///   travio_rpc_server_handled_total{method,code}, travio_rpc_server_handling_seconds{method},
///   travio_rpc_client_handled_total{upstream,method,code},
///   travio_rpc_client_handling_seconds{upstream,method}.
/// `method` is "Service/Method" without the package ("PaymentService/Refund"); `code` is the
/// gRPC status code's name ("OK", "UNAVAILABLE").
class CallMetrics {
 public:
  explicit CallMetrics(metrics::Registry& registry);

  void Served(const std::string& method, int code, double seconds);
  void Made(const std::string& upstream, const std::string& method, int code, double seconds);

 private:
  metrics::Family<metrics::Counter>& server_handled_;
  metrics::Family<metrics::Histogram>& server_seconds_;
  metrics::Family<metrics::Counter>& client_handled_;
  metrics::Family<metrics::Histogram>& client_seconds_;
};

/// The server's observer of each call: runs the handler within the caller's trace (the
/// `traceparent` metadata its client sent; a new trace when there is none), so the handler's
/// log lines and the calls and events it makes carry the trace on, and counts the call in
/// `metrics` (which must outlive the server).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ServerCallObserver(
    CallMetrics& metrics);

/// A channel's observer of each call made on it to `upstream`: counts it in `metrics` (which
/// must outlive the channel). (The trace is sent by UnaryClient, on the calling thread.)
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> ClientCallObserver(
    CallMetrics& metrics, std::string upstream);

/// "Service/Method" of a gRPC path "/package.Service/Method".
std::string MethodLabel(const std::string& path);

}  // namespace travio::rpc
