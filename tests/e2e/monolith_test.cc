// The monolith as a user runs it: the built binary on free ports, talked to over HTTP.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/db/database.h"
#include "platform/testing/command.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/free_port.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "platform/testing/travio_process.h"

namespace travio {
namespace {

using testing::HttpClient;
using testing::TravioProcess;

// Runs the binary to completion and returns {exit code, combined output}.
std::pair<int, std::string> RunTravio(const std::string& args, const std::string& env = "") {
  return testing::RunCommand(env + " " + testing::TravioBinary() + " " + args + " 2>&1");
}

class MonolithTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(travio_.Start()) << travio_.Log(); }
  TravioProcess travio_{{.on_bad_exit = testing::FailTheTest}};
};

TEST_F(MonolithTest, AnswersHealthAndReadinessForEveryModule) {
  HttpClient client(travio_.base_url());
  auto health = client.Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "ok");

  auto ready = client.Get("/readyz");
  ASSERT_EQ(ready.status, 200);
  const auto modules = nlohmann::json::parse(ready.body)["modules"];
  for (const std::string name : {"gateway", "identity", "operator", "catalog", "search",
                                 "inventory", "queue", "pricing", "order", "payment", "fulfillment",
                                 "notification", "fraud", "reporting", "audit", "subscription"}) {
    EXPECT_EQ(modules[name], "ready") << name;
  }
}

TEST_F(MonolithTest, VersionIsAnsweredByIdentityInThisProcess) {
  HttpClient client(travio_.base_url());
  auto version = client.Get("/v1/version");
  ASSERT_EQ(version.status, 200) << version.body;
  const auto body = nlohmann::json::parse(version.body);
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  // One process: identity's instance is the gateway's own.
  EXPECT_EQ(body["services"]["identity"]["instance_id"], body["instance_id"]);
}

TEST_F(MonolithTest, ServesPrometheusMetricsPerRoute) {
  HttpClient client(travio_.base_url());
  client.Get("/v1/version");
  auto metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_TRUE(absl::StartsWith(metrics.headers["content-type"], "text/plain"));
  EXPECT_TRUE(absl::StrContains(
      metrics.body,
      "travio_http_requests_total{method=\"GET\",route=\"/v1/version\",status=\"200\"} 1"))
      << metrics.body;
  EXPECT_TRUE(absl::StrContains(metrics.body, "travio_http_request_duration_seconds_bucket"));
  EXPECT_TRUE(absl::StrContains(metrics.body, "process_resident_memory_bytes"));
}

