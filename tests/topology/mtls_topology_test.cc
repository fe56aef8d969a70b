// Two processes, --target=identity,notification,... and --target=gateway, talking gRPC over mutual
// TLS.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/match.h"
#include "platform/rpc/call_policy.h"
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

void CertsInit(const std::filesystem::path& dir) {
  const std::string command =
      testing::TravioBinary() + " certs init --out " + dir.string() + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
}

class TopologyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new testing::TempDir("travio-certs");
    other_ca_ = new testing::TempDir("travio-rogue");
    CertsInit(certs_->path());
    CertsInit(other_ca_->path());
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete other_ca_;
  }

  TravioProcess::Options Target(const std::string& target, bool grpc,
                                std::map<std::string, std::string> env = {}) {
    env["TRAVIO_GRPC_TLS_DIR"] = certs_->path().string();
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
    options.pem_root_certs = ReadFile(rpc::TlsFiles{certs_->path()}.ca());
    options.pem_cert_chain = ReadFile(files.certificate(name));
    options.pem_private_key = ReadFile(files.key(name));
    return options;
  }

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

  auto trusted = CallIdentity(port, ClientOf(certs_->path(), "gateway"));
  ASSERT_OK(trusted);
  EXPECT_EQ(trusted->service, "identity");

  grpc::SslCredentialsOptions no_certificate;
  no_certificate.pem_root_certs = ReadFile(rpc::TlsFiles{certs_->path()}.ca());
  auto anonymous = CallIdentity(port, no_certificate);
  EXPECT_EQ(anonymous.status().code(), absl::StatusCode::kUnavailable) << anonymous.status();

  auto rogue = CallIdentity(port, ClientOf(other_ca_->path(), "gateway"));
  EXPECT_EQ(rogue.status().code(), absl::StatusCode::kUnavailable) << rogue.status();

  // The server proves it is identity: a client expecting another service refuses it.
  auto impostor = CallIdentity(port, ClientOf(certs_->path(), "gateway"), "payment");
  EXPECT_EQ(impostor.status().code(), absl::StatusCode::kUnavailable) << impostor.status();
}

TEST_F(TopologyTest, MissingCertificatesStopStartupWithInstructions) {
  testing::TempDir empty;
  TravioProcess identity({.args = {"serve", "--target=identity,notification"},
                          .environment = {{"TRAVIO_GRPC_TLS_DIR", empty.path().string()}},
                          .grpc = true});
  auto status = identity.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(absl::StrContains(status.message(), "travio certs init")) << status.message();
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
  EXPECT_OK(CallIdentity(first.grpc_port(), ClientOf(certs_->path(), "gateway")));
}

}  // namespace
}  // namespace travio
