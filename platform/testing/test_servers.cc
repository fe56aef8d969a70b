#include "platform/testing/test_servers.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/base/status_macros.h"
#include "platform/testing/free_port.h"

namespace travio::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kStateFile[] = "servers.env";

absl::Status Run(const std::string& command) {
  const int rc = std::system(command.c_str());
  if (rc != 0) return absl::InternalError(absl::StrCat("command failed (", rc, "): ", command));
  return absl::OkStatus();
}

std::string Quote(const std::string& text) { return "'" + text + "'"; }

// Debian installs the server binaries per major version; take the newest.
absl::StatusOr<fs::path> PostgresBinDir() {
  fs::path best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(entry.path() / "bin" / "initdb") && entry.path() > best) best = entry.path();
  }
  if (best.empty()) {
    return absl::FailedPreconditionError(
        "PostgreSQL server not installed (/usr/lib/postgresql/*/bin/initdb); run "
        "scripts/bootstrap");
  }
  return best / "bin";
}

// initdb refuses to run as root, so as root the server runs as the postgres user.
std::string AsPostgres(const std::string& command) {
  if (::geteuid() != 0) return command;
  return "runuser -u postgres -- " + command;
}

absl::StatusOr<std::map<std::string, std::string>> ReadState(const fs::path& state_dir) {
  std::ifstream in(state_dir / kStateFile);
  if (!in) return absl::NotFoundError(absl::StrCat("no ", (state_dir / kStateFile).string()));
  std::map<std::string, std::string> state;
  std::string line;
  while (std::getline(in, line)) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (!kv.first.empty()) state[kv.first] = kv.second;
  }
  return state;
}

