// The one translation unit that includes Boost.Beast (about 13 s to compile): everything else
// sees only server.h.
#include "platform/http/server.h"

// clang-format off
// Boost 1.74's Asio uses std::exchange without including <utility> under C++20.
#include <utility>
// clang-format on

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/http/problem.h"
#include "platform/http/response_head.h"

namespace travio::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

using BeastRequest = bhttp::request<bhttp::string_body>;

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return std::chrono::microseconds(absl::ToInt64Microseconds(d));
}

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

// The method as a metric label: clients may send any token, and each distinct label value would
// be a series kept forever.
const std::string& MetricMethod(const std::string& method) {
  static const auto* const kKnown =
      new std::set<std::string>{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const auto* const kOther = new std::string("OTHER");
  return kKnown->count(method) ? method : *kOther;
}

struct Instruments {
  explicit Instruments(metrics::Registry& registry)
      : requests(registry.AddCounter("travio_http_requests_total",
                                     "HTTP requests answered, by method, route and status.",
                                     {"method", "route", "status"})),
        duration(registry.AddHistogram("travio_http_request_duration_seconds",
                                       "Time from a complete request to its response.",
                                       {"method", "route"})),
        in_flight(registry.AddGauge("travio_http_requests_in_flight", "Requests being handled now.")
                      .WithLabels({})),
        connections(
            registry.AddGauge("travio_http_connections", "Open HTTP connections.").WithLabels({})),
        refused_family(registry.AddCounter(
            "travio_http_connections_refused_total",
            "Connections refused: too many open in all (total) or from one address (address).",
            {"reason"})),
        refused(refused_family.WithLabels({"total"})),
        refused_per_address(refused_family.WithLabels({"address"})),
        handed_over(registry
                        .AddCounter("travio_http_requests_handed_over_total",
                                    "Requests run at once on an I/O thread that then had to run "
                                    "again on the worker pool.")
                        .WithLabels({})) {}
  metrics::Family<metrics::Counter>& requests;
  metrics::Family<metrics::Histogram>& duration;
  metrics::Gauge& in_flight;
  metrics::Gauge& connections;
  metrics::Family<metrics::Counter>& refused_family;
  metrics::Counter& refused;
  metrics::Counter& refused_per_address;
  metrics::Counter& handed_over;
};

class ServerImpl;

// Whether a new connection may be served: refused ones are answered and closed, dropped ones
// closed at once.
enum class Admission { kServed, kServerFull, kAddressFull, kDropped };

// Refused connections wait up to a second for their request's header, to be answered rather
// than reset. So that a flood of refused connections cannot hold places itself, so many may
// wait at once, in all and per address; beyond, new sockets are closed unanswered.
constexpr int kMaxPendingRefusals = 256;
constexpr int kMaxPendingRefusalsPerAddress = 8;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerImpl& server);
  ~Session();
  void Begin();
  // Answers the first request and closes: the server, or this address, has all the
  // connections it may have.
  void Refuse();
  // Called on the session's strand when the server starts draining.
  void Drain();

 private:
  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void OnBody(beast::error_code ec);
  // Answers (413, 431, 400) or closes after a failed read.
  void FailRead(beast::error_code ec);
  void Handle();
  // Runs the matched route's middleware and handler on the calling thread, then writes.
  void Run(const RouteMatch& match, bool log_access);
  void Write(Response response, bool log_access);
  void Answer(int status, std::string_view code, std::string_view detail,
              int retry_after_seconds = 0);
  void Close();
  // A streamed response: the header, then each chunk the producer sends, until it closes or
  // the client leaves.
  void BeginStream(Response& response);
  void Enqueue(std::string chunk);
  void WriteNextChunk();
  // A read that stays pending while the stream runs: it keeps the session alive and ends the
  // stream the moment the client hangs up.
  void WatchForHangup();
  // After a refusal whose request may still be arriving (a body too large): stops sending and
  // reads what the client still sends, for a moment and up to a bound, before closing, as
  // nginx's lingering_close does. Closing with bytes unread resets the connection, and a client
  // still sending would see the reset instead of the answer.
  void LingerThenClose();
  void Discard(std::shared_ptr<std::array<char, 16384>> scratch, size_t left);

  friend class SessionSink;
  std::shared_ptr<EventStream> event_stream_;
  std::deque<std::string> outgoing_;
  bool chunk_in_flight_ = false;
  bool close_when_flushed_ = false;
  bool chunked_ = false;  // the stream's body in chunked transfer coding
  // Producers waiting for the queue to be written (StreamSink::WhenWritten).
  std::vector<std::function<void()>> when_written_;
  std::atomic<bool> closed_{false};

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  ServerImpl& server_;
  enum class State {
    kIdle,
    kReading,
    kHandling,
    kWriting,
    kStreaming,
    kLingering,
    kClosed
  } state_ = State::kIdle;
  bool close_after_response_ = false;
  bool http_1_0_ = false;  // the request was HTTP/1.0: no chunked coding for it (RFC 9112 6.1)
  bool linger_after_response_ = false;  // the request may not have been read whole
  Admission admission_ = Admission::kServed;
  std::chrono::steady_clock::time_point started_;
  Request request_;
  // What the run at once put on its answer before it handed the request over (the rate
  // limits it counted): the answer from the workers carries them.
  Headers handed_over_headers_;
  // The response being written: its head and body, sent in one gather write.
  std::string head_out_;
  std::string body_out_;
  std::string remote_address_;
  // What the per-address cap counts this connection under; empty when it is not counted.
  std::string address_block_;
};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, const Router& router, const log::Logger& logger,
             metrics::Registry& metrics, const IdGenerator& ids)
      : options_(options),
        router_(router),
        logger_(logger.With({{"component", "http"}})),
        instruments_(metrics),
        ids_(ids),
        contexts_(MakeContexts(options.io_threads)),
        work_(MakeWorkGuards(contexts_)),
        acceptor_(*contexts_.front()),
        workers_(static_cast<size_t>(std::max(1, options.worker_threads))) {}

  ~ServerImpl() override { Shutdown(absl::ZeroDuration()); }

  absl::Status Listen() {
    const size_t colon = options_.address.rfind(':');
    int port = -1;
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(options_.address.substr(colon + 1), &port) || port < 0 || port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("HTTP address \"", options_.address,
                                                     "\" is not host:port (e.g. 127.0.0.1:8080)"));
    }
    std::string host = options_.address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    beast::error_code ec;
    tcp::resolver resolver(*contexts_.front());
    auto endpoints = resolver.resolve(host.empty() ? "0.0.0.0" : host, std::to_string(port),
                                      tcp::resolver::numeric_service, ec);
    if (ec || endpoints.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot resolve HTTP host \"", host, "\": ", ec.message()));
    }
    const tcp::endpoint endpoint = *endpoints.begin();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      const std::string hint = ec == asio::error::address_in_use
                                   ? "; another process listens there: stop it or choose another "
                                     "address with --http-addr or http.addr"
                                   : "";
      return absl::FailedPreconditionError(
          absl::StrCat("cannot listen on ", options_.address, ": ", ec.message(), hint));
    }
    port_ = acceptor_.local_endpoint().port();
    return absl::OkStatus();
  }

  void Run() {
    Accept();
    for (auto& context : contexts_) {
      threads_.emplace_back([context = context.get()] { context->run(); });
    }
  }

  int port() const override { return port_; }

  void Shutdown(absl::Duration grace) override {
    std::unique_lock lock(mutex_);
    if (stopped_) return;
    draining_ = true;
    lock.unlock();
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    // Collected under the lock, drained outside it: dropping the last reference to a session
    // runs its destructor, which takes the lock.
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard sessions_lock(mutex_);
      for (const auto& [session, weak] : live_) {
        if (auto alive = weak.lock()) open.push_back(std::move(alive));
      }
    }
    for (const auto& session : open) session->Drain();
    open.clear();
    lock.lock();
    drained_.wait_for(lock, std::chrono::microseconds(absl::ToInt64Microseconds(grace)),
                      [this] { return sessions_.empty(); });
    stopped_ = true;
    lock.unlock();
    work_.clear();
    for (auto& context : contexts_) context->stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    // Handlers still queued after the grace period would run for nobody: drop them. Handlers
    // already running are waited for.
    workers_.stop();
    workers_.join();
  }

  // Whether the connection may be served. Only served connections count against the caps; a
  // refused one is still registered (to be answered and drained), a dropped one is not.
  // `address_block` is what the per-address cap counts it under (empty: not counted).
  Admission Register(Session* session, std::weak_ptr<Session> weak,
                     const std::string& address_block) {
    std::lock_guard lock(mutex_);
    const int per_address = options_.max_connections_per_address;
    AddressCount* open = address_block.empty() ? nullptr : &per_address_[address_block];
    Admission admission = Admission::kServed;
    if (served_ >= options_.max_connections) {
      admission = Admission::kServerFull;
      instruments_.refused.Increment();
    } else if (open != nullptr && per_address > 0 && open->served >= per_address) {
      admission = Admission::kAddressFull;
      instruments_.refused_per_address.Increment();
    }
    if (admission != Admission::kServed &&
        (refusing_ >= kMaxPendingRefusals ||
         (open != nullptr && open->refusing >= kMaxPendingRefusalsPerAddress))) {
      if (open != nullptr && open->served == 0 && open->refusing == 0) {
        per_address_.erase(address_block);
      }
      return Admission::kDropped;
    }
    const bool served = admission == Admission::kServed;
    (served ? served_ : refusing_) += 1;
    if (open != nullptr) (served ? open->served : open->refusing) += 1;
    sessions_.insert(session);
    live_[session] = std::move(weak);
    instruments_.connections.Add(1);
    return admission;
  }
  void Unregister(Session* session, const std::string& address_block, Admission admission) {
    if (admission == Admission::kDropped) return;
    const bool served = admission == Admission::kServed;
    std::lock_guard lock(mutex_);
    (served ? served_ : refusing_) -= 1;
    if (!address_block.empty()) {
      auto open = per_address_.find(address_block);
      if (open != per_address_.end()) {
        (served ? open->second.served : open->second.refusing) -= 1;
        if (open->second.served <= 0 && open->second.refusing <= 0) per_address_.erase(open);
      }
    }
    sessions_.erase(session);
    live_.erase(session);
    instruments_.connections.Add(-1);
    if (sessions_.empty()) drained_.notify_all();
  }
  bool draining() const { return draining_.load(std::memory_order_acquire); }

  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  const log::Logger& logger() const { return logger_; }
  Instruments& instruments() { return instruments_; }
  const IdGenerator& ids() const { return ids_; }
  asio::thread_pool& workers() { return workers_; }

 private:
  void Accept() {
    // Each connection lives on one I/O context, run by one thread: its handlers never hop
    // between threads, so no strand and no cross-thread wake-ups per request.
    asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
    acceptor_.async_accept(context, [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
        logger_.Warn("accept failed", {{"error", ec.message()}});
      } else if (!draining()) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto session = std::make_shared<Session>(std::move(socket), *this);
        session->Begin();
      }
      if (acceptor_.is_open()) Accept();
    });
  }

  ServerOptions options_;
  const Router& router_;
  log::Logger logger_;
  Instruments instruments_;
  const IdGenerator& ids_;
  // Declared before the I/O context: sessions destroyed with its pending handlers unregister
  // themselves here.
  std::mutex mutex_;
  std::condition_variable drained_;
  std::unordered_set<Session*> sessions_;
  std::unordered_map<Session*, std::weak_ptr<Session>> live_;
  struct AddressCount {
    int served = 0;
    int refusing = 0;
  };
  std::unordered_map<std::string, AddressCount> per_address_;  // per address block
  int served_ = 0;                     // connections being served (the caps count these)
  int refusing_ = 0;                   // refused connections waiting to be answered
  std::atomic<bool> draining_{false};  // read on every request without the lock
  bool stopped_ = false;
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int count) {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (int i = 0; i < std::max(1, count); ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
    }
    return contexts;
  }
  using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;
  static std::vector<WorkGuard> MakeWorkGuards(
      const std::vector<std::unique_ptr<asio::io_context>>& contexts) {
    std::vector<WorkGuard> guards;
    for (const auto& context : contexts) guards.push_back(asio::make_work_guard(*context));
    return guards;
  }

  // One I/O context per I/O thread.
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  // Keeps the I/O threads running while every session waits on the worker pool.
  std::vector<WorkGuard> work_;
  size_t next_context_ = 0;  // touched only by the acceptor's thread
  tcp::acceptor acceptor_;
  asio::thread_pool workers_;
  std::vector<std::thread> threads_;
  int port_ = 0;
};