TEST_F(MonolithTest, UnknownRoutesGetProblemsWithRequestIds) {
  HttpClient client(travio_.base_url());
  auto missing = client.Get("/v1/nothing-here", {{"X-Request-Id", "trace-me-1"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers["content-type"], "application/problem+json");
  EXPECT_EQ(missing.headers["x-request-id"], "trace-me-1");
  const auto problem = nlohmann::json::parse(missing.body);
  EXPECT_EQ(problem["status"], 404);
  EXPECT_EQ(problem["code"], "route_not_found");
  auto wrong_method = client.Send("DELETE", "/v1/version");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers["allow"], "GET");
}

TEST_F(MonolithTest, StopsCleanlyOnSigterm) {
  EXPECT_EQ(travio_.Stop(), 0);
  EXPECT_TRUE(
      absl::StrContains(travio_.Log(), "\"msg\":\"stopped module\",\"module\":\"identity\""));
  EXPECT_TRUE(absl::StrContains(travio_.Log(), "\"msg\":\"stopped\""));
}

// With an admin listener, what tells about the process's insides (metrics, readiness) is
// answered there alone, out of the public's reach; /healthz stays on both for load balancers.
TEST(MonolithStartup, AnAdminListenerTakesMetricsAndReadinessOffThePublicPort) {
  const int admin_port = testing::FreePort();
  TravioProcess travio(
      {.environment = {{"TRAVIO_HTTP_ADMIN_ADDR", "127.0.0.1:" + std::to_string(admin_port)}},
       .on_bad_exit = testing::FailTheTest});
  ASSERT_OK(travio.Start()) << travio.Log();
  HttpClient public_port(travio.base_url());
  HttpClient admin("http://127.0.0.1:" + std::to_string(admin_port));
  public_port.Get("/v1/version");
  // Not found, rather than the web app's page (a 200 any probe would take for success).
  EXPECT_EQ(public_port.Get("/metrics").status, 404);
  // Load balancers keep their readiness probe there: ready or not, and nothing more.
  const auto public_ready = public_port.Get("/readyz");
  EXPECT_EQ(public_ready.status, 200);
  EXPECT_EQ(nlohmann::json::parse(public_ready.body), nlohmann::json({{"status", "ready"}}));
  EXPECT_EQ(public_port.Get("/healthz").status, 200);
  const auto metrics = admin.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  // The public listener's requests, counted once (the admin listener's are not mixed in).
  EXPECT_TRUE(absl::StrContains(
      metrics.body,
      "travio_http_requests_total{method=\"GET\",route=\"/v1/version\",status=\"200\"} 1"))
      << metrics.body;
  // (The admin listener's own scrapes are not among them: only the public 404 is.)
  EXPECT_EQ(metrics.body.find("route=\"/metrics\",status=\"200\""), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"/metrics\",status=\"404\""), std::string::npos)
      << metrics.body;
  size_t families = 0;
  for (size_t at = 0;
       (at = metrics.body.find("# TYPE travio_http_requests_total ", at)) != std::string::npos;
       ++at) {
    ++families;
  }
  EXPECT_EQ(families, 1u);
  const auto ready = admin.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ready.body)["modules"]["order"], "ready");
  EXPECT_EQ(admin.Get("/v1/version").status, 404);  // the public API is not here
}

TEST(MonolithStartup, RefusesAPortInUseAndSaysWhatToDo) {
  TravioProcess first({.on_bad_exit = testing::FailTheTest});
  ASSERT_OK(first.Start()) << first.Log();
  testing::TempDir own_data;
  auto [code, output] = RunTravio("serve --data-dir " + own_data.path().string() +
                                  " --http-addr 127.0.0.1:" + std::to_string(first.http_port()));
  EXPECT_NE(code, 0);
  EXPECT_TRUE(absl::StrContains(output, "Address already in use")) << output;
  EXPECT_TRUE(absl::StrContains(output, "--http-addr")) << output;
}

// Two monoliths on one data directory would each keep their own seat ledger in memory and sell
// the same seats: the second refuses to start.
TEST(MonolithStartup, RefusesADataDirectoryAnotherProcessServes) {
  TravioProcess first({.on_bad_exit = testing::FailTheTest});
  ASSERT_OK(first.Start()) << first.Log();
  // Bounded: a second process that did start would serve until stopped.
  auto [code, output] = testing::RunCommand(
      "timeout 30 " + testing::TravioBinary() + " serve --data-dir " + first.data_dir().string() +
      " --http-addr 127.0.0.1:" + std::to_string(testing::FreePort()) + " 2>&1");
  EXPECT_EQ(code, 1) << output;
  EXPECT_TRUE(absl::StrContains(output, "in use by another process")) << output;
  // The first is untouched and still serves.
  EXPECT_EQ(HttpClient(first.base_url()).Get("/readyz").status, 200);
}

TEST(MonolithStartup, RejectsUnknownConfigurationWithTheKeyNamed) {
  testing::TempDir dir;
  auto [env_code, env_output] =
      RunTravio("serve --data-dir " + dir.path().string(), "TRAVIO_HTTP_ADR=127.0.0.1:1");
  EXPECT_EQ(env_code, 1);
  EXPECT_TRUE(absl::StrContains(env_output, "TRAVIO_HTTP_ADR")) << env_output;

  const std::string file = (dir / "travio.yaml").string();
  std::FILE* out = std::fopen(file.c_str(), "w");
  std::fputs("http:\n  max_body_byte: 10\n", out);
  std::fclose(out);
  auto [file_code, file_output] = RunTravio("serve --config " + file);
  EXPECT_EQ(file_code, 1);
  EXPECT_TRUE(absl::StrContains(file_output, "did you mean http.max_body_bytes?")) << file_output;

  auto [target_code, target_output] = RunTravio("serve --target=ticketing");
  EXPECT_EQ(target_code, 1);
  EXPECT_TRUE(absl::StrContains(target_output, "unknown target \"ticketing\"")) << target_output;
}

