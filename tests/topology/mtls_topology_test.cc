// Two processes, --target=identity,notification,... and --target=gateway, talking gRPC over mutual
// TLS.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <tuple>

#include "absl/strings/match.h"
#include "platform/rpc/call_policy.h"
#include "platform/rpc/channels.h"
#include "platform/rpc/tls.h"
#include "platform/testing/command.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/http_client.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/travio_process.h"
#include "services/identity/api/identity_client.h"

namespace travio {
namespace {

using testing::HttpClient;
using testing::ReadFile;
using testing::TravioProcess;

// What services mount, under `dir`; the CA's key lies beside it, in dir/ca.
std::filesystem::path Tls(const testing::TempDir* dir) { return dir->path() / "tls"; }

void CertsInit(const testing::TempDir* dir) {
  const std::string command = testing::TravioBinary() + " certs init --out " + Tls(dir).string() +
                              " --ca-dir " + (dir->path() / "ca").string() + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
}

class TopologyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new testing::TempDir("travio-certs");
    other_ca_ = new testing::TempDir("travio-rogue");
    CertsInit(certs_);
    CertsInit(other_ca_);
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete other_ca_;
  }

  TravioProcess::Options Target(const std::string& target, bool grpc,
                                std::map<std::string, std::string> env = {}) {
    env["TRAVIO_GRPC_TLS_DIR"] = Tls(certs_).string();
    env.emplace("TRAVIO_DEVELOPMENT", "true");  // the sandbox provider, email to files
    // A process that ends badly once signalled (a leak at exit in the gRPC server or client)
    // fails the test.
    return {.args = {"serve", "--target=" + target},
            .environment = env,
            .grpc = grpc,
            .on_bad_exit = testing::FailTheTest};
  }

  // A direct client of identity's gRPC port with the given client credentials.
  absl::StatusOr<identity::ServerInfo> CallIdentity(int port, grpc::SslCredentialsOptions options,
                                                    const std::string& expected_name = "identity") {
    grpc::ChannelArguments arguments;
    arguments.SetSslTargetNameOverride(expected_name);
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                             grpc::SslCredentials(options), arguments);
    return identity::IdentityClient::OverGrpc(channel,
                                              rpc::CallPolicy{.deadline = absl::Seconds(5)})
        ->GetServerInfo();
  }

  grpc::SslCredentialsOptions ClientOf(const std::filesystem::path& dir, const std::string& name) {
    rpc::TlsFiles files{dir};
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(rpc::TlsFiles{Tls(certs_)}.ca());
    options.pem_cert_chain = ReadFile(files.certificate(name));
    options.pem_private_key = ReadFile(files.key(name));
    return options;
  }

  struct Reply {
    grpc::Status status;
    // The certificate the server presented (PEM).
    std::string server_certificate;
  };

  // One call of `path` at `port`, made by `caller` with its own certificate from `tls` (the
  // suite's by default), to the process presenting `service`'s certificate: the reply's
  // status, whatever the method, and what the server presented.
  Reply CallAs(int port, const std::string& caller, const std::string& service,
               const std::string& path, std::filesystem::path tls = {}) {
    if (tls.empty()) tls = Tls(certs_);
    const rpc::TlsFiles files{tls};
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(files.ca());
    options.pem_cert_chain = ReadFile(files.certificate(caller));
    options.pem_private_key = ReadFile(files.key(caller));
    grpc::ChannelArguments arguments;
    arguments.SetSslTargetNameOverride(service);
    // A connection of its own, never one reused from an earlier call.
    arguments.SetInt("travio.test.fresh_connection", ++connections_);
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                             grpc::SslCredentials(options), arguments);
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    grpc::Slice empty("");
    const grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer reply;
    Reply answer;
    grpc::CompletionQueue queue;
    auto call = stub.PrepareUnaryCall(&context, path, request, &queue);
    call->StartCall();
    call->Finish(&reply, &answer.status, this);
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    if (auto auth = context.auth_context()) {
      for (const grpc::string_ref& pem : auth->FindPropertyValues("x509_pem_cert")) {
        answer.server_certificate.assign(pem.data(), pem.size());
      }
    }
    return answer;
  }

  int connections_ = 0;
  static testing::TempDir* certs_;
  static testing::TempDir* other_ca_;
};

