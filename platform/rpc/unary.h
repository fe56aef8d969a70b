#pragma once

// For gRPC clients (services/<svc>/api/grpc_<svc>_client.cc): one way to make a unary call.
//
//   rpc::UnaryClient<v1::OrderService> rpc_(channel, policy);
//   return rpc_.Call(&Stub::Pay, request);        // the reply converted by FromProto
//   return rpc_.Query(&Stub::GetOrder, request);  // the same, for a read: retried
//   return rpc_.Raw(&Stub::Pay, request);         // the reply as it came (QueryRaw for reads)
//
// Every call carries the calling thread's trace (traceparent metadata) and the policy's
// deadline, and passes its upstream's circuit breaker: while the breaker is open a call fails
// at once with kUnavailable and a retry-after, without touching the network. A read whose peer
// could not be reached is tried again, at most `read_attempts` times in all, after 25 ms and 100 ms
// (not one that timed out: the peer is slow, and more calls would add to its load); calls that
// change something are never retried here (their callers hold idempotency keys and decide). A
// failure keeps its code, reason, field errors and retry-after (FromGrpcStatus).

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "platform/rpc/call_policy.h"
#include "platform/rpc/status.h"
#include "platform/trace/trace_context.h"

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

  UnaryClient(std::shared_ptr<grpc::Channel> channel, CallPolicy policy)
      : channel_(channel),
        stub_(Service::NewStub(std::move(channel))),
        policy_(std::move(policy)) {}

  /// The reply as it came.
  template <typename Request, typename Reply>
  absl::StatusOr<Reply> Raw(Method<Request, Reply> method, const Request& request) const {
    return Attempt(method, request, 1);
  }
  /// The reply of a read as it came; tried again when the peer could not answer.
  template <typename Request, typename Reply>
  absl::StatusOr<Reply> QueryRaw(Method<Request, Reply> method, const Request& request) const {
    return Attempt(method, request, std::max(1, policy_.read_attempts));
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
  /// Call for a read: tried again when the peer could not answer.
  template <typename Request, typename Reply>
  auto Query(Method<Request, Reply> method, const Request& request) const -> absl::StatusOr<
      typename internal::Unwrapped<decltype(FromProto(std::declval<Reply>()))>::type> {
    absl::StatusOr<Reply> reply = QueryRaw(method, request);
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
  // The peer's own failures: it could not be reached or did not answer in time. A refusal it
  // decided on (any status with a reason, even an unavailable one) means it is alive.
  static bool PeerFailed(const absl::Status& status) {
    const absl::StatusCode code = status.code();
    return (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded ||
            code == absl::StatusCode::kUnknown) &&
           ReasonOf(status).empty();
  }

  template <typename Request, typename Reply>
  absl::StatusOr<Reply> Attempt(Method<Request, Reply> method, const Request& request,
                                int attempts) const {
    for (int attempt = 1;; ++attempt) {
      CircuitBreaker::Admission admission;
      if (policy_.breaker != nullptr) {
        admission = policy_.breaker->Admit();
        if (!admission.allowed) {
          return WithRetryAfter(
              absl::UnavailableError(
                  absl::StrCat(Service::service_full_name(), " is failing; its circuit is open")),
              admission.retry_after);
        }
      }
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::microseconds(absl::ToInt64Microseconds(policy_.deadline)));
      // A probe tests the peer, not the channel: it waits (within its deadline) for a channel
      // still backing off from the outage to connect, instead of failing at once.
      if (admission.probe) context.set_wait_for_ready(true);
      if (const trace::TraceContext* trace = trace::Current(); trace != nullptr) {
        context.AddMetadata("traceparent", trace::Traceparent(*trace));
      }
      Reply reply;
      const absl::Status status = FromGrpcStatus(((*stub_).*method)(&context, request, &reply));
      const bool failed = PeerFailed(status);
      if (policy_.breaker != nullptr) policy_.breaker->Record(failed);
      // Calls turned away by the breaker do not use the channel, so nothing else would make it
      // try to reconnect: ask it to, so it is ready when the probes come.
      if (failed) channel_->GetState(/*try_to_connect=*/true);
      if (status.ok()) return reply;
      // Only a peer that could not be reached is tried again: one that timed out is slow,
      // and more calls would only add to its load.
      if (!failed || status.code() != absl::StatusCode::kUnavailable || attempt >= attempts) {
        return status;
      }
      absl::SleepFor(absl::Milliseconds(25 << (2 * (attempt - 1))));
    }
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stub> stub_;
  CallPolicy policy_;
};

}  // namespace travio::rpc
