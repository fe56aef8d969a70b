// travio_test_servers start|stop DIR: the CTest fixture that gives a whole test run one
// PostgreSQL and one Redis.
#include <iostream>
#include <string>

#include "platform/testing/test_servers.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: travio_test_servers start|stop DIR\n";
    return 2;
  }
  const std::string verb = argv[1];
  if (verb == "start") {
    auto endpoints = travio::testing::StartTestServers(argv[2]);
    if (!endpoints.ok()) {
      std::cerr << endpoints.status() << '\n';
      return 1;
    }
    std::cout << "PostgreSQL " << endpoints->postgres_dsn << "\nRedis " << endpoints->redis_host
              << ':' << endpoints->redis_port << '\n';
    return 0;
  }
  if (verb == "stop") {
    auto status = travio::testing::StopTestServers(argv[2]);
    if (!status.ok()) std::cerr << status << '\n';
    return status.ok() ? 0 : 1;
  }
  std::cerr << "unknown command " << verb << '\n';
  return 2;
}
