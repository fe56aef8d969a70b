#pragma once

// A raw HTTP connection that reads a server-sent event stream as it arrives.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace travio::e2e {

// One raw HTTP connection reading a server-sent event stream as it arrives.
class StreamReader {
 public:
  StreamReader(const std::string& base_url, const std::string& path,
               const std::string& extra_headers = "") {
    const int port = std::stoi(base_url.substr(base_url.rfind(':') + 1));
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
      const std::string request =
          "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + "\r\n";
      (void)!::write(fd_, request.data(), request.size());
    }
  }
  ~StreamReader() { ::close(fd_); }
  // Everything received once `needle` arrived, or what came within `wait`.
  const std::string& ReadUntil(const std::string& needle, absl::Duration wait = absl::Seconds(10)) {
    const absl::Time deadline = absl::Now() + wait;
    while (received_.find(needle) == std::string::npos && absl::Now() < deadline) {
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fd_, buffer, sizeof(buffer));
      if (n <= 0) break;
      received_.append(buffer, static_cast<size_t>(n));
    }
    return received_;
  }

 private:
  int fd_ = -1;
  std::string received_;
};

}  // namespace travio::e2e