testing::TempDir* TopologyTest::certs_ = nullptr;
testing::TempDir* TopologyTest::other_ca_ = nullptr;

TEST_F(TopologyTest, GatewayReachesIdentityInAnotherProcessOverMutualTls) {
  // Every service the gateway calls, in one process of its own.
  TravioProcess identity(Target(
      "identity,notification,operator,catalog,subscription,inventory,search,payment,order,queue,"
      "fulfillment,pricing,fraud,audit,reporting",
      true));
  ASSERT_OK(identity.Start()) << identity.Log();
  const std::string peer = "127.0.0.1:" + std::to_string(identity.grpc_port());
  TravioProcess gateway(Target("gateway", false,
                               {{"TRAVIO_PEERS_IDENTITY", peer},
                                {"TRAVIO_PEERS_OPERATOR", peer},
                                {"TRAVIO_PEERS_CATALOG", peer},
                                {"TRAVIO_PEERS_INVENTORY", peer},
                                {"TRAVIO_PEERS_SEARCH", peer},
                                {"TRAVIO_PEERS_ORDER", peer},
                                {"TRAVIO_PEERS_PAYMENT", peer},
                                {"TRAVIO_PEERS_QUEUE", peer},
                                {"TRAVIO_PEERS_FULFILLMENT", peer},
                                {"TRAVIO_PEERS_PRICING", peer},
                                {"TRAVIO_PEERS_FRAUD", peer},
                                {"TRAVIO_PEERS_AUDIT", peer},
                                {"TRAVIO_PEERS_SUBSCRIPTION", peer},
                                {"TRAVIO_PEERS_REPORTING", peer}}));
  ASSERT_OK(gateway.Start()) << gateway.Log();

  HttpClient client(gateway.base_url());
  auto version = client.Get("/v1/version");
  ASSERT_EQ(version.status, 200) << version.body << gateway.Log();
  const auto body = nlohmann::json::parse(version.body);
  const std::string identity_instance = body["services"]["identity"]["instance_id"];
  EXPECT_NE(identity_instance, body["instance_id"].get<std::string>());

  // The identity process serves its own /readyz with only its modules.
  auto ready = HttpClient(identity.base_url()).Get("/readyz");
  const auto modules = nlohmann::json::parse(ready.body)["modules"];
  EXPECT_EQ(modules.size(), 15u);
  EXPECT_EQ(modules["identity"], "ready");
  EXPECT_EQ(modules["notification"], "ready");
  EXPECT_EQ(modules["catalog"], "ready");
  EXPECT_EQ(modules["inventory"], "ready");
  EXPECT_EQ(modules["order"], "ready");
  EXPECT_EQ(modules["fraud"], "ready");
  EXPECT_EQ(modules["audit"], "ready");
  EXPECT_EQ(modules["subscription"], "ready");
  EXPECT_EQ(modules["reporting"], "ready");

  // With identity gone, the gateway answers 503 instead of hanging.
  identity.Stop();
  auto unavailable = client.Get("/v1/version");
  EXPECT_EQ(unavailable.status, 503) << unavailable.body;
  EXPECT_EQ(nlohmann::json::parse(unavailable.body)["code"], "unavailable");
}

