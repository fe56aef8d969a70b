#include "platform/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/match.h"
#include "platform/http/json.h"
#include "platform/http/static_files.h"
#include "platform/testing/free_port.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/wait.h"

namespace travio::http {
namespace {

using testing::HttpClient;
using testing::RawExchange;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.address = "127.0.0.1:0";
    auto server = Server::Start(options, router_, logger_, metrics_, ids_);
    ASSERT_OK(server);
    server_ = std::move(*server);
  }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  // GET /io, a non-blocking route that notes the I/O thread it runs on (under `mutex`).
  void AddIoThreadProbe(std::mutex& mutex, std::thread::id& io_thread) {
    ASSERT_OK(router_.Add("GET", "/io",
                          [&mutex, &io_thread](Request&) {
                            std::lock_guard lock(mutex);
                            io_thread = std::this_thread::get_id();
                            return Json(200, {});
                          },
                          {.blocking = false}));
  }

  Router router_;
  std::shared_ptr<std::vector<std::string>> log_lines_ =
      std::make_shared<std::vector<std::string>>();
  log::Logger logger_ = log::Logger::ToVector(log::Level::kInfo, log_lines_);
  metrics::Registry metrics_;
  SystemClock clock_;
  IdGenerator ids_{clock_};
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, ServesRoutesOverOneKeepAliveConnection) {
  ASSERT_OK(router_.Add("GET", "/v1/ping/{name}", [](Request& r) {
    return Json(200, {{"pong", r.PathParam("name")}});
  }));
  StartServer();
  HttpClient client(BaseUrl());
  for (int i = 0; i < 5; ++i) {
    auto result = client.Get("/v1/ping/dhaka");
    ASSERT_EQ(result.status, 200) << result.error;
    EXPECT_EQ(nlohmann::json::parse(result.body)["pong"], "dhaka");
    EXPECT_EQ(result.headers["content-type"], "application/json");
  }
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, ABlockingRouteRunsOnTheIoThreadOnlyForRequestsItSaysWaitOnNothing) {
  // Each handler reports the thread it ran on; a non-blocking route names the I/O thread.
  std::mutex mutex;
  std::map<std::string, std::thread::id> ran_on;
  auto record = [&](const std::string& name) {
    std::lock_guard lock(mutex);
    ran_on[name] = std::this_thread::get_id();
  };
  ASSERT_OK(router_.Add("GET", "/io",
                        [&](Request&) {
                          record("io");
                          return Json(200, {});
                        },
                        {.blocking = false}));
  ASSERT_OK(router_.Add("GET", "/search",
                        [&](Request& r) {
                          record(r.Query("day").value_or(""));
                          return Json(200, {});
                        },
                        {.blocking = true, .at_once = [](const Request& r) {
                           return r.Query("day") == "in-memory";
                         }}));
  StartServer({.io_threads = 1, .worker_threads = 1});
  HttpClient client(BaseUrl());
  ASSERT_EQ(client.Get("/io").status, 200);
  ASSERT_EQ(client.Get("/search?day=in-memory").status, 200);
  ASSERT_EQ(client.Get("/search?day=on-disk").status, 200);
  std::lock_guard lock(mutex);
  EXPECT_EQ(ran_on.at("in-memory"), ran_on.at("io"));
  EXPECT_NE(ran_on.at("on-disk"), ran_on.at("io"));
}

TEST_F(ServerTest, AnAtOnceCheckThatThrowsSendsItsRequestToTheWorkers) {
  std::mutex mutex;
  std::vector<std::thread::id> ran_on;
  std::thread::id io_thread;
  AddIoThreadProbe(mutex, io_thread);
  ASSERT_OK(router_.Add("GET", "/search",
                        [&](Request&) {
                          std::lock_guard lock(mutex);
                          ran_on.push_back(std::this_thread::get_id());
                          return Json(200, {});
                        },
                        {.blocking = true, .at_once = [](const Request& r) -> bool {
                           if (r.Query("throw") == "std") throw std::runtime_error("index gone");
                           throw 42;  // not even an exception
                         }}));
  StartServer({.io_threads = 1, .worker_threads = 1});
  HttpClient client(BaseUrl());
  ASSERT_EQ(client.Get("/io").status, 200);
  EXPECT_EQ(client.Get("/search?throw=std").status, 200);
  EXPECT_EQ(client.Get("/search?throw=int").status, 200);
  EXPECT_EQ(HttpClient(BaseUrl()).Get("/io").status, 200);  // the I/O thread still serves
  std::lock_guard lock(mutex);
  ASSERT_EQ(ran_on.size(), 2u);
  for (const std::thread::id& thread : ran_on) EXPECT_NE(thread, io_thread);
}

