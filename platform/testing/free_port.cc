#include "platform/testing/free_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

namespace travio::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

}  // namespace

namespace {

// Holds the port for this process's lifetime: an flock on /tmp/travio-test-ports/<port>.lock,
// which the kernel releases when the process exits however it ends. Test processes running
// side by side each hold the ports they handed out, so none hands out another's. False when
// another process holds it.
bool Reserve(int port) {
  static const std::string directory = [] {
    const std::string path = "/tmp/travio-test-ports";
    ::mkdir(path.c_str(), 0777);
    return path;
  }();
  const std::string lock = directory + "/" + std::to_string(port) + ".lock";
  const int fd = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0) return true;  // no locks to be had: the bind check alone decides
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return false;
  }
  return true;  // the descriptor stays open (and the lock held) until the process exits
}

}  // namespace

int FreePort() {
  // Below the kernel's ephemeral range (32768 and up), so that no outgoing connection of a test
  // takes the port between now and when the server binds it; random, and reserved (Reserve), so
  // that tests running side by side never hand out the same one. A server that still finds its
  // port taken says so, and the harness starts it again elsewhere (TravioProcess::Start).
  static std::atomic<uint64_t> sequence{0};
  std::mt19937_64 random(std::random_device{}() ^ (static_cast<uint64_t>(::getpid()) << 20) ^
                         sequence++);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const int port = 20000 + static_cast<int>(random() % 12000);
    if (PortIsFree(port) && Reserve(port)) return port;
  }
  throw std::runtime_error("no free loopback port between 20000 and 32000");
}

bool PortIsFree(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  const sockaddr_in address = Loopback(port);
  const bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return free;
}

bool PortAccepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  const sockaddr_in address = Loopback(port);
  const bool accepted =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return accepted;
}

}  // namespace travio::testing
