#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace travio::testing {

/// Where the real servers of a test run listen. Loopback only.
struct ServerEndpoints {
  std::string postgres_dsn;  // superuser DSN to the "postgres" database
  std::string redis_host;
  int redis_port = 0;
  /// The three masters of a Redis Cluster (on redis_host), for the cluster contract runs.
  std::vector<int> redis_cluster_ports;
  /// RabbitMQ's AMQP port on 127.0.0.1 (user guest, vhost /).
  int rabbitmq_port = 0;
  /// An S3-compatible server (npm's s3rver, tests/support/s3) on 127.0.0.1: path-style
  /// requests signed with AWS Signature V4 by the access key and secret below.
  int s3_port = 0;
  std::string s3_access_key = "S3RVER";
  std::string s3_secret_key = "S3RVER";
};

/// Starts a throwaway PostgreSQL (initdb into a temporary directory, no fsync), a Redis (no
/// persistence), a Redis Cluster of three masters, a RabbitMQ broker and an S3 server on free
/// loopback ports, recording what it started in `state_dir`.
absl::StatusOr<ServerEndpoints> StartTestServers(const std::filesystem::path& state_dir);

/// Stops what StartTestServers recorded in `state_dir` and deletes the PostgreSQL data.
absl::Status StopTestServers(const std::filesystem::path& state_dir);

/// Reads the endpoints StartTestServers recorded.
absl::StatusOr<ServerEndpoints> ReadTestServers(const std::filesystem::path& state_dir);

/// The servers of this test run. Under CTest they were started once for the whole run by the
/// `test_servers` fixture, which names its state file in TRAVIO_TEST_SERVERS_FILE; a test binary
/// run by hand starts its own on first use and stops them when it exits.
const ServerEndpoints& SharedTestServers();

/// A new empty PostgreSQL database on the shared server, dropped on destruction, so tests
/// never see each other's tables.
class ScratchPostgresDatabase {
 public:
  ScratchPostgresDatabase();
  ~ScratchPostgresDatabase();
  ScratchPostgresDatabase(const ScratchPostgresDatabase&) = delete;
  ScratchPostgresDatabase& operator=(const ScratchPostgresDatabase&) = delete;

  const std::string& dsn() const { return dsn_; }

 private:
  std::string name_;
  std::string dsn_;
};

}  // namespace travio::testing