TEST_F(TopologyTest, IdentityRefusesClientsWithoutAValidCertificate) {
  TravioProcess identity(Target("identity,notification", true));
  ASSERT_OK(identity.Start()) << identity.Log();
  const int port = identity.grpc_port();

  auto trusted = CallIdentity(port, ClientOf(Tls(certs_), "gateway"));
  ASSERT_OK(trusted);
  EXPECT_EQ(trusted->service, "identity");

  grpc::SslCredentialsOptions no_certificate;
  no_certificate.pem_root_certs = ReadFile(rpc::TlsFiles{Tls(certs_)}.ca());
  auto anonymous = CallIdentity(port, no_certificate);
  EXPECT_EQ(anonymous.status().code(), absl::StatusCode::kUnavailable) << anonymous.status();

  auto rogue = CallIdentity(port, ClientOf(Tls(other_ca_), "gateway"));
  EXPECT_EQ(rogue.status().code(), absl::StatusCode::kUnavailable) << rogue.status();

  // The server proves it is identity: a client expecting another service refuses it.
  auto impostor = CallIdentity(port, ClientOf(Tls(certs_), "gateway"), "payment");
  EXPECT_EQ(impostor.status().code(), absl::StatusCode::kUnavailable) << impostor.status();

  // So do the processes' own channels, which read their certificate files again every
  // minute (gRPC's TLS credentials with a file watcher rather than fixed SSL credentials).
  rpc::Channels channels(rpc::TlsFiles{Tls(certs_)},
                         {{"identity", "127.0.0.1:" + std::to_string(port)},
                          {"payment", "127.0.0.1:" + std::to_string(port)}},
                         absl::Seconds(60));
  const rpc::CallPolicy policy{.deadline = absl::Seconds(5)};
  auto right = channels.To("gateway", "identity");
  ASSERT_OK(right);
  EXPECT_OK(identity::IdentityClient::OverGrpc(*right, policy)->GetServerInfo());
  auto wrong = channels.To("gateway", "payment");
  ASSERT_OK(wrong);
  auto refused = identity::IdentityClient::OverGrpc(*wrong, policy)->GetServerInfo();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
}

TEST_F(TopologyTest, MissingCertificatesStopStartupWithInstructions) {
  testing::TempDir empty;
  TravioProcess identity({.args = {"serve", "--target=identity,notification"},
                          .environment = {{"TRAVIO_GRPC_TLS_DIR", empty.path().string()},
                                          {"TRAVIO_DEVELOPMENT", "true"}},
                          .grpc = true});
  auto status = identity.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(absl::StrContains(status.message(), "travio certs init")) << status.message();
}

// A certificate file gRPC could not use stops startup, naming the file: gRPC would take it and
// fail every handshake of a process that looks ready (and, reading the files again while it
// runs, would not say so at start).
TEST_F(TopologyTest, UnusableCertificateFilesStopStartupNamingTheFile) {
  const std::filesystem::path tls = Tls(certs_);
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"payment.pem", "not a certificate\n", "holds no PEM certificate"},
      {"payment.key", ReadFile(tls / "search.key"), "is not the key of"},
      {"payment.pem", ReadFile(Tls(other_ca_) / "payment.pem"), "is not valid under"},
      {"ca.pem", "", "holds no PEM certificate"},
  };
  for (const auto& [file, content, says] : cases) {
    testing::TempDir copy("travio-unusable");
    std::filesystem::copy(tls, copy.path());
    // The other CA's certificate comes with its own key, so only the CA is wrong.
    if (says == "is not valid under") {
      std::filesystem::copy_file(Tls(other_ca_) / "payment.key", copy.path() / "payment.key",
                                 std::filesystem::copy_options::overwrite_existing);
    }
    std::ofstream(copy.path() / file, std::ios::trunc) << content;
    TravioProcess payment({.args = {"serve", "--target=payment"},
                           .environment = {{"TRAVIO_GRPC_TLS_DIR", copy.path().string()},
                                           {"TRAVIO_DEVELOPMENT", "true"}},
                           .grpc = true});
    const absl::Status started = payment.Start();
    ASSERT_FALSE(started.ok()) << file << ": " << says;
    EXPECT_TRUE(absl::StrContains(started.message(), (copy.path() / file).string()))
        << started.message();
    EXPECT_TRUE(absl::StrContains(started.message(), says)) << started.message();
  }
}

