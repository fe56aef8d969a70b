#pragma once

// W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id follows a traveller's
// request from the gateway through every gRPC call and every event it causes, so the log lines
// of all the processes it touched can be found together.
//
// The work a thread is doing belongs to one trace at a time. The edges set it for the span of a
// unit of work with a Scope: the HTTP server around a request's handler, the gRPC server around
// a call, the event bus around a consumer's handler. The gRPC client sends it on (traceparent
// metadata), the outbox stamps it on the events appended, and the logger writes its trace id on
// every line. That ambient slot is thread-local on purpose: every handler runs synchronously on
// the thread that set it, and threading a trace through the signature of every use case (as
// OpenTelemetry's and userver's thread- and task-local contexts also avoid) would put a
// transport concern into code that must know nothing of transports.

#include <optional>
#include <string>
#include <string_view>

namespace travio::trace {

struct TraceContext {
  std::string trace_id;  // 32 lower-case hex digits, not all zero
  std::string span_id;   // 16 lower-case hex digits, not all zero: this process's piece of work
  bool sampled = false;
  bool operator==(const TraceContext&) const = default;
};

/// A `traceparent` header's context, or nullopt when the header is malformed (the specification
/// says to start a new trace then). Accepts later versions' longer headers, as it must.
std::optional<TraceContext> ParseTraceparent(std::string_view header);

/// The `traceparent` header naming `context` as the parent: "00-<trace>-<span>-<flags>".
std::string Traceparent(const TraceContext& context);

/// True for 32 lower-case hex digits, not all zero.
bool IsTraceId(std::string_view text);

/// A new trace, with its first span.
TraceContext NewTrace();

/// The same trace, a new span: the work this process does for the caller `parent`.
TraceContext ChildOf(const TraceContext& parent);

/// Work done for a caller who sent `traceparent`: its child when the header is well formed,
/// else a new trace.
TraceContext Continue(std::optional<std::string_view> traceparent);

/// The trace of the work the calling thread is doing now, or null.
const TraceContext* Current();

/// Makes `context` the calling thread's trace until the scope ends, then restores the one
/// before. Must end on the thread it began on.
class Scope {
 public:
  explicit Scope(TraceContext context);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  TraceContext context_;
  const TraceContext* previous_;
};

/// Work picked up later, outside the request that began it (a saga resumed by the recovery
/// loop, a queued job, a delivery retried): goes on in the trace whose id the work kept, with a
/// span of its own, until the scope ends. Nothing when `trace_id` names no trace (work kept
/// before traces were) or the thread is in that trace already.
class ResumeScope {
 public:
  explicit ResumeScope(std::string_view trace_id);
  ResumeScope(const ResumeScope&) = delete;
  ResumeScope& operator=(const ResumeScope&) = delete;

 private:
  std::optional<Scope> scope_;
};

/// The calling thread's trace id, or empty: what work kept for later records.
std::string CurrentTraceId();

}  // namespace travio::trace