TEST(MonolithStartup, RefusesSeatStreamsThatCouldTakeEveryConnection) {
  testing::TempDir dir;
  auto [code, output] =
      RunTravio("serve --data-dir " + dir.path().string(), "TRAVIO_GATEWAY_STREAMS_TOTAL=10000");
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StrContains(output, "gateway.streams_total must be below http.max_connections"))
      << output;
}

TEST(MonolithStartup, RefusesAnEmailHoldShorterThanTwoSends) {
  testing::TempDir dir;
  auto [code, output] =
      RunTravio("serve --data-dir " + dir.path().string(),
                "TRAVIO_NOTIFICATION_LEASE=20s TRAVIO_NOTIFICATION_SMTP_TIMEOUT=30s");
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StrContains(output, "notification.lease (20s) must be at least twice"))
      << output;
}

TEST(MonolithCommands, ConfigPrintRedactsSecrets) {
  auto [code, output] =
      RunTravio("config print", "TRAVIO_POSTGRES_DSN=postgresql://travio:s3cret-pw@db/travio");
  EXPECT_EQ(code, 0);
  EXPECT_FALSE(absl::StrContains(output, "s3cret-pw")) << output;
  EXPECT_TRUE(absl::StrContains(output, "dsn: \"<redacted>\"  # from env TRAVIO_POSTGRES_DSN"));
  EXPECT_TRUE(absl::StrContains(output, "addr: \"127.0.0.1:8080\""));
}

TEST(MonolithCommands, ShippedConfigFilesAreValidAndCurrent) {
  const std::string configs = std::string(TRAVIO_SOURCE_DIR) + "/configs/";
  for (const std::string file :
       {"monolith.yaml", "microservices/identity.yaml", "microservices/gateway.yaml",
        "microservices/notification.yaml", "microservices/operator.yaml",
        "microservices/catalog.yaml", "microservices/subscription.yaml",
        "microservices/inventory.yaml", "microservices/search.yaml", "microservices/payment.yaml",
        "microservices/order.yaml", "microservices/queue.yaml", "microservices/pricing.yaml",
        "microservices/fulfillment.yaml", "microservices/fraud.yaml", "microservices/audit.yaml"}) {
    auto [code, output] = RunTravio("config print --config " + configs + file);
    EXPECT_EQ(code, 0) << file << ": " << output;
  }
  // configs/travio.yaml documents every key: it must be exactly what config print says.
  std::FILE* in = std::fopen((configs + "travio.yaml").c_str(), "r");
  ASSERT_NE(in, nullptr);
  std::string documented;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), in)) documented.append(buffer, n);
  std::fclose(in);
  for (int header_lines = 0; header_lines < 2; ++header_lines) {
    documented.erase(0, documented.find('\n') + 1);
  }
  auto [code, printed] = RunTravio("config print");
  ASSERT_EQ(code, 0);
  EXPECT_EQ(documented, printed) << "configs/travio.yaml is out of date: run make configs";
}

TEST(MonolithCommands, TargetsListsTheGatewayAndSixteenServices) {
  auto [code, output] = RunTravio("targets");
  EXPECT_EQ(code, 0);
  for (const std::string name : {"gateway", "identity", "inventory", "subscription", "all"}) {
    EXPECT_TRUE(absl::StrContains(output, "\n" + name + "\t") ||
                absl::StartsWith(output, name + "\t"))
        << name;
  }
  EXPECT_TRUE(absl::StrContains(output, "calls: identity"));
}