// Operational defaults: a networked process refuses default accounts and well-known passwords
// on servers other machines reach, always, and the sandbox payment provider and email that
// stays on the machine unless it is a development set-up; it names each, never a password.
TEST_F(TopologyTest, AProductionProcessRefusesDevelopmentSettingsNamingEach) {
  std::map<std::string, std::string> careless = {
      {"TRAVIO_GRPC_TLS_DIR", Tls(certs_).string()},
      {"TRAVIO_EVENTS", "rabbitmq"},
      {"TRAVIO_RABBITMQ_ADDR", "rabbitmq.invalid:5672"},
      {"TRAVIO_STORAGE", "postgres"},
      {"TRAVIO_POSTGRES_DSN", "postgresql://travio:change-me@db.invalid:5432/travio"},
      {"TRAVIO_HOT_STATE", "redis"},
      {"TRAVIO_REDIS_ADDR", "redis.invalid:6379"}};
  auto start = [](const std::map<std::string, std::string>& environment) {
    TravioProcess process({.args = {"serve", "--target=payment,notification"},
                           .environment = environment,
                           .grpc = true});
    const absl::Status started = process.Start();
    EXPECT_FALSE(absl::StrContains(process.Log(), "change-me")) << process.Log();
    return started;
  };
  const absl::Status refused = start(careless);
  ASSERT_FALSE(refused.ok());
  for (const char* named :
       {"unfit for production", "rabbitmq.user", "postgres.dsn", "redis.password",
        "sandbox provider", "notification.email.transport is file", "TRAVIO_DEVELOPMENT=true"}) {
    EXPECT_TRUE(absl::StrContains(refused.message(), named)) << named << " in: " << refused;
  }

  // A development set-up may use the sandbox, never the passwords.
  careless["TRAVIO_DEVELOPMENT"] = "true";
  const absl::Status still = start(careless);
  ASSERT_FALSE(still.ok());
  EXPECT_TRUE(absl::StrContains(still.message(), "postgres.dsn")) << still;
  EXPECT_FALSE(absl::StrContains(still.message(), "sandbox")) << still;

  // On servers of this machine only, it gets past the check: on to connecting to Redis, which
  // is not there.
  careless["TRAVIO_RABBITMQ_ADDR"] = "127.0.0.1:1";
  careless["TRAVIO_POSTGRES_DSN"] = "postgresql://postgres:postgres@127.0.0.1:1/travio";
  careless["TRAVIO_REDIS_ADDR"] = "127.0.0.1:1";
  const absl::Status started = start(careless);
  ASSERT_FALSE(started.ok());
  EXPECT_FALSE(absl::StrContains(started.message(), "refusing to start")) << started;
  EXPECT_TRUE(absl::StrContains(started.message(), "127.0.0.1:1")) << started;
}

// One gRPC port, one process: gRPC's default (SO_REUSEPORT) would let a second process bind it
// too and take half of the first one's connections (for a service of another deployment, or
// another service). The second process must refuse to start instead.
TEST_F(TopologyTest, ASecondProcessOnATakenGrpcPortRefusesToStart) {
  TravioProcess first(Target("identity,notification", true));
  ASSERT_OK(first.Start()) << first.Log();
  const std::string taken = "--grpc-addr=127.0.0.1:" + std::to_string(first.grpc_port());
  TravioProcess::Options options = Target("identity,notification", false);
  options.args.push_back(taken);
  TravioProcess second(options);
  const absl::Status started = second.Start();
  EXPECT_THAT(started, testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(started.message(), "cannot serve gRPC")) << started.message();
  // The first still answers.
  EXPECT_OK(CallIdentity(first.grpc_port(), ClientOf(Tls(certs_), "gateway")));
}

