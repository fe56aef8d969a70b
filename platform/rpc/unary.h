#pragma once

// For gRPC clients (services/<svc>/api/grpc_<svc>_client.cc): one way to make a unary call.
//
//   rpc::UnaryClient<v1::OrderService> rpc_(channel, deadline);
//   return rpc_.Call(&Stub::GetOrder, request);   // the reply converted by FromProto
//   return rpc_.Raw(&Stub::GetOrder, request);   // the reply as it came
//
// Every call carries the deadline; a failure keeps its code, reason, field errors and
// retry-after (FromGrpcStatus).

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/rpc/status.h"

namespace grpc {
class Channel;
}

namespace travio::rpc {

namespace internal {
template <typename T>
struct Unwrapped {
  using type = T;
};
template <typename T>
struct Unwrapped<absl::StatusOr<T>> {
  using type = T;
};
}  // namespace internal

template <typename Service>
class UnaryClient {
 public:
  using Stub = typename Service::Stub;
  template <typename Request, typename Reply>
  using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Reply*);

  UnaryClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(Service::NewStub(std::move(channel))), deadline_(deadline) {}

  /// The reply as it came.
  template <typename Request, typename Reply>
  absl::StatusOr<Reply> Raw(Method<Request, Reply> method, const Request& request) const {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::microseconds(absl::ToInt64Microseconds(deadline_)));
    Reply reply;
    const absl::Status status = FromGrpcStatus(((*stub_).*method)(&context, request, &reply));
    if (!status.ok()) return status;
    return reply;
  }

  /// The reply converted by the service's `FromProto(reply)` (found by argument-dependent
  /// lookup; one that can refuse returns a StatusOr).
  template <typename Request, typename Reply>
  auto Call(Method<Request, Reply> method, const Request& request) const -> absl::StatusOr<
      typename internal::Unwrapped<decltype(FromProto(std::declval<Reply>()))>::type> {
    absl::StatusOr<Reply> reply = Raw(method, request);
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  /// A reply that does not convert (an unset or unknown enum) is the server's fault, not the
  /// caller's: kInternal rather than the conversion's kInvalidArgument.
  template <typename T>
  static absl::StatusOr<T> Decoded(absl::StatusOr<T> converted) {
    if (converted.ok()) return converted;
    return absl::InternalError(absl::StrCat(
        Service::service_full_name(), " sent a malformed reply: ", converted.status().message()));
  }
  template <typename T>
  static T Decoded(T converted) {
    return converted;
  }

  /// A call whose reply carries nothing.
  template <typename Request, typename Reply>
  absl::Status Send(Method<Request, Reply> method, const Request& request) const {
    return Raw(method, request).status();
  }

 private:
  std::unique_ptr<Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace travio::rpc