Session::Session(tcp::socket socket, ServerImpl& server)
    : stream_(std::move(socket)), server_(server) {
  beast::error_code ignored;
  const auto remote = stream_.socket().remote_endpoint(ignored);
  if (!ignored) remote_address_ = remote.address().to_string();
  // A trusted proxy carries many clients: its connections are not one client's.
  if (server_.options().max_connections_per_address > 0 && !remote_address_.empty() &&
      !server_.options().trusted_proxies.Contains(remote_address_)) {
    address_block_ = AddressBlock(CanonicalAddress(remote_address_).value_or(remote_address_));
  }
}

Session::~Session() {
  if (event_stream_ != nullptr) event_stream_->Cancel();
  server_.Unregister(this, address_block_, admission_);
}

void Session::Begin() {
  admission_ = server_.Register(this, weak_from_this(), address_block_);
  if (admission_ == Admission::kDropped) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    return;
  }
  if (admission_ != Admission::kServed) {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Refuse(); });
    return;
  }
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void Session::Refuse() {
  // The request's header is read first (for a second at most), so the answer is not lost to a
  // reset from closing on unread bytes.
  ReadHeader();
}

void Session::Drain() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->close_after_response_ = true;
    // Nothing of the next request has been handled yet: closing loses no work. A stream has
    // no end of its own: draining ends it.
    if (self->state_ == State::kIdle || self->state_ == State::kReading ||
        self->state_ == State::kStreaming || self->state_ == State::kLingering) {
      self->Close();
    }
  });
}