// Least privilege between services: a process holding a valid certificate may call only what
// its target needs. Search never moves money; the order service refunds.
TEST_F(TopologyTest, SearchCannotCallPaymentsRefundButOrderCan) {
  TravioProcess payment(Target("payment", true));
  ASSERT_OK(payment.Start()) << payment.Log();
  const std::string refund = "/travio.payment.v1.PaymentService/Refund";

  const grpc::Status search = CallAs(payment.grpc_port(), "search", "payment", refund).status;
  EXPECT_EQ(search.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(search.error_message(), "search may not call " + refund);
  // The gateway reaches payments through orders, never refunding on its own.
  const grpc::Status gateway = CallAs(payment.grpc_port(), "gateway", "payment", refund).status;
  EXPECT_EQ(gateway.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A method that does not exist is closed too, before anything looks for it.
  const grpc::Status unknown = CallAs(payment.grpc_port(), "order", "payment",
                                      "/travio.payment.v1.PaymentService/DropTables")
                                   .status;
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The order service's call passes the check and reaches the handler, which refuses the
  // empty request on its own terms.
  const grpc::Status order = CallAs(payment.grpc_port(), "order", "payment", refund).status;
  EXPECT_NE(order.error_code(), grpc::StatusCode::PERMISSION_DENIED) << order.error_message();
  EXPECT_NE(order.error_code(), grpc::StatusCode::UNAVAILABLE) << order.error_message();

  // Each refusal is counted and logged.
  auto metrics = HttpClient(payment.base_url()).Get("/metrics");
  EXPECT_TRUE(absl::StrContains(metrics.body, "travio_rpc_calls_refused_total 3")) << metrics.body;
  EXPECT_TRUE(absl::StrContains(payment.Log(), "search may not call " + refund));
}

// A renewed certificate is presented without a restart: a process serving one target reads its
// certificate files again (grpc.tls_reload_interval), as gRPC's file-watcher provider does.
TEST_F(TopologyTest, ARenewedCertificateIsPresentedWithoutARestart) {
  // Certificates of its own, so renewing one leaves the other tests' alone.
  testing::TempDir own("travio-renew");
  CertsInit(&own);
  TravioProcess::Options options =
      Target("payment", true, {{"TRAVIO_GRPC_TLS_RELOAD_INTERVAL", "1s"}});
  options.environment["TRAVIO_GRPC_TLS_DIR"] = Tls(&own).string();
  TravioProcess payment(options);
  ASSERT_OK(payment.Start()) << payment.Log();
  const std::string refund = "/travio.payment.v1.PaymentService/Refund";
  const std::string before = ReadFile(Tls(&own) / "payment.pem");
  const Reply first = CallAs(payment.grpc_port(), "order", "payment", refund, Tls(&own));
  EXPECT_NE(first.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << first.status.error_message();
  EXPECT_EQ(first.server_certificate, before);

  const std::string renew = testing::TravioBinary() + " certs issue --force --out " +
                            Tls(&own).string() + " --ca-dir " + (own.path() / "ca").string() +
                            " payment >/dev/null";
  ASSERT_EQ(std::system(renew.c_str()), 0);
  const std::string after = ReadFile(Tls(&own) / "payment.pem");
  ASSERT_NE(after, before);
  // The process reads its files every second; each try is a new connection. Polled, with a
  // generous bound for a loaded machine: what is asserted is the outcome, not its speed.
  Reply renewed = CallAs(payment.grpc_port(), "order", "payment", refund, Tls(&own));
  for (int tries = 0; tries < 60 && renewed.server_certificate != after; ++tries) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    renewed = CallAs(payment.grpc_port(), "order", "payment", refund, Tls(&own));
  }
  EXPECT_EQ(renewed.server_certificate, after);
  EXPECT_NE(renewed.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << renewed.status.error_message();
  // The same process throughout, never restarted.
  EXPECT_EQ(::kill(payment.pid(), 0), 0);
}

}  // namespace
}  // namespace travio
