#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"

namespace travio::testing {

struct HttpResult {
  long status = 0;                             // 0 when the request failed at the transport level
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;  // transport error, when status is 0
};

/// A blocking HTTP/1.1 client (libcurl) for tests. One client keeps one connection alive across
/// requests, like a browser tab.
class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Send(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {});
  HttpResult Get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    return Send("GET", path, "", headers);
  }
  HttpResult PostJson(const std::string& path, const std::string& json,
                      std::map<std::string, std::string> headers = {}) {
    headers.emplace("Content-Type", "application/json");
    return Send("POST", path, json, headers);
  }
  /// Connections opened so far (1 while keep-alive holds).
  long connections_opened() const { return connections_opened_; }

 private:
  std::string base_url_;
  void* curl_;
  long connections_opened_ = 0;
};

struct RawReply {
  std::string data;
  bool closed_by_server = false;  // false when `wait` ran out first
};

/// Sends raw bytes to 127.0.0.1:`port` and returns everything the server sends back until it
/// closes the connection or `wait` passes. For requests no well-behaved client would send.
RawReply RawExchange(int port, const std::string& bytes, absl::Duration wait = absl::Seconds(5));

}  // namespace travio::testing