absl::Status StartPostgres(const fs::path& state_dir, std::map<std::string, std::string>& state) {
  auto bin = PostgresBinDir();
  if (!bin.ok()) return bin.status();
  // Under /tmp rather than the build tree: the postgres user must be able to reach it.
  std::string data = "/tmp/travio-pg-XXXXXX";
  if (::mkdtemp(data.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  state["POSTGRES_DATA"] = data;
  const std::string log = (state_dir / "postgres-setup.log").string();
  if (::geteuid() == 0) {
    auto status = Run("chown postgres: " + Quote(data));
    if (!status.ok()) return status;
  }
  auto status = Run(AsPostgres((*bin / "initdb").string() + " -D " + Quote(data) +
                               " -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8") +
                    " >" + Quote(log) + " 2>&1");
  if (!status.ok()) return absl::InternalError(status.message().data() + (" (see " + log + ")"));
  // The port may be taken between FreePort() and the server's bind; try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = FreePort();
    status = Run(AsPostgres((*bin / "pg_ctl").string() + " -D " + Quote(data) + " -w -t 30 -l " +
                            Quote(data + "/server.log") + " -o \"-p " + std::to_string(port) +
                            " -c listen_addresses=127.0.0.1 -k " + data +
                            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                            " -c max_connections=300\" start") +
                 " >>" + Quote(log) + " 2>&1");
    if (status.ok()) {
      state["POSTGRES_PORT"] = std::to_string(port);
      state["POSTGRES_BIN"] = bin->string();
      return absl::OkStatus();
    }
  }
  return absl::InternalError("PostgreSQL did not start; see " + data + "/server.log");
}

absl::Status StartRedis(const fs::path& state_dir, std::map<std::string, std::string>& state) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = FreePort();
    const std::string dir = state_dir.string();
    auto status = Run("redis-server --port " + std::to_string(port) +
                      " --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile " +
                      Quote(dir + "/redis.pid") + " --dir " + Quote(dir) + " --logfile " +
                      Quote(dir + "/redis.log"));
    if (!status.ok()) return status;
    for (int i = 0; i < 200; ++i) {
      if (Run("redis-cli -h 127.0.0.1 -p " + std::to_string(port) + " ping >/dev/null 2>&1").ok()) {
        state["REDIS_PORT"] = std::to_string(port);
        return absl::OkStatus();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return absl::InternalError("Redis did not start; see " + (state_dir / "redis.log").string());
}

// Cluster nodes also listen on port + 10000 (the cluster bus), so both must be free and at most
// 65535.
int FreeClusterPort() {
  static std::mt19937 random(std::random_device{}());
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = 20000 + static_cast<int>(random() % 35000);
    if (PortIsFree(port) && PortIsFree(port + 10000)) return port;
  }
  return FreePort();  // cannot happen on a sane machine; redis-server will then fail loudly
}

absl::Status StartRedisCluster(const fs::path& state_dir,
                               std::map<std::string, std::string>& state) {
  const std::string dir = (state_dir / "redis-cluster").string();
  std::error_code ec;
  // A node's cluster file from an earlier run on the same port would make it remember that
  // run's cluster ("Node ... is not empty"): each run starts from nothing.
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  std::vector<std::string> ports;
  std::string nodes;
  for (int i = 0; i < 3; ++i) {
    const std::string port = std::to_string(FreeClusterPort());
    auto status = Run("redis-server --port " + port +
                      " --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file " +
                      Quote(dir + "/nodes-" + port + ".conf") +
                      " --cluster-node-timeout 2000 --save '' --appendonly no --daemonize yes"
                      " --pidfile " +
                      Quote(dir + "/" + port + ".pid") + " --dir " + Quote(dir) + " --logfile " +
                      Quote(dir + "/" + port + ".log"));
    if (!status.ok()) return status;
    ports.push_back(port);
    nodes += " 127.0.0.1:" + port;
  }
  state["REDIS_CLUSTER_PORTS"] = absl::StrJoin(ports, ",");
  for (const std::string& port : ports) {
    bool up = false;
    for (int i = 0; i < 300 && !up; ++i) {
      up = Run("redis-cli -h 127.0.0.1 -p " + port + " ping >/dev/null 2>&1").ok();
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!up) return absl::InternalError("a Redis Cluster node did not start; see " + dir);
  }
  auto status = Run("redis-cli --cluster create" + nodes + " --cluster-yes >" +
                    Quote(dir + "/create.log") + " 2>&1");
  if (!status.ok()) return status;
  for (const std::string& port : ports) {
    bool ok = false;
    for (int i = 0; i < 500 && !ok; ++i) {
      ok = Run("redis-cli -h 127.0.0.1 -p " + port +
               " cluster info 2>/dev/null | grep -q cluster_state:ok")
               .ok();
      if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!ok) return absl::InternalError("the Redis Cluster did not become ready; see " + dir);
  }
  return absl::OkStatus();
}

// The broker's environment: everything (data, logs, cookie, Erlang ports) moved into `dir`
// and onto loopback, so a run never meets another broker or leaves anything behind.
std::string RabbitEnvironment(const std::map<std::string, std::string>& state) {
  const std::string dir = state.at("RABBITMQ_DIR");
  const std::string loopback = "'-kernel inet_dist_use_interface {127,0,0,1}'";
  return absl::StrCat(
      "env HOME=", Quote(dir + "/home"), " RABBITMQ_NODENAME=", state.at("RABBITMQ_NODE"),
      " RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=", state.at("RABBITMQ_PORT"),
      " RABBITMQ_DIST_PORT=", state.at("RABBITMQ_DIST_PORT"),
      " ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=", state.at("RABBITMQ_EPMD_PORT"),
      " RABBITMQ_MNESIA_BASE=", Quote(dir + "/mnesia"), " RABBITMQ_LOG_BASE=", Quote(dir + "/log"),
      " RABBITMQ_ENABLED_PLUGINS_FILE=", Quote(dir + "/enabled_plugins"),
      " RABBITMQ_PID_FILE=", Quote(dir + "/rabbitmq.pid"),
      " RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=", loopback, " RABBITMQ_CTL_ERL_ARGS=", loopback);
}

std::string AsRabbit(const std::string& command) {
  if (::geteuid() != 0) return command;
  return "runuser -u rabbitmq -- " + command;
}

// Launches the broker in the background (it takes seconds); WaitForRabbitMq waits for it.
absl::Status LaunchRabbitMq(std::map<std::string, std::string>& state) {
  std::string dir = "/tmp/travio-rabbitmq-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  state["RABBITMQ_DIR"] = dir;
  std::error_code ec;
  for (const char* sub : {"/home", "/mnesia", "/log"}) fs::create_directories(dir + sub, ec);
  {
    std::ofstream cookie(dir + "/home/.erlang.cookie");
    std::random_device random;
    for (int i = 0; i < 32; ++i) cookie << static_cast<char>('A' + random() % 26);
  }
  fs::permissions(dir + "/home/.erlang.cookie", fs::perms::owner_read, ec);
  std::ofstream(dir + "/enabled_plugins") << "[].\n";
  if (::geteuid() == 0) TRAVIO_RETURN_IF_ERROR(Run("chown -R rabbitmq: " + Quote(dir)));
  state["RABBITMQ_NODE"] = absl::StrCat("travio", ::getpid(), "@localhost");
  state["RABBITMQ_PORT"] = std::to_string(FreePort());
  state["RABBITMQ_DIST_PORT"] = std::to_string(FreePort());
  state["RABBITMQ_EPMD_PORT"] = std::to_string(FreePort());
  return Run(RabbitEnvironment(state) + " setsid " +
             AsRabbit("/usr/lib/rabbitmq/bin/rabbitmq-server") + " >" + Quote(dir + "/out.log") +
             " 2>&1 </dev/null &");
}

absl::Status WaitForRabbitMq(const std::map<std::string, std::string>& state) {
  int port = 0;
  if (!absl::SimpleAtoi(state.at("RABBITMQ_PORT"), &port)) return absl::InternalError("port");
  for (int i = 0; i < 600; ++i) {  // 60 s: it starts in about 6 s on two cores
    if (PortAccepts(port)) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::InternalError("RabbitMQ did not start; see " + state.at("RABBITMQ_DIR") +
                             "/out.log");
}

void StopRabbitMq(const std::map<std::string, std::string>& state) {
  if (!state.count("RABBITMQ_DIR")) return;
  if (state.count("RABBITMQ_PORT")) {
    const std::string environment = RabbitEnvironment(state);
    (void)Run(environment + " " + AsRabbit("/usr/lib/rabbitmq/bin/rabbitmqctl stop") +
              " >/dev/null 2>&1");
    // The Erlang port mapper it started outlives the broker.
    (void)Run(environment + " " + AsRabbit("epmd -kill") + " >/dev/null 2>&1");
  }
  std::error_code ignored;
  fs::remove_all(state.at("RABBITMQ_DIR"), ignored);
}

// The S3 stand-in: npm's s3rver (installed by scripts/bootstrap into tests/support/s3), its
// objects under `state_dir`/s3. It checks every request's AWS Signature V4.
absl::Status StartS3(const fs::path& state_dir, std::map<std::string, std::string>& state) {
  const fs::path program = fs::path(TRAVIO_S3_SERVER);
  if (!fs::exists(program)) {
    return absl::FailedPreconditionError("the S3 test server is not installed (" +
                                         program.string() + "); run scripts/bootstrap");
  }
  const std::string dir = (state_dir / "s3").string();
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::string port = std::to_string(FreePort());
    TRAVIO_RETURN_IF_ERROR(Run("setsid node " + Quote(program.string()) + " -d " + Quote(dir) +
                               " -p " + port + " -a 127.0.0.1 --silent --configure-bucket " +
                               "travio-tickets >" + Quote(dir + ".log") + " 2>&1 & echo $! >" +
                               Quote(dir + ".pid")));
    for (int i = 0; i < 300; ++i) {
      if (Run("curl -sf -o /dev/null http://127.0.0.1:" + port + "/travio-tickets").ok()) {
        state["S3_PORT"] = port;
        state["S3_PID_FILE"] = dir + ".pid";
        return absl::OkStatus();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    (void)Run("kill $(cat " + Quote(dir + ".pid") + ") 2>/dev/null");
  }
  return absl::InternalError("the S3 test server did not start; see " + dir + ".log");
}

// Owns servers started by this process for a test binary run outside CTest.
class OwnServers {
 public:
  OwnServers() {
    char pattern[] = "/tmp/travio-servers-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    auto endpoints = StartTestServers(dir_);
    if (!endpoints.ok()) throw std::runtime_error(std::string(endpoints.status().message()));
    endpoints_ = *endpoints;
  }
  ~OwnServers() {
    (void)StopTestServers(dir_);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const ServerEndpoints& endpoints() const { return endpoints_; }

 private:
  fs::path dir_;
  ServerEndpoints endpoints_;
};

}  // namespace

absl::StatusOr<ServerEndpoints> StartTestServers(const fs::path& state_dir) {
  std::error_code ec;
  fs::create_directories(state_dir, ec);
  // Servers left behind by an interrupted run would otherwise keep running forever.
  if (fs::exists(state_dir / kStateFile)) (void)StopTestServers(state_dir);
  std::map<std::string, std::string> state;
  // The broker is the slowest to start: launched first, waited for last.
  auto status = LaunchRabbitMq(state);
  if (status.ok()) status = StartPostgres(state_dir, state);
  if (status.ok()) status = StartRedis(state_dir, state);
  if (status.ok()) status = StartRedisCluster(state_dir, state);
  if (status.ok()) status = StartS3(state_dir, state);
  if (status.ok()) status = WaitForRabbitMq(state);
  {
    std::ofstream out(state_dir / kStateFile, std::ios::trunc);
    for (const auto& [key, value] : state) out << key << '=' << value << '\n';
  }
  if (!status.ok()) {
    (void)StopTestServers(state_dir);
    return status;
  }
  return ReadTestServers(state_dir);
}

absl::Status StopTestServers(const fs::path& state_dir) {
  auto state = ReadState(state_dir);
  if (!state.ok()) return state.status();
  absl::Status result;
  if (state->count("REDIS_PORT")) {
    auto status = Run("redis-cli -h 127.0.0.1 -p " + (*state)["REDIS_PORT"] +
                      " shutdown nosave >/dev/null 2>&1");
    if (!status.ok()) result = status;
  }
  StopRabbitMq(*state);
  if (state->count("S3_PID_FILE")) {
    (void)Run("kill $(cat " + Quote((*state)["S3_PID_FILE"]) + ") 2>/dev/null");
  }
  if (state->count("REDIS_CLUSTER_PORTS")) {
    for (absl::string_view port : absl::StrSplit((*state)["REDIS_CLUSTER_PORTS"], ',')) {
      (void)Run(
          absl::StrCat("redis-cli -h 127.0.0.1 -p ", port, " shutdown nosave >/dev/null 2>&1"));
    }
  }
  if (state->count("POSTGRES_DATA")) {
    const std::string data = (*state)["POSTGRES_DATA"];
    if (state->count("POSTGRES_PORT")) {
      auto status = Run(AsPostgres((*state)["POSTGRES_BIN"] + "/pg_ctl -D " + Quote(data) +
                                   " -m immediate -w stop") +
                        " >/dev/null 2>&1");
      if (!status.ok()) result = status;
    }
    std::error_code ignored;
    fs::remove_all(data, ignored);
  }
  fs::remove(state_dir / kStateFile);
  return result;
}

absl::StatusOr<ServerEndpoints> ReadTestServers(const fs::path& state_dir) {
  auto state = ReadState(state_dir);
  if (!state.ok()) return state.status();
  ServerEndpoints endpoints;
  endpoints.postgres_dsn =
      "postgresql://postgres@127.0.0.1:" + (*state)["POSTGRES_PORT"] + "/postgres";
  endpoints.redis_host = "127.0.0.1";
  if (!absl::SimpleAtoi((*state)["REDIS_PORT"], &endpoints.redis_port)) {
    return absl::DataLossError("servers.env has no REDIS_PORT");
  }
  for (absl::string_view port :
       absl::StrSplit((*state)["REDIS_CLUSTER_PORTS"], ',', absl::SkipEmpty())) {
    int number = 0;
    if (!absl::SimpleAtoi(port, &number)) return absl::DataLossError("bad REDIS_CLUSTER_PORTS");
    endpoints.redis_cluster_ports.push_back(number);
  }
  if (!absl::SimpleAtoi((*state)["RABBITMQ_PORT"], &endpoints.rabbitmq_port)) {
    return absl::DataLossError("servers.env has no RABBITMQ_PORT");
  }
  if (!absl::SimpleAtoi((*state)["S3_PORT"], &endpoints.s3_port)) {
    return absl::DataLossError("servers.env has no S3_PORT");
  }
  return endpoints;
}

const ServerEndpoints& SharedTestServers() {
  // Function-local statics: test-support only, so that a test binary starts its servers at most
  // once and stops them at exit.
  static const ServerEndpoints* const endpoints = []() -> const ServerEndpoints* {
    const char* file = std::getenv("TRAVIO_TEST_SERVERS_FILE");
    if (file != nullptr) {
      auto shared = ReadTestServers(fs::path(file).parent_path());
      if (shared.ok()) return new ServerEndpoints(*shared);
    }
    static OwnServers own;
    return &own.endpoints();
  }();
  return *endpoints;
}

namespace {

absl::Status ExecuteAdmin(const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(
      PQconnectdb(SharedTestServers().postgres_dsn.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError(PQerrorMessage(connection.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()),
                                                       &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return absl::InternalError(PQresultErrorMessage(result.get()));
  }
  return absl::OkStatus();
}

}  // namespace

ScratchPostgresDatabase::ScratchPostgresDatabase() {
  static std::atomic<int> counter{0};
  std::random_device random;
  name_ = absl::StrCat("scratch_", ::getpid(), "_", counter++, "_", random() % 1000000);
  auto status = ExecuteAdmin("CREATE DATABASE " + name_);
  if (!status.ok()) throw std::runtime_error(std::string(status.message()));
  const std::string& admin = SharedTestServers().postgres_dsn;
  dsn_ = admin.substr(0, admin.rfind('/') + 1) + name_;
}

ScratchPostgresDatabase::~ScratchPostgresDatabase() {
  (void)ExecuteAdmin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace travio::testing