TEST(MonolithCommands, CertsInitWritesPrivateKeysOwnerOnly) {
  testing::TempDir dir;
  const std::filesystem::path tls = dir / "tls";
  auto [code, output] = RunTravio("certs init --out " + tls.string());
  ASSERT_EQ(code, 0) << output;
  struct stat key {};
  ASSERT_EQ(::stat((tls / "identity.key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600);
  auto [again, again_output] = RunTravio("certs init --out " + tls.string());
  EXPECT_NE(again, 0);
  EXPECT_TRUE(absl::StrContains(again_output, "--force")) << again_output;
}

// What services mount holds no CA key: a stolen service directory cannot mint certificates.
// The CA, kept apart, issues or renews one service's certificate.
TEST(MonolithCommands, CertsKeepTheCaKeyApartAndIssueOneServiceFromIt) {
  testing::TempDir dir;
  const std::filesystem::path tls = dir / "tls";
  const std::filesystem::path ca = dir / "tls-ca";
  auto [code, output] = RunTravio("certs init --out " + tls.string());
  ASSERT_EQ(code, 0) << output;
  EXPECT_FALSE(std::filesystem::exists(tls / "ca.key"));
  EXPECT_TRUE(std::filesystem::exists(tls / "ca.pem"));
  EXPECT_TRUE(absl::StrContains(output, ca.string())) << output;
  struct stat ca_key {
  }, ca_dir{};
  ASSERT_EQ(::stat((ca / "ca.key").c_str(), &ca_key), 0);
  EXPECT_EQ(ca_key.st_mode & 0777, 0600);
  ASSERT_EQ(::stat(ca.c_str(), &ca_dir), 0);
  EXPECT_EQ(ca_dir.st_mode & 0777, 0700);
  for (const auto& entry : std::filesystem::directory_iterator(tls)) {
    EXPECT_FALSE(absl::StrContains(testing::ReadFile(entry.path()), "PRIVATE KEY") &&
                 entry.path().extension() != ".key")
        << entry.path();
  }

  // Renewing payment's certificate: refused over the old one without --force, then a new
  // key and certificate signed by the same CA; the others are untouched.
  const std::string before = testing::ReadFile(tls / "payment.pem");
  const std::string search_before = testing::ReadFile(tls / "search.pem");
  auto [refused, refused_output] = RunTravio("certs issue --out " + tls.string() + " payment");
  EXPECT_NE(refused, 0);
  EXPECT_TRUE(absl::StrContains(refused_output, "--force")) << refused_output;
  auto [issued, issued_output] =
      RunTravio("certs issue --force --out " + tls.string() + " payment");
  ASSERT_EQ(issued, 0) << issued_output;
  EXPECT_NE(testing::ReadFile(tls / "payment.pem"), before);
  EXPECT_EQ(testing::ReadFile(tls / "search.pem"), search_before);
  auto [verified, verify_output] =
      testing::RunCommand("openssl verify -CAfile " + (tls / "ca.pem").string() + " " +
                          (tls / "payment.pem").string() + " 2>&1");
  EXPECT_EQ(verified, 0) << verify_output;
  auto [subject, subject_output] = testing::RunCommand("openssl x509 -noout -subject -in " +
                                                       (tls / "payment.pem").string() + " 2>&1");
  EXPECT_TRUE(absl::StrContains(subject_output, "CN = payment")) << subject_output;
  // The CA outlives many renewals of the services' certificates (397 days each), so they never
  // all lapse with it on one day.
  const std::string five_years = std::to_string(5L * 365 * 24 * 3600);
  EXPECT_EQ(testing::RunCommand("openssl x509 -noout -checkend " + five_years + " -in " +
                                (tls / "ca.pem").string())
                .first,
            0);
  EXPECT_NE(testing::RunCommand("openssl x509 -noout -checkend " + five_years + " -in " +
                                (tls / "payment.pem").string())
                .first,
            0);

  // A symlink planted where a key is written is replaced, never followed: the new key does not
  // land in the file it points to.
  const std::filesystem::path elsewhere = dir / "elsewhere.txt";
  { std::ofstream(elsewhere) << "untouched\n"; }
  std::filesystem::remove(tls / "search.key");
  std::filesystem::create_symlink(elsewhere, tls / "search.key");
  auto [renewed, renewed_output] =
      RunTravio("certs issue --force --out " + tls.string() + " search");
  ASSERT_EQ(renewed, 0) << renewed_output;
  EXPECT_EQ(testing::ReadFile(elsewhere), "untouched\n");
  EXPECT_FALSE(std::filesystem::is_symlink(tls / "search.key"));
  EXPECT_TRUE(absl::StrContains(testing::ReadFile(tls / "search.key"), "PRIVATE KEY"));
  struct stat renewed_key {};
  ASSERT_EQ(::stat((tls / "search.key").c_str(), &renewed_key), 0);
  EXPECT_EQ(renewed_key.st_mode & 0777, 0600);

  // Unknown targets, and a CA directory services would mount, are refused.
  auto [unknown, unknown_output] = RunTravio("certs issue --out " + tls.string() + " billing");
  EXPECT_NE(unknown, 0);
  EXPECT_TRUE(absl::StrContains(unknown_output, "no target named billing")) << unknown_output;
  auto [inside, inside_output] =
      RunTravio("certs init --force --out " + tls.string() + " --ca-dir " + (tls / "ca").string());
  EXPECT_NE(inside, 0);
  EXPECT_TRUE(absl::StrContains(inside_output, "outside --out")) << inside_output;
  EXPECT_FALSE(std::filesystem::exists(tls / "ca" / "ca.key"));
}

TEST(MonolithCommands, AuditCheckpointKeysRotateButAreNeverRetired) {
  testing::TempDir dir;
  const std::string data = " --data-dir " + dir.path().string();
  auto [listed, keys] = RunTravio("keys list --service audit" + data);
  ASSERT_EQ(listed, 0) << keys;
  const std::string first = keys.substr(0, keys.find('\t'));
  auto [rotated, rotate_output] = RunTravio("keys rotate --service audit" + data);
  ASSERT_EQ(rotated, 0) << rotate_output;
  // The old key still verifies the checkpoints it signed: it stays.
  auto [retired, retire_output] = RunTravio("keys retire --service audit " + first + data);
  EXPECT_NE(retired, 0);
  EXPECT_TRUE(absl::StrContains(retire_output, "never retired")) << retire_output;
  auto [relisted, after] = RunTravio("keys list --service audit" + data);
  EXPECT_TRUE(absl::StrContains(after, first)) << after;
}

TEST(MonolithCommands, AuditLogsAreVerifiedRetainedWithASignatureAndExported) {
  testing::TempDir dir;
  const std::string flags =
      " --data-dir " + dir.path().string() + " --set audit.checkpoint_every=5";
  auto [seeded, seed_output] = RunTravio("seed --demo" + flags);
  ASSERT_EQ(seeded, 0) << seed_output;
  // The demo's sign-ups and keys are in the platform log, a checkpoint every 5 entries.
  auto [verified, verify_output] = RunTravio("audit verify --log platform" + flags);
  ASSERT_EQ(verified, 0) << verify_output;
  ASSERT_TRUE(absl::StartsWith(verify_output, "ok: ")) << verify_output;
  const int entries = std::stoi(verify_output.substr(4));
  ASSERT_GT(entries, 12);

  auto [retained, retain_output] = RunTravio("audit retain --log platform --before-seq 11" + flags);
  ASSERT_EQ(retained, 0) << retain_output;
  auto [reverified, reverify_output] = RunTravio("audit verify --log platform" + flags);
  EXPECT_EQ(reverified, 0) << reverify_output;
  EXPECT_TRUE(absl::StartsWith(reverify_output, absl::StrCat("ok: ", entries - 10, " entries")))
      << reverify_output;
  auto [exported, export_output] = RunTravio("audit export --log platform" + flags);
  ASSERT_EQ(exported, 0);
  // The last line: where the exported chain starts and ends.
  const std::string summary =
      export_output.substr(export_output.rfind('\n', export_output.size() - 2) + 1);
  EXPECT_TRUE(absl::StrContains(summary, R"("anchor_seq":11)")) << summary;
  EXPECT_TRUE(absl::StrContains(summary, R"("retention":"v4.public.)")) << summary;

  // An entry edited with the guard lifted: verify names it, and retention refuses to cut.
  {
    auto audit = db::OpenSqlite({(dir / "audit.db").string()});
    ASSERT_OK(audit);
    ASSERT_OK((*audit)->Execute("DROP TRIGGER audit_entries_no_update"));
    ASSERT_OK((*audit)->Execute(
        "UPDATE audit_entries SET actor = 'someone-else' WHERE log = 'platform' AND seq = 12"));
  }
  auto [broken, broken_output] = RunTravio("audit verify --log platform" + flags);
  EXPECT_NE(broken, 0);
  EXPECT_TRUE(absl::StrContains(broken_output, "broken at entry 12: its content does not match"))
      << broken_output;
  auto [refused, refused_output] = RunTravio("audit retain --log platform --before-seq 16" + flags);
  EXPECT_NE(refused, 0);
  EXPECT_TRUE(absl::StrContains(refused_output, "nothing was removed")) << refused_output;
  auto [kept, kept_output] = RunTravio("audit export --log platform" + flags);
  EXPECT_TRUE(absl::StrContains(kept_output, R"("anchor_seq":11)")) << kept_output;
}

TEST(MonolithCommands, AuditCommandsMakeNoKeysOfTheirOwn) {
  // Run where the service's keys are not, a command must not make new ones: every log would
  // look forged under them.
  testing::TempDir dir;
  auto [code, output] = RunTravio("audit verify --log platform --data-dir " + dir.path().string());
  EXPECT_NE(code, 0);
  EXPECT_TRUE(absl::StrContains(output, "no audit keys")) << output;
  EXPECT_FALSE(std::filesystem::exists(dir / "keys" / "audit" / "seal.key"));
}

TEST(MonolithOnServers, RunsOnPostgresAndRedis) {
  const auto& servers = testing::SharedTestServers();
  testing::ScratchPostgresDatabase database;
  TravioProcess travio(
      {.environment =
           {
               {"TRAVIO_DEVELOPMENT", "true"},  // the sandbox provider, email to files
               {"TRAVIO_STORAGE", "postgres"},
               {"TRAVIO_POSTGRES_DSN", database.dsn()},
               {"TRAVIO_HOT_STATE", "redis"},
               {"TRAVIO_REDIS_ADDR", servers.redis_host + ":" + std::to_string(servers.redis_port)},
           },
       .on_bad_exit = testing::FailTheTest});
  ASSERT_OK(travio.Start()) << travio.Log();
  HttpClient client(travio.base_url());
  EXPECT_EQ(client.Get("/v1/version").status, 200);
  auto [code, output] =
      RunTravio("migrate", "TRAVIO_STORAGE=postgres TRAVIO_POSTGRES_DSN=" + database.dsn());
  EXPECT_EQ(code, 0) << output;
}

TEST(MonolithOnServers, UnreachableBackendsStopStartup) {
  const int closed_port = testing::FreePort();
  TravioProcess no_redis(
      {.environment = {{"TRAVIO_DEVELOPMENT", "true"},
                       {"TRAVIO_HOT_STATE", "redis"},
                       {"TRAVIO_REDIS_ADDR", "127.0.0.1:" + std::to_string(closed_port)}}});
  auto redis_status = no_redis.Start();
  ASSERT_FALSE(redis_status.ok());
  EXPECT_TRUE(absl::StrContains(redis_status.message(), "travio exited during startup"));
  EXPECT_TRUE(absl::StrContains(redis_status.message(), std::to_string(closed_port)))
      << redis_status.message();

  TravioProcess no_postgres(
      {.environment = {{"TRAVIO_DEVELOPMENT", "true"},
                       {"TRAVIO_STORAGE", "postgres"},
                       {"TRAVIO_POSTGRES_DSN", "postgresql://travio:pw-must-not-leak@127.0.0.1:" +
                                                   std::to_string(closed_port) + "/travio"}}});
  auto postgres_status = no_postgres.Start();
  ASSERT_FALSE(postgres_status.ok());
  EXPECT_TRUE(absl::StrContains(postgres_status.message(), "postgres"))
      << postgres_status.message();
  EXPECT_FALSE(absl::StrContains(no_postgres.Log(), "pw-must-not-leak")) << no_postgres.Log();
}

}  // namespace
}  // namespace travio