TEST_F(ServerTest, AHandlerRunAtOnceThatWouldWaitAfterAllRunsAgainOnTheWorkers) {
  std::mutex mutex;
  std::vector<std::pair<bool, std::thread::id>> runs;  // at_once, thread
  std::vector<bool> handed_over;
  std::thread::id io_thread;
  AddIoThreadProbe(mutex, io_thread);
  ASSERT_OK(router_.Add("GET", "/search",
                        [&](Request& r) {
                          std::lock_guard lock(mutex);
                          runs.emplace_back(r.at_once, std::this_thread::get_id());
                          handed_over.push_back(r.handed_over);
                          // Memory cannot answer after all; on the workers, a handler asking again
                          // is a bug.
                          if (r.at_once) {
                            Response handed = Response::OnWorkers();
                            handed.SetHeader("RateLimit", "\"search\";r=4;t=60");  // counted
                            return handed;
                          }
                          if (r.Query("again") == "yes") return Response::OnWorkers();
                          return Json(200, {{"answered", "by a worker"}});
                        },
                        {.blocking = true, .at_once = [](const Request&) { return true; }}));
  StartServer({.io_threads = 1, .worker_threads = 1});
  HttpClient client(BaseUrl());
  ASSERT_EQ(client.Get("/io").status, 200);
  const auto answer = client.Get("/search");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(nlohmann::json::parse(answer.body)["answered"], "by a worker");
  EXPECT_EQ(answer.headers.at("ratelimit"), "\"search\";r=4;t=60");  // from the first run
  EXPECT_EQ(client.Get("/search?again=yes").status, 500);
  std::lock_guard lock(mutex);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_TRUE(runs[0].first);
  EXPECT_EQ(runs[0].second, io_thread);
  EXPECT_FALSE(runs[1].first);
  EXPECT_NE(runs[1].second, io_thread);
  EXPECT_EQ(handed_over, (std::vector<bool>{false, true, false, true}));
  EXPECT_NE(metrics_.Render().find("travio_http_requests_handed_over_total 2"), std::string::npos);
}

