#include "services/notification/rpc/notification_grpc_service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/rpc/call_policy.h"
#include "platform/rpc/server.h"
#include "platform/testing/status_matchers.h"
#include "services/notification/api/notification_client.h"

namespace travio::notification {
namespace {

// The local implementation behind the service: answers from a script.
class ScriptedClient final : public NotificationClient {
 public:
  absl::StatusOr<std::string> SendEmail(const EmailMessage& message) override {
    received = message;
    return answer;
  }
  absl::StatusOr<NoticeReceipt> Notify(const Notice& notice) override {
    notice_received = notice;
    return notice_answer;
  }
  EmailMessage received;
  absl::StatusOr<std::string> answer;
  Notice notice_received;
  absl::StatusOr<NoticeReceipt> notice_answer;
};

class GrpcRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = rpc::Server::Start("127.0.0.1:0", grpc::InsecureServerCredentials(), {&service_});
    ASSERT_OK(server);
    server_ = *std::move(server);
    client_ = NotificationClient::OverGrpc(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                            grpc::InsecureChannelCredentials()),
        rpc::CallPolicy{.deadline = absl::Seconds(10)});
  }
  void TearDown() override {
    if (server_) server_->Shutdown(absl::Seconds(1));
  }

  std::shared_ptr<ScriptedClient> local_ = std::make_shared<ScriptedClient>();
  NotificationGrpcService service_{local_};
  std::unique_ptr<rpc::Server> server_;
  std::shared_ptr<NotificationClient> client_;
};

TEST_F(GrpcRoundTrip, CarriesTheMessageAndTheId) {
  local_->answer = std::string("0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234@travio.localhost");
  auto id = client_->SendEmail({.to = "ana@example.com",
                                .subject = "Bienvenue \xc3\xa0 bord",
                                .text_body = "tok_123\n",
                                .kind = "org_invite"});
  ASSERT_OK(id);
  EXPECT_EQ(*id, "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234@travio.localhost");
  EXPECT_EQ(local_->received.to, "ana@example.com");
  EXPECT_EQ(local_->received.subject, "Bienvenue \xc3\xa0 bord");
  EXPECT_EQ(local_->received.text_body, "tok_123\n");
  EXPECT_EQ(local_->received.kind, "org_invite");
}

TEST_F(GrpcRoundTrip, CarriesTemplatedEmails) {
  local_->answer = std::string("m@travio.localhost");
  ASSERT_OK(client_->SendEmail(
      {.to = "ana@example.com", .kind = "org_invite", .locale = "bn", .fields = {{"token", "t"}}}));
  EXPECT_EQ(local_->received.locale, "bn");
  EXPECT_EQ(local_->received.fields, (std::map<std::string, std::string>{{"token", "t"}}));
}

TEST_F(GrpcRoundTrip, CarriesNoticesWithTheirAttachments) {
  local_->notice_answer = NoticeReceipt{.message_ids = {"a@x", "b"}, .duplicate = true};
  const std::string pdf("%PDF\0\xff binary", 14);
  auto receipt = client_->Notify(
      {.key = "tickets/o/1",
       .kind = "tickets_issued",
       .locale = "en",
       .email = "ana@example.com",
       .phone = "+8801711000000",
       .data = R"({"a":1})",
       .attachments = {{.filename = "t.pdf", .content_type = "application/pdf", .bytes = pdf}},
       .org_id = "org"});
  ASSERT_OK(receipt);
  EXPECT_EQ(receipt->message_ids, (std::vector<std::string>{"a@x", "b"}));
  EXPECT_TRUE(receipt->duplicate);
  EXPECT_EQ(local_->notice_received.key, "tickets/o/1");
  EXPECT_EQ(local_->notice_received.phone, "+8801711000000");
  EXPECT_EQ(local_->notice_received.org_id, "org");
  ASSERT_EQ(local_->notice_received.attachments.size(), 1u);
  EXPECT_EQ(local_->notice_received.attachments[0].bytes, pdf);

  local_->notice_answer = Error(absl::StatusCode::kInvalidArgument, "invalid_notice", "no");
  EXPECT_EQ(ReasonOf(client_->Notify({.key = "k"}).status()), "invalid_notice");
}

TEST_F(GrpcRoundTrip, KeepsCodesReasonsAndFieldErrors) {
  local_->answer = WithFieldErrors(
      Error(absl::StatusCode::kInvalidArgument, "header_injection", "line break in subject"),
      {{"subject", "line break in subject"}});
  auto refused = client_->SendEmail({.to = "a@example.com", .kind = "k"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(refused.status()), "header_injection");
  ASSERT_EQ(FieldErrorsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FieldErrorsOf(refused.status())[0].field, "subject");

  local_->answer = Error(absl::StatusCode::kUnavailable, "email_transport_failed", "down");
  auto failed = client_->SendEmail({.to = "a@example.com", .kind = "k"});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(failed.status()), "email_transport_failed");
}

TEST(GrpcClient, AnUnreachableServiceIsUnavailable) {
  auto client = NotificationClient::OverGrpc(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()),
      rpc::CallPolicy{.deadline = absl::Milliseconds(500)});
  const auto result = client->SendEmail({.to = "a@example.com", .kind = "k"});
  EXPECT_TRUE(result.status().code() == absl::StatusCode::kUnavailable ||
              result.status().code() == absl::StatusCode::kDeadlineExceeded)
      << result.status();
}

}  // namespace
}  // namespace travio::notification
