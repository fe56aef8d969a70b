#include "services/notification/app/email_sender.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "absl/strings/match.h"
#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/notification/writing/templates.h"

namespace travio::notification {
namespace {

class FakeTransport final : public EmailTransport {
 public:
  std::string_view name() const override { return "fake"; }
  absl::Status Deliver(const OutgoingMessage& message) override {
    std::lock_guard lock(mutex);
    delivered.push_back(message);
    return result;
  }
  std::mutex mutex;
  std::vector<OutgoingMessage> delivered;
  absl::Status result = absl::OkStatus();
};

class EmailSenderTest : public ::testing::Test {
 protected:
  EmailSenderTest()
      : transport_(std::make_shared<FakeTransport>()),
        ids_(clock_),
        lines_(std::make_shared<std::vector<std::string>>()),
        writer_(MakeTemplateWriter()),
        sender_({"Travio", "no-reply@travio.localhost"}, transport_, *writer_, clock_, ids_,
                log::Logger::ToVector(log::Level::kDebug, lines_), metrics_) {}

  static EmailMessage Invite() {
    return {.to = "ana@example.com",
            .subject = "Join Acme Buses",
            .text_body = "Your invite token: tok_SECRET_123\n",
            .kind = "org_invite"};
  }

  ManualClock clock_;
  std::shared_ptr<FakeTransport> transport_;
  IdGenerator ids_;
  std::shared_ptr<std::vector<std::string>> lines_;
  metrics::Registry metrics_;
  std::unique_ptr<MessageWriter> writer_;
  EmailSender sender_;
};

TEST_F(EmailSenderTest, SendsARenderedMessageAndReturnsItsId) {
  auto id = sender_.SendEmail(Invite());
  ASSERT_OK(id);
  EXPECT_TRUE(absl::EndsWith(*id, "@travio.localhost")) << *id;
  EXPECT_TRUE(IsUuid(id->substr(0, id->find('@')))) << *id;

  ASSERT_EQ(transport_->delivered.size(), 1u);
  const OutgoingMessage& message = transport_->delivered[0];
  EXPECT_EQ(message.message_id, *id);
  EXPECT_EQ(message.date, clock_.Now());
  EXPECT_EQ(message.envelope_from, "no-reply@travio.localhost");
  EXPECT_EQ(message.envelope_to, "ana@example.com");
  EXPECT_TRUE(absl::StrContains(message.data, "Message-ID: <" + *id + ">\r\n"));
  EXPECT_TRUE(absl::StrContains(message.data, "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"));
  EXPECT_TRUE(absl::StrContains(message.data, "\r\n\r\nYour invite token: tok_SECRET_123\r\n"));

  auto second = sender_.SendEmail(Invite());
  ASSERT_OK(second);
  EXPECT_NE(*second, *id);
}

TEST_F(EmailSenderTest, LogsOneLineWithoutBodyOrFullRecipient) {
  auto id = sender_.SendEmail(Invite());
  ASSERT_OK(id);
  ASSERT_EQ(lines_->size(), 1u);
  const std::string& line = lines_->front();
  EXPECT_TRUE(absl::StrContains(line, "\"kind\":\"org_invite\"")) << line;
  EXPECT_TRUE(absl::StrContains(line, *id)) << line;
  EXPECT_TRUE(absl::StrContains(line, "\"to_domain\":\"example.com\"")) << line;
  EXPECT_FALSE(absl::StrContains(line, "tok_SECRET_123")) << line;
  EXPECT_FALSE(absl::StrContains(line, "ana@")) << line;
  EXPECT_FALSE(absl::StrContains(line, "Join Acme")) << line;
}

TEST_F(EmailSenderTest, CountsEachOutcome) {
  ASSERT_OK(sender_.SendEmail(Invite()));
  EmailMessage bad = Invite();
  bad.to = "ana@example.com\r\nBcc: eve@example.com";
  EXPECT_EQ(sender_.SendEmail(bad).status().code(), absl::StatusCode::kInvalidArgument);
  transport_->result = absl::UnavailableError("connection refused");
  EXPECT_EQ(sender_.SendEmail(Invite()).status().code(), absl::StatusCode::kUnavailable);

  const std::string text = metrics_.Render();
  EXPECT_TRUE(
      absl::StrContains(text,
                        "travio_notification_emails_total{kind=\"org_invite\",transport=\"fake\","
                        "outcome=\"sent\"} 1"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text,
                        "travio_notification_emails_total{kind=\"org_invite\",transport=\"fake\","
                        "outcome=\"invalid\"} 1"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text,
                        "travio_notification_emails_total{kind=\"org_invite\",transport=\"fake\","
                        "outcome=\"failed\"} 1"))
      << text;
}

TEST_F(EmailSenderTest, RefusesInvalidMessagesBeforeTheTransport) {
  EmailMessage bad = Invite();
  bad.subject = "Hi\r\nBcc: eve@example.com";
  const auto result = sender_.SendEmail(bad);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(result.status()), "header_injection");
  EXPECT_TRUE(transport_->delivered.empty());
  ASSERT_EQ(lines_->size(), 1u);
  EXPECT_FALSE(absl::StrContains(lines_->front(), "eve@")) << lines_->front();

  bad = Invite();
  bad.kind = "Not A Kind {x=\"y\"}";
  EXPECT_EQ(ReasonOf(sender_.SendEmail(bad).status()), "invalid_email_kind");
  EXPECT_TRUE(absl::StrContains(metrics_.Render(), "kind=\"invalid\""));
}

TEST_F(EmailSenderTest, AnyTransportFailureIsUnavailable) {
  transport_->result = absl::InternalError("disk on fire");
  const auto result = sender_.SendEmail(Invite());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(result.status()), "email_transport_failed");
  ASSERT_EQ(lines_->size(), 1u);
  EXPECT_FALSE(absl::StrContains(lines_->front(), "tok_SECRET_123"));
}

TEST_F(EmailSenderTest, AnInviteIsWordedByItsTemplate) {
  auto id =
      sender_.SendEmail({.to = "ana@example.com",
                         .kind = "org_invite",
                         .locale = "en",
                         .fields = {{"org_name", "Acme Buses"},
                                    {"role", "manager"},
                                    {"accept_url", "https://t.example/invites/accept?token=tok_1"},
                                    {"token", "tok_1"},
                                    {"expires", "2026-12-20 16:30 UTC"}}});
  ASSERT_OK(id);
  ASSERT_EQ(transport_->delivered.size(), 1u);
  const std::string& data = transport_->delivered[0].data;
  EXPECT_NE(data.find("Subject: You are invited to join Acme Buses on Travio"), std::string::npos);
  EXPECT_NE(data.find("Invite token: tok_1"), std::string::npos);
  EXPECT_NE(data.find("multipart/alternative"), std::string::npos);
}

TEST_F(EmailSenderTest, ATemplatedEmailHasNoBodyOfItsOwn) {
  EXPECT_THAT(sender_.SendEmail({.to = "ana@example.com",
                                 .subject = "Hi",
                                 .kind = "org_invite",
                                 .fields = {{"org_name", "Acme"}}}),
              testing::HasReason("invalid_notice"));
  EXPECT_THAT(
      sender_.SendEmail({.to = "ana@example.com", .kind = "no_such", .fields = {{"a", "b"}}}),
      testing::HasReason("unknown_template"));
  EXPECT_TRUE(transport_->delivered.empty());
}

}  // namespace
}  // namespace travio::notification