void Session::ReadHeader() {
  state_ = State::kIdle;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
  parser_->body_limit(server_.options().max_body_bytes);
  stream_.expires_after(ToChrono(admission_ != Admission::kServed
                                     ? std::min(absl::Seconds(1), server_.options().idle_timeout)
                                     : server_.options().idle_timeout));
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void Session::FailRead(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) {
    return Answer(431, "header_too_large", "The request headers exceed the server's limit.");
  }
  if (ec == bhttp::error::body_limit) {
    return Answer(413, "body_too_large", "The request body exceeds the server's limit.");
  }
  if (ec == beast::error::timeout) {
    // The stream has already closed the socket (Beast closes on timeout), like nginx does for
    // client_header_timeout: slow or idle clients are cut off without an answer.
    return Close();
  }
  const bool peer_gone = ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                         ec == asio::error::operation_aborted ||
                         ec == asio::error::connection_reset;
  // Garbage gets an answer; a client that left, or never sent anything, does not.
  if (!peer_gone && (buffer_.size() > 0 || parser_->got_some())) {
    return Answer(400, "malformed_request", "The request is not valid HTTP/1.1.");
  }
  Close();
}

void Session::OnHeader(beast::error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec) return FailRead(ec);
  if (admission_ == Admission::kServerFull) {
    return Answer(503, "too_many_connections",
                  "The server has too many open connections; try again shortly.",
                  /*retry_after_seconds=*/1);
  }
  if (admission_ == Admission::kAddressFull) {
    return Answer(429, "connection_limit",
                  "Your address has too many open connections; close some and try again.",
                  /*retry_after_seconds=*/1);
  }
  state_ = State::kReading;
  started_ = std::chrono::steady_clock::now();
  stream_.expires_after(ToChrono(server_.options().request_timeout));
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
}

