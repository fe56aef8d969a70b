#include "platform/rpc/call_observer.h"

#include <grpcpp/server_context.h>
#include <grpcpp/support/client_interceptor.h>
#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "platform/base/caller_deadline.h"
#include "platform/trace/trace_context.h"

namespace travio::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

std::string CodeName(int code) {
  static constexpr std::array<std::string_view, 17> kNames = {"OK",
                                                              "CANCELLED",
                                                              "UNKNOWN",
                                                              "INVALID_ARGUMENT",
                                                              "DEADLINE_EXCEEDED",
                                                              "NOT_FOUND",
                                                              "ALREADY_EXISTS",
                                                              "PERMISSION_DENIED",
                                                              "RESOURCE_EXHAUSTED",
                                                              "FAILED_PRECONDITION",
                                                              "ABORTED",
                                                              "OUT_OF_RANGE",
                                                              "UNIMPLEMENTED",
                                                              "INTERNAL",
                                                              "UNAVAILABLE",
                                                              "DATA_LOSS",
                                                              "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(kNames.size())) return "UNKNOWN";
  return std::string(kNames[static_cast<size_t>(code)]);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One per call. A synchronous server runs the hooks and the handler of a unary call on one
// thread, in order: metadata received, handler, status sent; so the trace's scope begins and
// ends on the thread that runs the handler.
class ServerInterceptor final : public grpc::experimental::Interceptor {
 public:
  ServerInterceptor(CallMetrics& metrics, std::string method, grpc::ServerContextBase* context)
      : metrics_(metrics), method_(std::move(method)), context_(context) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      started_ = std::chrono::steady_clock::now();
      std::optional<std::string_view> traceparent;
      if (auto* metadata = methods->GetRecvInitialMetadata(); metadata != nullptr) {
        if (auto it = metadata->find("traceparent"); it != metadata->end()) {
          traceparent = std::string_view(it->second.data(), it->second.size());
        }
      }
      scope_.emplace(trace::Continue(traceparent));
      if (context_ != nullptr) {
        // The caller's deadline, for use cases that answer with part of the work before it.
        // gRPC says "no deadline" as the clock's largest time point.
        const auto deadline = context_->deadline();
        deadline_.emplace(deadline == std::chrono::system_clock::time_point::max()
                              ? absl::InfiniteFuture()
                              : absl::FromChrono(deadline));
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_.Served(method_, methods->GetSendStatus().error_code(), SecondsSince(started_));
      deadline_.reset();
      scope_.reset();
    }
    methods->Proceed();
  }

 private:
  CallMetrics& metrics_;
  std::string method_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  grpc::ServerContextBase* context_;
  std::optional<trace::Scope> scope_;
  std::optional<CallerDeadlineScope> deadline_;
};

class ServerFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ServerFactory(CallMetrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ServerInterceptor(metrics_, MethodLabel(info->method()), info->server_context());
  }

 private:
  CallMetrics& metrics_;
};

class ClientInterceptor final : public grpc::experimental::Interceptor {
 public:
  ClientInterceptor(CallMetrics& metrics, const std::string& upstream, std::string method)
      : metrics_(metrics), upstream_(upstream), method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      const grpc::Status* status = methods->GetRecvStatus();
      metrics_.Made(upstream_, method_, status != nullptr ? status->error_code() : 2,
                    SecondsSince(started_));
    }
    methods->Proceed();
  }

 private:
  CallMetrics& metrics_;
  const std::string& upstream_;
  std::string method_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

class ClientFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  ClientFactory(CallMetrics& metrics, std::string upstream)
      : metrics_(metrics), upstream_(std::move(upstream)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new ClientInterceptor(metrics_, upstream_, MethodLabel(info->method()));
  }

 private:
  CallMetrics& metrics_;
  std::string upstream_;
};

}  // namespace

CallMetrics::CallMetrics(metrics::Registry& registry)
    : server_handled_(registry.AddCounter("travio_rpc_server_handled_total",
                                          "gRPC calls this process answered, by method and code.",
                                          {"method", "code"})),
      server_seconds_(registry.AddHistogram(
          "travio_rpc_server_handling_seconds",
          "Time from a gRPC call's arrival to its status, by method.", {"method"})),
      client_handled_(
          registry.AddCounter("travio_rpc_client_handled_total",
                              "gRPC calls this process made, by upstream service, method and code.",
                              {"upstream", "method", "code"})),
      client_seconds_(registry.AddHistogram(
          "travio_rpc_client_handling_seconds",
          "Time a gRPC call this process made took, by upstream service and method.",
          {"upstream", "method"})) {}

void CallMetrics::Served(const std::string& method, int code, double seconds) {
  server_handled_.WithLabels({method, CodeName(code)}).Increment();
  server_seconds_.WithLabels({method}).Observe(seconds);
}

void CallMetrics::Made(const std::string& upstream, const std::string& method, int code,
                       double seconds) {
  client_handled_.WithLabels({upstream, method, CodeName(code)}).Increment();
  client_seconds_.WithLabels({upstream, method}).Observe(seconds);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ServerCallObserver(
    CallMetrics& metrics) {
  return std::make_unique<ServerFactory>(metrics);
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> ClientCallObserver(
    CallMetrics& metrics, std::string upstream) {
  return std::make_unique<ClientFactory>(metrics, std::move(upstream));
}

std::string MethodLabel(const std::string& path) {
  // "/travio.payment.v1.PaymentService/Refund" -> "PaymentService/Refund"
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return path;
  const size_t dot = path.rfind('.', slash);
  const size_t start = dot == std::string::npos ? 1 : dot + 1;
  return path.substr(start);
}

}  // namespace travio::rpc