TEST_F(ServerTest, EchoesSaneRequestIdsAndGeneratesOthers) {
  ASSERT_OK(
      router_.Add("GET", "/id", [](Request& r) { return Response::Text(200, r.request_id); }));
  StartServer();
  HttpClient client(BaseUrl());
  auto echoed = client.Get("/id", {{"X-Request-Id", "client-abc.123"}});
  EXPECT_EQ(echoed.headers["x-request-id"], "client-abc.123");
  EXPECT_EQ(echoed.body, "client-abc.123");
  auto generated = client.Get("/id", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_TRUE(IsUuid(generated.headers["x-request-id"])) << generated.headers["x-request-id"];
  EXPECT_EQ(generated.body, generated.headers["x-request-id"]);
  // The access log names the request id.
  bool logged = false;
  for (const auto& line : *log_lines_) {
    if (absl::StrContains(line, "\"request_id\":\"client-abc.123\"")) logged = true;
  }
  EXPECT_TRUE(logged);
}

TEST_F(ServerTest, AnswersHeadWithTheLengthAloneAndKeepsTheConnectionFramed) {
  ASSERT_OK(router_.Add("GET", "/hello", [](Request&) { return Response::Text(200, "hello"); }));
  StartServer();
  // Two requests on one connection: the HEAD's answer must end where its header ends.
  const std::string reply =
      RawExchange(server_->port(),
                  "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .data;
  const size_t second = reply.find("HTTP/1.1 200 OK", 1);
  ASSERT_NE(second, std::string::npos) << reply;
  const std::string head_answer = reply.substr(0, second);
  const std::string get_answer = reply.substr(second);
  EXPECT_TRUE(absl::StartsWith(head_answer, "HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_TRUE(absl::StrContains(head_answer, "Content-Length: 5\r\n")) << reply;
  EXPECT_TRUE(absl::EndsWith(head_answer, "\r\n\r\n")) << reply;
  EXPECT_TRUE(absl::StrContains(get_answer, "Connection: close\r\n")) << reply;
  EXPECT_TRUE(absl::EndsWith(get_answer, "\r\n\r\nhello")) << reply;
}

TEST_F(ServerTest, AHeaderValueThatWouldSplitTheResponseMakesIt500) {
  // A handler that copies input into a header, as a redirect or a download name might.
  ASSERT_OK(router_.Add("GET", "/echo", [](Request& r) {
    Response response = Response::Text(200, "hello");
    response.SetHeader("X-Echo", r.Query("v").value_or(""));
    return response;
  }));
  StartServer();
  const std::string reply =
      RawExchange(server_->port(),
                  "GET /echo?v=a%0D%0ASet-Cookie:%20session=stolen HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /echo?v=fine HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .data;
  EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 500 ")) << reply;
  EXPECT_FALSE(absl::StrContains(reply, "Set-Cookie")) << reply;
  EXPECT_FALSE(absl::StrContains(reply, "hello\r\n")) << reply;
  // The connection stays usable: the next request is answered as usual.
  const size_t second = reply.find("HTTP/1.1 200 OK");
  ASSERT_NE(second, std::string::npos) << reply;
  EXPECT_TRUE(absl::StrContains(reply.substr(second), "X-Echo: fine\r\n")) << reply;
  bool logged = false;
  for (const auto& line : *log_lines_) {
    if (absl::StrContains(line, "cannot be sent") && absl::StrContains(line, "X-Echo")) {
      logged = true;
    }
  }
  EXPECT_TRUE(logged);
}

TEST_F(ServerTest, AStatusWithoutABodyOrNotHttpCannotDesyncTheConnection) {
  // A 204 whose handler left a body that looks like a response of its own.
  ASSERT_OK(router_.Add("GET", "/empty", [](Request&) {
    return Response::Text(204, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  }));
  ASSERT_OK(router_.Add("GET", "/odd", [](Request&) { return Response::Text(1000, "x"); }));
  ASSERT_OK(router_.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong"); }));
  StartServer();
  const std::string reply =
      RawExchange(server_->port(),
                  "GET /empty HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /odd HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .data;
  std::vector<std::string> status_lines;
  for (size_t at = reply.find("HTTP/1.1 "); at != std::string::npos;
       at = reply.find("HTTP/1.1 ", at + 1)) {
    status_lines.push_back(reply.substr(at, 12));
  }
  EXPECT_EQ(status_lines,
            (std::vector<std::string>{"HTTP/1.1 204", "HTTP/1.1 500", "HTTP/1.1 200"}))
      << reply;
  const std::string no_content = reply.substr(0, reply.find("HTTP/1.1 500"));
  EXPECT_FALSE(absl::StrContains(no_content, "Content-Length")) << reply;
  EXPECT_TRUE(absl::EndsWith(reply, "pong")) << reply;
}

TEST_F(ServerTest, EnforcesHeaderAndBodyLimits) {
  ASSERT_OK(router_.Add("POST", "/echo", [](Request& r) {
    return Response::Text(200, std::to_string(r.body.size()));
  }));
  ServerOptions options;
  options.max_header_bytes = 1024;
  options.max_body_bytes = 100;
  StartServer(options);
  HttpClient client(BaseUrl());
  EXPECT_EQ(client.Send("POST", "/echo", std::string(100, 'x')).body, "100");

  auto too_big = client.Send("POST", "/echo", std::string(101, 'x'));
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(nlohmann::json::parse(too_big.body)["code"], "body_too_large");

  HttpClient other(BaseUrl());
  auto huge_header = other.Get("/echo", {{"X-Filler", std::string(2000, 'y')}});
  EXPECT_EQ(huge_header.status, 431);
}

TEST_F(ServerTest, AnswersMalformedRequestsWith400) {
  StartServer();
  const std::string reply = RawExchange(server_->port(), "THIS IS NOT HTTP\r\n\r\n").data;
  EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 400")) << reply;
  EXPECT_TRUE(absl::StrContains(reply, "malformed_request"));
}

TEST_F(ServerTest, CutsOffClientsThatStallMidRequest) {
  ServerOptions options;
  options.idle_timeout = absl::Milliseconds(200);
  StartServer(options);
  // Headers never finished: the server hangs up (rather than RawExchange giving up after 60 s).
  const auto stalled =
      RawExchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\n", absl::Seconds(60));
  EXPECT_TRUE(stalled.closed_by_server);
  EXPECT_EQ(stalled.data, "");
  // An idle keep-alive connection is closed too.
  const auto idle = RawExchange(server_->port(), "", absl::Seconds(60));
  EXPECT_TRUE(idle.closed_by_server);
}

TEST_F(ServerTest, AnswersConnectionsBeyondTheCap503AndServesAgainWhenOneCloses) {
  ASSERT_OK(router_.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong"); }));
  ServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  HttpClient first(BaseUrl());
  HttpClient second(BaseUrl());
  ASSERT_EQ(first.Get("/ping").status, 200);
  ASSERT_EQ(second.Get("/ping").status, 200);
  // Both keep-alive connections stay open: a third is one too many.
  const std::string refused =
      RawExchange(server_->port(), "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").data;
  EXPECT_TRUE(absl::StartsWith(refused, "HTTP/1.1 503")) << refused;
  EXPECT_TRUE(absl::StrContains(refused, "too_many_connections")) << refused;
  EXPECT_TRUE(absl::StrContains(refused, "Retry-After: 1")) << refused;
  EXPECT_TRUE(absl::StrContains(metrics_.Render(),
                                "travio_http_connections_refused_total{reason=\"total\"} 1"));
  // The open connections are still served.
  EXPECT_EQ(first.Get("/ping").status, 200);
}

TEST_F(ServerTest, OneAddressCannotTakeMoreThanItsShareOfConnections) {
  ASSERT_OK(router_.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong"); }));
  ServerOptions options;
  options.max_connections_per_address = 2;
  StartServer(options);
  auto first = std::make_unique<HttpClient>(BaseUrl());
  HttpClient second(BaseUrl());
  ASSERT_EQ(first->Get("/ping").status, 200);
  ASSERT_EQ(second.Get("/ping").status, 200);
  const std::string refused =
      RawExchange(server_->port(), "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").data;
  EXPECT_TRUE(absl::StartsWith(refused, "HTTP/1.1 429")) << refused;
  EXPECT_TRUE(absl::StrContains(refused, "connection_limit")) << refused;
  EXPECT_TRUE(absl::StrContains(metrics_.Render(),
                                "travio_http_connections_refused_total{reason=\"address\"} 1"));
  // A connection that closes gives its place back.
  first.reset();
  EXPECT_TRUE(testing::WaitFor([&] { return HttpClient(BaseUrl()).Get("/ping").status == 200; },
                               absl::Seconds(5)));
  server_->Shutdown(absl::Seconds(1));

  // Connections of a trusted proxy carry many clients and are not capped as one.
  ASSERT_OK_AND_ASSIGN(options.trusted_proxies, TrustedProxies::Parse("127.0.0.0/8"));
  StartServer(options);
  std::vector<std::unique_ptr<HttpClient>> proxied;
  for (int i = 0; i < 4; ++i) {
    proxied.push_back(std::make_unique<HttpClient>(BaseUrl()));
    EXPECT_EQ(proxied.back()->Get("/ping").status, 200);
  }
}

// A socket to the server from `source`, one of the loopback addresses (127.0.0.0/8).
int ConnectFrom(const std::string& source, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// GET /ping from `source`: the answer as received, empty when the server closed unanswered.
std::string PingFrom(const std::string& source, int port) {
  const int fd = ConnectFrom(source, port);
  if (fd < 0) return "";
  const std::string request = "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
  ::close(fd);
  return reply;
}

// Review finding: refused connections counted against the server's cap while they waited to
// be answered, so one address flooding refused sockets kept everyone else out.
TEST_F(ServerTest, RefusedConnectionsHoldNoPlaceOfOtherClients) {
  ASSERT_OK(router_.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong"); }));
  ServerOptions options;
  options.max_connections = 4;
  options.max_connections_per_address = 1;
  StartServer(options);
  HttpClient first(BaseUrl());
  ASSERT_EQ(first.Get("/ping").status, 200);
  std::vector<int> silent;
  for (int i = 0; i < 20; ++i) silent.push_back(ConnectFrom("127.0.0.1", server_->port()));
  // 127.0.0.1 has its one connection and a crowd of refused ones: another client is served.
  EXPECT_TRUE(absl::StartsWith(PingFrom("127.0.0.2", server_->port()), "HTTP/1.1 200"));
  EXPECT_FALSE(absl::StartsWith(PingFrom("127.0.0.1", server_->port()), "HTTP/1.1 200"));
  EXPECT_EQ(first.Get("/ping").status, 200);
  for (int fd : silent) ::close(fd);
}

// Review finding: every refusal lingered for two seconds, even one whose request had been
// read whole, so a client that read its 429 and kept the socket open held one of the few
// places refused connections wait in, and the next refused clients were dropped unanswered.
TEST_F(ServerTest, ARefusalOfARequestReadWholeClosesAtOnce) {
  ASSERT_OK(router_.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong"); }));
  ServerOptions options;
  options.max_connections_per_address = 1;
  StartServer(options);
  HttpClient first(BaseUrl());
  ASSERT_EQ(first.Get("/ping").status, 200);
  std::vector<int> kept_open;
  // Each reads its answer and keeps the socket: twice as many as may wait to be refused.
  auto refused_and_kept = [&] {
    const int fd = ConnectFrom("127.0.0.1", server_->port());
    if (fd < 0) return false;
    kept_open.push_back(fd);
    const std::string request = "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n";
    (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string reply;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
    return absl::StartsWith(reply, "HTTP/1.1 429");
  };
  for (int i = 0; i < 16; ++i) {
    EXPECT_TRUE(testing::WaitFor(refused_and_kept, absl::Seconds(1))) << "refusal " << i;
  }
  for (int fd : kept_open) ::close(fd);
}

TEST_F(ServerTest, TakesTheClientAddressFromForwardedForOnlyFromTrustedProxies) {
  ASSERT_OK(
      router_.Add("GET", "/me", [](Request& r) { return Response::Text(200, r.remote_address); }));
  StartServer();
  HttpClient client(BaseUrl());
  // Not a trusted proxy: the header is the client's own claim and is ignored.
  EXPECT_EQ(client.Get("/me", {{"X-Forwarded-For", "203.0.113.7"}}).body, "127.0.0.1");
  server_->Shutdown(absl::Seconds(1));
  ServerOptions options;
  ASSERT_OK_AND_ASSIGN(options.trusted_proxies, TrustedProxies::Parse("127.0.0.0/8"));
  StartServer(options);
  HttpClient behind_proxy(BaseUrl());
  EXPECT_EQ(behind_proxy.Get("/me", {{"X-Forwarded-For", "6.6.6.6, ::ffff:203.0.113.7"}}).body,
            "203.0.113.7");
  EXPECT_EQ(behind_proxy.Get("/me").body, "127.0.0.1");
}

TEST_F(ServerTest, RunsEachRequestInATraceAndJoinsOnlyATrustedProxysTraceparent) {
  ASSERT_OK(router_.Add("GET", "/trace", [this](Request& r) {
    logger_.Info("handled", {{"request_id", r.request_id}});
    const trace::TraceContext* current = trace::Current();
    return Response::Text(
        200, current != nullptr && *current == r.trace ? current->trace_id : "no trace");
  }));
  const std::string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  // The lines for `request_id` (the handler's and the access log's): each trace id they name.
  auto traces_logged = [this](const std::string& request_id) {
    std::vector<std::string> traces;
    for (const auto& line : *log_lines_) {
      auto fields = nlohmann::json::parse(line);
      if (fields.value("request_id", "") == request_id) {
        traces.push_back(fields.value("trace_id", "none"));
      }
    }
    return traces;
  };

  StartServer();
  HttpClient client(BaseUrl());
  // Anyone's traceparent is their own claim: the request starts a trace of its own.
  auto own = client.Get("/trace", {{"traceparent", parent}, {"X-Request-Id", "direct-1"}});
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(trace::IsTraceId(own.body)) << own.body;
  EXPECT_NE(own.body, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(traces_logged("direct-1"), (std::vector<std::string>{own.body, own.body}));
  auto another = client.Get("/trace");
  EXPECT_TRUE(trace::IsTraceId(another.body));
  EXPECT_NE(another.body, own.body);
  server_->Shutdown(absl::Seconds(1));

  ServerOptions options;
  ASSERT_OK_AND_ASSIGN(options.trusted_proxies, TrustedProxies::Parse("127.0.0.0/8"));
  StartServer(options);
  HttpClient behind_proxy(BaseUrl());
  auto joined =
      behind_proxy.Get("/trace", {{"traceparent", parent}, {"X-Request-Id", "proxied-1"}});
  EXPECT_EQ(joined.body, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(traces_logged("proxied-1"), (std::vector<std::string>{joined.body, joined.body}));
  // A malformed one from a trusted proxy starts a new trace rather than failing the request.
  auto malformed = behind_proxy.Get("/trace", {{"traceparent", "00-zz-yy-01"}});
  EXPECT_EQ(malformed.status, 200);
  EXPECT_TRUE(trace::IsTraceId(malformed.body)) << malformed.body;
}

TEST_F(ServerTest, HandlerExceptionsBecome500WithoutDetails) {
  ASSERT_OK(router_.Add(
      "GET", "/boom", [](Request&) -> Response { throw std::runtime_error("secret internals"); }));
  StartServer();
  HttpClient client(BaseUrl());
  auto result = client.Get("/boom");
  EXPECT_EQ(result.status, 500);
  EXPECT_FALSE(absl::StrContains(result.body, "secret internals"));
  EXPECT_EQ(client.Get("/boom").status, 500);  // the connection and server survive
}

TEST_F(ServerTest, RecordsPerRouteMetrics) {
  ASSERT_OK(
      router_.Add("GET", "/v1/items/{id}", [](Request&) { return Response::Text(200, "ok"); }));
  StartServer();
  HttpClient client(BaseUrl());
  client.Get("/v1/items/1");
  client.Get("/v1/items/2");
  client.Get("/nope");
  const std::string text = metrics_.Render();
  EXPECT_TRUE(absl::StrContains(
      text, "travio_http_requests_total{method=\"GET\",route=\"/v1/items/{id}\",status=\"200\"} 2"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "travio_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
  EXPECT_TRUE(absl::StrContains(
      text,
      "travio_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/items/{id}\"} 2"));
}

TEST_F(ServerTest, RefusesToStartOnAPortInUse) {
  StartServer();
  ServerOptions options;
  options.address = "127.0.0.1:" + std::to_string(server_->port());
  auto second = Server::Start(options, router_, logger_, metrics_, ids_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(second.status().message(), options.address));
  EXPECT_TRUE(absl::StrContains(second.status().message(), "--http-addr"));
}

TEST_F(ServerTest, ShutdownFinishesRequestsInFlightAndRefusesNewOnes) {
  std::latch entered(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_OK(router_.Add("GET", "/slow", [&](Request&) {
    entered.count_down();
    released.wait();
    return Response::Text(200, "finished");
  }));
  ASSERT_OK(router_.Add("GET", "/fast", [](Request&) { return Response::Text(200, "ok"); }));
  StartServer();
  const int port = server_->port();

  auto in_flight =
      std::async(std::launch::async, [&] { return HttpClient(BaseUrl()).Get("/slow"); });
  entered.wait();
  auto shutdown = std::async(std::launch::async, [&] { server_->Shutdown(absl::Seconds(30)); });

  // New connections are refused once the listener closes.
  bool refused = false;
  for (int attempt = 0; attempt < 500 && !refused; ++attempt) {
    auto result = HttpClient("http://127.0.0.1:" + std::to_string(port)).Get("/fast");
    refused = result.status == 0;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(refused);

  release.set_value();
  const auto result = in_flight.get();
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "finished");
  EXPECT_EQ(result.headers.at("connection"), "close");
  shutdown.get();
}

// A stream that sends what it is given, records its sink and whether it was cancelled.
class ScriptedStream final : public EventStream {
 public:
  explicit ScriptedStream(std::vector<std::string> chunks, bool close)
      : chunks_(std::move(chunks)), close_(close) {}
  void Open(std::shared_ptr<StreamSink> sink) override {
    for (const std::string& chunk : chunks_) sink->Send(chunk);
    if (close_) sink->Close();
    std::lock_guard lock(mutex);
    this->sink = std::move(sink);
  }
  void Cancel() override { cancelled = true; }
  std::mutex mutex;
  std::shared_ptr<StreamSink> sink;
  std::atomic<bool> cancelled{false};

 private:
  std::vector<std::string> chunks_;
  bool close_;
};

// Routes GET /stream to `stream`, with a Content-Type when one is given.
absl::Status RouteStream(Router& router, std::shared_ptr<ScriptedStream> stream,
                         std::string content_type = "") {
  return router.Add("GET", "/stream", [stream, content_type](Request&) {
    Response response;
    if (!content_type.empty()) response.SetHeader("Content-Type", content_type);
    response.stream = stream;
    return response;
  });
}

TEST_F(ServerTest, StreamsAResponseUntilTheProducerCloses) {
  auto stream = std::make_shared<ScriptedStream>(
      std::vector<std::string>{"event: a\ndata: 1\n\n", "event: b\ndata: 2\n\n"}, true);
  ASSERT_OK(RouteStream(router_, stream, "text/event-stream"));
  StartServer();
  const std::string reply =
      RawExchange(server_->port(), "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").data;
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
  EXPECT_NE(reply.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  EXPECT_EQ(reply.find("Content-Length"), std::string::npos);
  EXPECT_NE(reply.find("\r\n\r\nevent: a\ndata: 1\n\nevent: b\ndata: 2\n\n"), std::string::npos)
      << reply;
}

// A producer that sends its next page only once the last is written, then closes or aborts.
class PagedStream final : public EventStream, public std::enable_shared_from_this<PagedStream> {
 public:
  PagedStream(int pages, bool abort) : pages_(pages), abort_(abort) {}
  void Open(std::shared_ptr<StreamSink> sink) override {
    sink_ = std::move(sink);
    Next();
  }
  void Cancel() override {}
  std::atomic<int> sent{0};

 private:
  void Next() {
    if (sent == pages_) return abort_ ? sink_->Abort() : sink_->Close();
    sink_->Send(absl::StrCat("page ", sent.fetch_add(1), "\n"));
    sink_->WhenWritten([self = shared_from_this()] { self->Next(); });
  }
  std::shared_ptr<StreamSink> sink_;
  int pages_;
  bool abort_;
};

TEST_F(ServerTest, AChunkedStreamMarksItsEndAndAnAbortedOneDoesNot) {
  auto whole = std::make_shared<PagedStream>(3, false);
  auto cut = std::make_shared<PagedStream>(2, true);
  for (auto [path, stream] : {std::pair{"/whole", whole}, std::pair{"/cut", cut}}) {
    ASSERT_OK(router_.Add("GET", path, [stream](Request&) {
      Response response;
      response.SetHeader("Content-Type", "text/csv");
      response.stream = stream;
      response.chunked = true;
      return response;
    }));
  }
  StartServer();
  const std::string reply =
      RawExchange(server_->port(), "GET /whole HTTP/1.1\r\nHost: x\r\n\r\n").data;
  EXPECT_NE(reply.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\r\n\r\n7\r\npage 0\n\r\n7\r\npage 1\n\r\n7\r\npage 2\n\r\n0\r\n\r\n"),
            std::string::npos)
      << reply;
  EXPECT_EQ(whole->sent, 3);
  const std::string aborted =
      RawExchange(server_->port(), "GET /cut HTTP/1.1\r\nHost: x\r\n\r\n").data;
  EXPECT_NE(aborted.find("7\r\npage 1\n\r\n"), std::string::npos) << aborted;
  EXPECT_EQ(aborted.find("0\r\n\r\n"), std::string::npos) << aborted;
}

TEST_F(ServerTest, AnHttp10ClientGetsAChunkedStreamAsAPlainBody) {
  auto whole = std::make_shared<PagedStream>(2, false);
  ASSERT_OK(router_.Add("GET", "/whole", [whole](Request&) {
    Response response;
    response.stream = whole;
    response.chunked = true;
    return response;
  }));
  StartServer();
  const std::string reply =
      RawExchange(server_->port(), "GET /whole HTTP/1.0\r\nHost: x\r\n\r\n").data;
  EXPECT_EQ(reply.find("Transfer-Encoding"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\r\n\r\npage 0\npage 1\n"), std::string::npos) << reply;
  EXPECT_EQ(reply.substr(reply.size() - 7), "page 1\n") << reply;
}

TEST_F(ServerTest, AHeadOnAStreamGetsTheHeadAloneAndReleasesTheStream) {
  auto stream = std::make_shared<ScriptedStream>(std::vector<std::string>{"data: 1\n\n"}, false);
  ASSERT_OK(RouteStream(router_, stream, "text/event-stream"));
  StartServer();
  // The server closes after the head: the exchange ends without waiting for its timeout.
  const auto reply =
      RawExchange(server_->port(), "HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n", absl::Seconds(30));
  EXPECT_TRUE(reply.closed_by_server);
  EXPECT_TRUE(absl::StartsWith(reply.data, "HTTP/1.1 200 OK\r\n")) << reply.data;
  EXPECT_TRUE(absl::EndsWith(reply.data, "\r\n\r\n")) << reply.data;
  EXPECT_TRUE(stream->cancelled);
  std::lock_guard lock(stream->mutex);
  EXPECT_EQ(stream->sink, nullptr);  // never opened
}

TEST_F(ServerTest, AStreamWhoseHeadCannotBeSentIsCancelledAndAnswered500) {
  auto stream = std::make_shared<ScriptedStream>(std::vector<std::string>{"data: 1\n\n"}, false);
  ASSERT_OK(RouteStream(router_, stream, "text/event-stream\nX-Injected: 1"));
  StartServer();
  // The answer is an ordinary one on a kept-alive connection: the client asks it closed, so the
  // exchange ends with the answer rather than at the wait's end.
  const auto reply =
      RawExchange(server_->port(), "GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                  absl::Seconds(30));
  EXPECT_TRUE(reply.closed_by_server);
  EXPECT_TRUE(absl::StartsWith(reply.data, "HTTP/1.1 500 ")) << reply.data;
  EXPECT_FALSE(absl::StrContains(reply.data, "X-Injected")) << reply.data;
  EXPECT_TRUE(stream->cancelled);
  std::lock_guard lock(stream->mutex);
  EXPECT_EQ(stream->sink, nullptr);
}

TEST_F(ServerTest, AStreamIsCancelledWhenTheServerDrainsAndItsSinkThenRefuses) {
  auto stream = std::make_shared<ScriptedStream>(std::vector<std::string>{"hello\n"}, false);
  ASSERT_OK(RouteStream(router_, stream));
  StartServer();
  std::thread client([&] {
    (void)RawExchange(server_->port(), "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n",
                      absl::Seconds(10));
  });
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(stream->mutex);
      if (stream->sink != nullptr) break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  server_->Shutdown(absl::Seconds(2));
  client.join();
  EXPECT_TRUE(stream->cancelled);
  std::lock_guard lock(stream->mutex);
  ASSERT_NE(stream->sink, nullptr);
  EXPECT_FALSE(stream->sink->Send("too late"));
}

TEST_F(ServerTest, AStreamEndsWhenItsClientHangsUp) {
  auto stream = std::make_shared<ScriptedStream>(std::vector<std::string>{"hello\n"}, false);
  ASSERT_OK(RouteStream(router_, stream));
  StartServer();
  // The client reads for a moment and leaves.
  const std::string seen = RawExchange(server_->port(), "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n",
                                       absl::Milliseconds(300))
                               .data;
  EXPECT_NE(seen.find("hello"), std::string::npos);
  for (int i = 0; i < 300 && !stream->cancelled; ++i) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_TRUE(stream->cancelled);
  std::lock_guard lock(stream->mutex);
  EXPECT_FALSE(stream->sink->Send("nobody listens"));
}

TEST(StaticFiles, ServesFilesAndNothingOutsideTheRoot) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "public");
  std::ofstream(dir / "public" / "index.html") << "<h1>Travio</h1>";
  std::ofstream(dir / "secret.txt") << "do not serve";
  Handler files = StaticFiles(dir / "public");

  Request index;
  index.method = "GET";
  index.path = "/";
  Response response = files(index);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<h1>Travio</h1>");
  EXPECT_EQ(response.headers.find("Content-Type")->second, "text/html; charset=utf-8");

  Request escape;
  escape.method = "GET";
  escape.path = "/../secret.txt";
  EXPECT_EQ(files(escape).status, 404);

  std::filesystem::create_symlink(dir / "secret.txt", dir / "public" / "link.txt");
  Request link;
  link.method = "GET";
  link.path = "/link.txt";
  EXPECT_EQ(files(link).status, 404);

  // Through a missing directory and "..", where only text is normalised.
  Request around;
  around.method = "GET";
  around.path = "/nope/../link.txt";
  EXPECT_EQ(files(around).status, 404);

  // A directory whose index.html links out of the root.
  std::filesystem::create_directories(dir / "public" / "docs");
  std::filesystem::create_symlink(dir / "secret.txt", dir / "public" / "docs" / "index.html");
  Request directory;
  directory.method = "GET";
  directory.path = "/docs/";
  EXPECT_EQ(files(directory).status, 404);
}

TEST(StaticFiles, AnswersAppPathsWithTheNearestAppPageButNeverApiPaths) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "dist" / "scan");
  std::filesystem::create_directories(dir / "dist" / "assets");
  std::ofstream(dir / "dist" / "index.html") << "traveller";
  std::ofstream(dir / "dist" / "scan" / "index.html") << "scanner";
  std::ofstream(dir / "dist" / "assets" / "app-1a2b.js") << "code";
  std::ofstream(dir / "outside.html") << "do not serve";
  std::filesystem::create_directories(dir / "dist" / "linked");
  std::filesystem::create_symlink(dir / "outside.html", dir / "dist" / "linked" / "index.html");
  Handler files = StaticFiles(dir / "dist",
                              {.app_fallback = true, .html_security_policy = "default-src 'self'"});
  auto get = [&](const std::string& path) {
    Request request;
    request.method = "GET";
    request.path = path;
    return files(request);
  };

  Response trip = get("/trips/01a2-b3");
  EXPECT_EQ(trip.status, 200);
  EXPECT_EQ(trip.body, "traveller");
  EXPECT_EQ(trip.headers.find("Content-Security-Policy")->second, "default-src 'self'");
  EXPECT_EQ(trip.headers.find("Cache-Control")->second, "no-cache");
  EXPECT_EQ(get("/scan/today").body, "scanner");
  EXPECT_EQ(get("/scan").body, "scanner");

  // Not pages: API paths, and files (a dot in the last segment) that do not exist.
  EXPECT_EQ(get("/v1/no-such-route").status, 404);
  EXPECT_EQ(get("/.well-known/nothing").status, 404);
  EXPECT_EQ(get("/assets/missing-9z.js").status, 404);
  // An index.html that links out of the root is no page, neither asked for nor as a fallback.
  EXPECT_EQ(get("/linked/").body, "traveller");
  EXPECT_EQ(get("/linked/deeper").body, "traveller");
  EXPECT_EQ(get("/../outside").status, 404);
  EXPECT_EQ(get("/missing/../linked/index.html").status, 404);
  EXPECT_EQ(get("/missing/../linked/index.html").body.find("do not serve"), std::string::npos);

  // A precompressed copy goes to clients that take gzip, and only to them.
  std::ofstream(dir / "dist" / "assets" / "app-1a2b.js.gz") << "gzipped code";
  Request gzip_request;
  gzip_request.method = "GET";
  gzip_request.path = "/assets/app-1a2b.js";
  gzip_request.headers.emplace("Accept-Encoding", "br, gzip;q=0.8");
  Response compressed = files(gzip_request);
  EXPECT_EQ(compressed.body, "gzipped code");
  EXPECT_EQ(compressed.headers.find("Content-Encoding")->second, "gzip");
  EXPECT_EQ(compressed.headers.find("Content-Type")->second, "text/javascript; charset=utf-8");
  gzip_request.headers.clear();
  gzip_request.headers.emplace("accept-encoding", "gzip;q=0, identity");
  EXPECT_EQ(files(gzip_request).body, "code");
  EXPECT_EQ(files(gzip_request).headers.count("Content-Encoding"), 0u);
  EXPECT_EQ(files(gzip_request).headers.find("Vary")->second, "Accept-Encoding");

  Response asset = get("/assets/app-1a2b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.headers.find("Cache-Control")->second, "public, max-age=31536000, immutable");
  EXPECT_EQ(asset.headers.count("Content-Security-Policy"), 0u);
}

}  // namespace
}  // namespace travio::http