void Session::OnBody(beast::error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec) return FailRead(ec);
  stream_.expires_never();
  Handle();
}

void Session::Handle() {
  state_ = State::kHandling;
  BeastRequest beast_request = parser_->release();
  if (!beast_request.keep_alive()) close_after_response_ = true;
  http_1_0_ = beast_request.version() < 11;

  request_ = Request{};
  request_.method = std::string(beast_request.method_string());
  request_.target = std::string(beast_request.target());
  const size_t question = request_.target.find('?');
  const std::string raw_path = request_.target.substr(0, question);
  auto path = PercentDecode(raw_path, /*plus_is_space=*/false);
  // An encoded '/' would change which route matches, and a NUL has no business in a path.
  if (!path || path->empty() || path->front() != '/' || path->find('\0') != std::string::npos ||
      raw_path.find("%2F") != std::string::npos || raw_path.find("%2f") != std::string::npos) {
    return Answer(400, "malformed_request", "The request target is not a valid path.");
  }
  request_.path = std::move(*path);
  if (question != std::string::npos) request_.query = request_.target.substr(question + 1);
  for (const auto& field : beast_request) {
    request_.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  request_.body = std::move(beast_request.body());
  std::vector<std::string> forwarded_for;
  if (!server_.options().trusted_proxies.empty()) {
    auto [first, last] = request_.headers.equal_range("X-Forwarded-For");
    for (auto it = first; it != last; ++it) forwarded_for.push_back(it->second);
  }
  request_.remote_address =
      ClientAddress(remote_address_, forwarded_for, server_.options().trusted_proxies);
  const auto client_id = request_.Header("X-Request-Id");
  request_.request_id =
      client_id && IsSaneRequestId(*client_id) ? *client_id : server_.ids().NewId();
  // A trace begun in front of us is joined only when a proxy we trust hands it on: anyone
  // else's traceparent would let them tie their requests to other work in the logs.
  std::optional<std::string> traceparent;
  if (server_.options().trusted_proxies.Contains(remote_address_)) {
    traceparent = request_.Header("traceparent");
  }
  request_.trace = trace::Continue(traceparent);

  RouteMatch match = server_.router().Match(request_);
  // A blocking route's requests (and unmatched ones, whose middleware may block) run on the
  // worker pool, unless the route says this one will not wait on anything.
  const RouteOptions defaults;
  const RouteOptions& options = match.options != nullptr ? *match.options : defaults;
  const bool log_access = options.access_log;
  bool on_workers = options.blocking;
  if (on_workers && options.at_once) {
    try {
      on_workers = !options.at_once(request_);
    } catch (...) {  // a predicate's mistake must not end the I/O thread
      server_.logger().Error("route's at-once check threw",
                             {{"request_id", request_.request_id}, {"route", request_.route}});
    }
  }
  request_.at_once = options.blocking && !on_workers;
  server_.instruments().in_flight.Add(1);
  if (on_workers) {
    asio::post(server_.workers(), [self = shared_from_this(), match = std::move(match),
                                   log_access] { self->Run(match, log_access); });
  } else {
    Run(match, log_access);
  }
}

void Session::Run(const RouteMatch& match, bool log_access) {
  const trace::Scope trace_scope(request_.trace);
  Response response;
  try {
    response = server_.router().Dispatch(request_, match);
  } catch (const std::exception& e) {
    server_.logger().Error(
        "handler threw",
        {{"request_id", request_.request_id}, {"route", request_.route}, {"error", e.what()}});
    response = ProblemFromStatus(absl::InternalError(e.what()));
  } catch (...) {  // not even an exception: still an answer, and the thread lives on
    server_.logger().Error("handler threw",
                           {{"request_id", request_.request_id}, {"route", request_.route}});
    response = ProblemFromStatus(absl::InternalError("handler threw"));
  }
  if (response.on_workers) {
    if (response.stream != nullptr) response.stream->Cancel();  // never opened
    if (request_.at_once) {  // it would have to wait after all: again, on the workers
      request_.at_once = false;
      request_.handed_over = true;
      handed_over_headers_ = std::move(response.headers);
      server_.instruments().handed_over.Increment();
      asio::post(server_.workers(),
                 [self = shared_from_this(), match, log_access] { self->Run(match, log_access); });
      return;
    }
    server_.logger().Error("handler asked for the workers it runs on",
                           {{"request_id", request_.request_id}, {"route", request_.route}});
    response = ProblemFromStatus(absl::InternalError("handler asked for the workers"));
  }
  if (request_.handed_over) {
    for (auto& [name, value] : handed_over_headers_) {
      if (!response.headers.contains(name)) response.headers.emplace(name, std::move(value));
    }
    handed_over_headers_.clear();
  }
  asio::dispatch(stream_.get_executor(),
                 [self = shared_from_this(), response = std::move(response), log_access]() mutable {
                   self->server_.instruments().in_flight.Add(-1);
                   self->Write(std::move(response), log_access);
                 });
}

void Session::Write(Response response, bool log_access) {
  if (state_ == State::kClosed) return;
  state_ = State::kWriting;
  const trace::Scope trace_scope(request_.trace);  // for the access log's line
  if (server_.draining()) close_after_response_ = true;
  // A handler's mistake must fail closed: a header left out (a Content-Type, a policy) or a
  // status the client would misframe is worse than an error.
  const std::optional<std::string> unsendable = FirstUnsendableField(response.headers);
  if (unsendable || !IsSendableStatus(response.status)) {
    server_.logger().Error("handler's response cannot be sent",
                           {{"request_id", request_.request_id},
                            {"route", request_.route},
                            {"status", response.status},
                            {"header", unsendable.value_or("")}});
    if (response.stream != nullptr) response.stream->Cancel();  // never opened
    response = ProblemFromStatus(absl::InternalError("unsendable response"));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const std::string status = std::to_string(response.status);
  const std::string& route = request_.route.empty() ? std::string("unmatched") : request_.route;
  const std::string& method = MetricMethod(request_.method);
  server_.instruments().requests.WithLabels({method, route, status}).Increment();
  server_.instruments().duration.WithLabels({method, route}).Observe(seconds);
  if (log_access) {
    server_.logger().Info("request", {{"request_id", request_.request_id},
                                      {"method", request_.method},
                                      {"path", request_.path},
                                      {"route", route},
                                      {"status", response.status},
                                      {"duration_ms", seconds * 1000},
                                      {"bytes", response.body.size()},
                                      {"remote", request_.remote_address}});
  }

  if (response.stream != nullptr) return BeginStream(response);
  const bool head = request_.method == "HEAD";
  const bool no_body = StatusHasNoBody(response.status);
  // HEAD answers carry the GET's Content-Length without a body; 204 and 304 have neither.
  head_out_ = SerializeResponseHead(
      response.status, response.headers,
      {.request_id = request_.request_id,
       .content_length = no_body ? std::nullopt : std::optional<size_t>(response.body.size()),
       .close = close_after_response_});
  body_out_ = head || no_body ? std::string() : std::move(response.body);
  stream_.expires_after(ToChrono(server_.options().request_timeout));
  asio::async_write(
      stream_, std::array<asio::const_buffer, 2>{asio::buffer(head_out_), asio::buffer(body_out_)},
      [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->Close();
        if (self->linger_after_response_) return self->LingerThenClose();
        if (self->close_after_response_) return self->Close();
        self->ReadHeader();
      });
}

void Session::Answer(int status, std::string_view code, std::string_view detail,
                     int retry_after_seconds) {
  close_after_response_ = true;
  // Lingering is for a request still arriving; one read whole (a refusal's GET, a bad path)
  // closes at once and gives its place back.
  linger_after_response_ = !(parser_ && parser_->is_done());
  // The request could not be read, so nothing of it (or of the previous request on this
  // connection) describes the answer.
  // (Built whole rather than assigned field by field: GCC 12 at -O3 takes a short literal
  // assigned to a string here for an overlapping copy, -Wrestrict.)
  request_ = Request{.method = std::string("-"), .route = std::string("invalid")};
  request_.request_id = server_.ids().NewId();
  request_.trace = trace::NewTrace();
  started_ = std::chrono::steady_clock::now();
  Response response = Problem(status, code, ReasonPhrase(status), detail);
  if (retry_after_seconds > 0)
    response.SetHeader("Retry-After", std::to_string(retry_after_seconds));
  Write(std::move(response), /*log_access=*/true);
}

void Session::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  closed_ = true;
  when_written_.clear();
  if (event_stream_ != nullptr) {
    event_stream_->Cancel();
    event_stream_.reset();
  }
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

// Hands chunks to the session's executor; holds the session weakly, so a producer keeping a
// sink never keeps a closed connection alive.
class SessionSink final : public StreamSink {
 public:
  explicit SessionSink(std::weak_ptr<Session> session) : session_(std::move(session)) {}
  bool Send(std::string chunk) override {
    std::shared_ptr<Session> session = session_.lock();
    if (session == nullptr || session->closed_) return false;
    asio::post(session->stream_.get_executor(), [session, chunk = std::move(chunk)]() mutable {
      session->Enqueue(std::move(chunk));
    });
    return true;
  }
  void Close() override {
    std::shared_ptr<Session> session = session_.lock();
    if (session == nullptr) return;
    asio::post(session->stream_.get_executor(), [session] {
      if (session->state_ != Session::State::kStreaming || session->close_when_flushed_) return;
      session->close_when_flushed_ = true;
      if (session->chunked_) {
        // The last chunk: the body is whole.
        session->outgoing_.push_back("0\r\n\r\n");
        if (!session->chunk_in_flight_) session->WriteNextChunk();
        return;
      }
      if (!session->chunk_in_flight_ && session->outgoing_.empty()) session->Close();
    });
  }
  void Abort() override {
    std::shared_ptr<Session> session = session_.lock();
    if (session == nullptr) return;
    asio::post(session->stream_.get_executor(), [session] { session->Close(); });
  }
  void WhenWritten(std::function<void()> written) override {
    std::shared_ptr<Session> session = session_.lock();
    if (session == nullptr || session->closed_) return;
    asio::post(session->stream_.get_executor(), [session, written = std::move(written)]() mutable {
      if (session->state_ != Session::State::kStreaming) return;
      if (!session->chunk_in_flight_ && session->outgoing_.empty()) return written();
      session->when_written_.push_back(std::move(written));
    });
  }

 private:
  std::weak_ptr<Session> session_;
};

void Session::BeginStream(Response& response) {
  state_ = State::kStreaming;
  event_stream_ = std::move(response.stream);
  // An HTTP/1.0 client knows no chunks: it gets the body until the connection closes.
  chunked_ = response.chunked && !http_1_0_;
  // The header of a response whose body runs until the connection closes.
  head_out_ = SerializeResponseHead(
      response.status, response.headers,
      {.request_id = request_.request_id, .close = true, .no_cache = true, .chunked = chunked_});
  stream_.expires_never();
  asio::async_write(
      stream_, asio::buffer(head_out_),
      [self = shared_from_this(), head = request_.method == "HEAD"](beast::error_code ec, size_t) {
        // A HEAD gets the stream's head alone; closing cancels the stream.
        if (ec || head || self->state_ == State::kClosed || self->event_stream_ == nullptr) {
          return self->Close();
        }
        self->event_stream_->Open(std::make_shared<SessionSink>(self));
        self->WatchForHangup();
      });
}

void Session::LingerThenClose() {
  if (server_.draining()) return Close();
  state_ = State::kLingering;
  // What is read from here on is thrown away: nothing of the request is kept meanwhile.
  parser_.reset();
  buffer_ = beast::flat_buffer();
  head_out_.clear();
  body_out_.clear();
  head_out_.shrink_to_fit();
  body_out_.shrink_to_fit();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(2));
  constexpr size_t kMaxLingerBytes = 8 << 20;
  Discard(std::make_shared<std::array<char, 16384>>(), kMaxLingerBytes);
}

void Session::Discard(std::shared_ptr<std::array<char, 16384>> scratch, size_t left) {
  stream_.async_read_some(asio::buffer(*scratch), [self = shared_from_this(), scratch, left](
                                                      beast::error_code ec, size_t n) {
    if (ec || n >= left || self->state_ != State::kLingering) return self->Close();
    self->Discard(scratch, left - n);
  });
}

void Session::WatchForHangup() {
  auto scratch = std::make_shared<std::array<char, 512>>();
  stream_.socket().async_read_some(
      asio::buffer(*scratch), [self = shared_from_this(), scratch](beast::error_code ec, size_t) {
        if (ec || self->state_ != State::kStreaming) return self->Close();
        self->WatchForHangup();  // a client may send bytes; they mean nothing here
      });
}

void Session::Enqueue(std::string chunk) {
  if (state_ != State::kStreaming) return;
  // A client this far behind is not reading: let it reconnect rather than hold memory.
  constexpr size_t kMaxQueued = 1024;
  if (outgoing_.size() >= kMaxQueued) return Close();
  // Nothing follows the last chunk, and an empty chunk would read as the last.
  if (close_when_flushed_ || chunk.empty()) return;
  if (chunked_) {
    chunk = absl::StrCat(absl::Hex(chunk.size()), "\r\n", chunk, "\r\n");
  }
  outgoing_.push_back(std::move(chunk));
  if (!chunk_in_flight_) WriteNextChunk();
}

void Session::WriteNextChunk() {
  if (outgoing_.empty()) {
    if (close_when_flushed_) return Close();
    for (std::function<void()>& written : std::exchange(when_written_, {})) written();
    return;
  }
  chunk_in_flight_ = true;
  stream_.expires_after(ToChrono(server_.options().request_timeout));
  asio::async_write(stream_, asio::buffer(outgoing_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->chunk_in_flight_ = false;
                      if (ec) return self->Close();
                      self->outgoing_.pop_front();
                      self->stream_.expires_never();
                      self->WriteNextChunk();
                    });
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      const Router& router,
                                                      const log::Logger& logger,
                                                      metrics::Registry& metrics,
                                                      const IdGenerator& ids) {
  auto server = std::make_unique<ServerImpl>(options, router, logger, metrics, ids);
  if (auto status = server->Listen(); !status.ok()) return status;
  server->Run();
  return server;
}

}  // namespace travio::http
