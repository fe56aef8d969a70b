#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/trace/trace_context.h"

namespace travio::http {

/// Header names compared without regard to case, as HTTP requires.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

/// An HTTP request as handlers see it, free of any server library's types.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent
  std::string path;    // percent-decoded path without the query
  std::string query;   // raw query string without '?'
  Headers headers;
  std::string body;
  /// The client's address, canonical (IPv4-mapped IPv6 as IPv4): the socket peer, or the
  /// client a trusted proxy names in X-Forwarded-For (ServerOptions::trusted_proxies).
  std::string remote_address;
  /// Values of `{name}` segments of the matched route.
  std::map<std::string, std::string> path_params;
  /// The route pattern that matched ("/v1/orgs/{org_id}"), for metrics and logs.
  std::string route;
  /// Whether `route` has a handler for this method (false for 404s and 405s).
  bool route_found = false;
  /// The request id: the client's X-Request-Id when it sent a sane one, else generated.
  std::string request_id;
  /// The trace this request's work belongs to: the one a trusted proxy's `traceparent` names,
  /// else a new one. Its handler runs within it (trace::Current()).
  trace::TraceContext trace;
  /// Runs on an I/O thread, its blocking route having said it waits on nothing
  /// (RouteOptions::at_once). A handler that finds it would have to wait after all answers
  /// Response::OnWorkers(), and the request runs again, from the first middleware, on the
  /// worker pool.
  bool at_once = false;
  /// Runs again on the worker pool after its run at once handed it over: middleware that
  /// counts requests (rate limits) counted it the first time.
  bool handed_over = false;

  /// The first value of header `name`, if present.
  std::optional<std::string> Header(std::string_view name) const;
  /// The percent-decoded value of query parameter `name`, if present.
  std::optional<std::string> Query(std::string_view name) const;
  /// The value of path parameter `name`; empty when the route has none by that name.
  std::string PathParam(const std::string& name) const;
};

/// Where a streamed response's chunks go (server-sent events). Thread-safe.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  /// Queues `chunk` for the client; false once the client is gone or too slow to keep up
  /// (the producer then forgets this sink).
  virtual bool Send(std::string chunk) = 0;
  /// Ends the response once what was sent is written (the connection then closes).
  virtual void Close() = 0;
  /// Ends the response at once, as cut short: a chunked body (Response::chunked) goes without
  /// its last chunk, so the client knows it did not get all of it.
  virtual void Abort() = 0;
  /// Calls `written` once every chunk sent so far has been written to the client (soon, when
  /// none waits), from a thread of the server's; never when the client is gone first (the
  /// stream is cancelled then). A producer that sends its next chunk only then holds one chunk
  /// at a time, however slowly the client reads.
  virtual void WhenWritten(std::function<void()> written) = 0;
};

/// A response body produced over time. The server calls Open with a sink once the header is
/// written, and Cancel when the client left or the server drains.
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual void Open(std::shared_ptr<StreamSink> sink) = 0;
  virtual void Cancel() = 0;
};

/// An HTTP response.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  /// When set, the body is this stream instead (`text/event-stream` and the like): no
  /// Content-Length, the connection closes when the stream ends.
  std::shared_ptr<EventStream> stream;
  /// The stream's body in chunked transfer coding: its end is marked, so a client can tell a
  /// whole body from one cut short (StreamSink::Abort). Off: the body ends when the connection
  /// closes (server-sent events).
  bool chunked = false;
  /// Not an answer: the request ran at once (Request::at_once) and must run on the workers.
  bool on_workers = false;

  Response& SetHeader(const std::string& name, std::string value);
  static Response OnWorkers();

  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response NoContent();
};

/// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

/// The reason phrase of a status code ("Not Found").
std::string_view ReasonPhrase(int status);

}  // namespace travio::http
