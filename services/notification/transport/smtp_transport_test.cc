// SMTP transport against a real SMTP server: Debian's aiosmtpd, run by tests/support/smtp_sink.py
// on a free loopback port, which writes each message it receives to a directory.

#include "services/notification/transport/smtp_transport.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/testing/command.h"
#include "platform/testing/free_port.h"
#include "platform/testing/smtp_sink.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/notification/app/email_sender.h"
#include "services/notification/writing/templates.h"

namespace travio::notification {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::SmtpSink;

// A throwaway self-signed certificate for 127.0.0.1 (its own CA).
struct Certificate {
  fs::path cert, key;
};

Certificate MakeCertificate(const fs::path& dir) {
  Certificate certificate{dir / "cert.pem", dir / "key.pem"};
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '",
      certificate.key.string(), "' -out '", certificate.cert.string(), "' 2>'",
      (dir / "openssl.log").string(), "'");
  EXPECT_EQ(std::system(command.c_str()), 0) << testing::ReadFile(dir / "openssl.log");
  return certificate;
}

class SmtpTransportTest : public ::testing::Test {
 protected:
  // An EmailSender on an SMTP transport, so what arrives is what production sends.
  std::unique_ptr<EmailSender> Sender(SmtpOptions options) {
    auto transport = MakeSmtpTransport(std::move(options));
    EXPECT_OK(transport);
    if (!transport.ok()) return nullptr;
    return std::make_unique<EmailSender>(
        Mailbox{"Travio", "no-reply@travio.localhost"}, *std::move(transport), *writer_, clock_,
        ids_, log::Logger::ToVector(log::Level::kDebug, lines_), metrics_);
  }

  const std::unique_ptr<MessageWriter> writer_ = MakeTemplateWriter();

  static EmailMessage Invite() {
    return {.to = "ana@example.com",
            .subject = "Rejoignez Acme \xc3\xa0 bord",
            .text_body =
                "Hello Ana,\n.a line that starts with a dot\n..two dots\n.\n"
                "Token: tok_\xc3\xa9_42\n",
            .kind = "org_invite"};
  }

  testing::TempDir scratch_{"travio-smtp-test"};
  ManualClock clock_;
  IdGenerator ids_{clock_};
  metrics::Registry metrics_;
  std::shared_ptr<std::vector<std::string>> lines_ = std::make_shared<std::vector<std::string>>();
};

TEST_F(SmtpTransportTest, DeliversEnvelopeHeadersAndBodyToARealServer) {
  SmtpSink sink;
  ASSERT_OK(sink.Start()) << sink.Log();
  auto sender = Sender({.url = sink.url(), .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);

  auto id = sender->SendEmail(Invite());
  ASSERT_OK(id) << "\n" << sink.Log();
  const auto messages = sink.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u) << sink.Log();
  const json& message = messages[0];
  EXPECT_EQ(message["mail_from"], "no-reply@travio.localhost");
  EXPECT_EQ(message["rcpt_tos"], json::array({"ana@example.com"}));
  EXPECT_EQ(message["tls"], false);
  const std::string data = message["data"];
  EXPECT_TRUE(absl::StrContains(data, "Message-ID: <" + *id + ">\r\n")) << data;
  EXPECT_TRUE(absl::StrContains(data, "From: Travio <no-reply@travio.localhost>\r\n")) << data;
  EXPECT_TRUE(absl::StrContains(data, "Subject: =?UTF-8?B?")) << data;
  // Dot-stuffing is undone by the server: the body arrives exactly as rendered.
  EXPECT_TRUE(absl::EndsWith(data,
                             "\r\n\r\nHello Ana,\r\n.a line that starts with a dot\r\n..two dots"
                             "\r\n.\r\nToken: tok_\xc3\xa9_42\r\n"))
      << data;
  EXPECT_TRUE(absl::StrContains(metrics_.Render(), "transport=\"smtp\",outcome=\"sent\"} 1"));
}

TEST_F(SmtpTransportTest, UsesStartTlsWhenOfferedAndAuthenticatesInsideIt) {
  const Certificate certificate = MakeCertificate(scratch_.path());
  SmtpSink sink(
      {.tls_cert = certificate.cert, .tls_key = certificate.key, .auth = "travio:s3cret-pw"});
  ASSERT_OK(sink.Start()) << sink.Log();
  auto sender = Sender({.url = sink.url(),
                        .username = "travio",
                        .password = "s3cret-pw",
                        .ca_file = certificate.cert.string(),
                        .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);

  auto id = sender->SendEmail(Invite());
  ASSERT_OK(id) << "\n" << sink.Log();
  const auto messages = sink.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u) << sink.Log();
  EXPECT_EQ(messages[0]["tls"], true);
  EXPECT_EQ(messages[0]["authenticated"], true);
  EXPECT_EQ(messages[0]["login"], "travio");
  EXPECT_TRUE(absl::StrContains(std::string(messages[0]["data"]), "Token: tok_\xc3\xa9_42\r\n"));
  for (const std::string& line : *lines_) EXPECT_FALSE(absl::StrContains(line, "s3cret-pw"));
}

TEST_F(SmtpTransportTest, RefusesAServerWhoseCertificateIsNotTrusted) {
  const Certificate certificate = MakeCertificate(scratch_.path());
  SmtpSink sink({.tls_cert = certificate.cert, .tls_key = certificate.key});
  ASSERT_OK(sink.Start()) << sink.Log();
  auto sender = Sender({.url = sink.url(), .timeout = absl::Seconds(10)});  // system CAs only
  ASSERT_NE(sender, nullptr);

  const auto result = sender->SendEmail(Invite());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_EQ(ReasonOf(result.status()), "email_transport_failed");
  EXPECT_TRUE(sink.Messages().empty());  // delivery is synchronous: nothing may have arrived
}

TEST_F(SmtpTransportTest, RequireTlsRefusesAPlainServer) {
  SmtpSink sink;
  ASSERT_OK(sink.Start()) << sink.Log();
  auto sender = Sender({.url = sink.url(), .require_tls = true, .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);
  EXPECT_EQ(sender->SendEmail(Invite()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(sink.Messages().empty());
}

TEST_F(SmtpTransportTest, AWrongPasswordIsUnavailableAndNeverEchoed) {
  const Certificate certificate = MakeCertificate(scratch_.path());
  SmtpSink sink(
      {.tls_cert = certificate.cert, .tls_key = certificate.key, .auth = "travio:right-pw"});
  ASSERT_OK(sink.Start()) << sink.Log();
  auto sender = Sender({.url = sink.url(),
                        .username = "travio",
                        .password = "wrong-pw-XYZ",
                        .ca_file = certificate.cert.string(),
                        .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);
  const auto result = sender->SendEmail(Invite());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  // Refused by the server (535), not a timeout.
  EXPECT_TRUE(absl::StrContains(result.status().message(), "Login denied")) << result.status();
  EXPECT_FALSE(absl::StrContains(result.status().ToString(), "wrong-pw-XYZ"));
  for (const std::string& line : *lines_) EXPECT_FALSE(absl::StrContains(line, "wrong-pw-XYZ"));
  EXPECT_TRUE(sink.Messages().empty());
}

TEST_F(SmtpTransportTest, NoServerListeningIsUnavailable) {
  auto sender = Sender(
      {.url = absl::StrCat("smtp://127.0.0.1:", testing::FreePort()), .timeout = absl::Seconds(5)});
  ASSERT_NE(sender, nullptr);
  const auto result = sender->SendEmail(Invite());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_TRUE(absl::StrContains(metrics_.Render(), "transport=\"smtp\",outcome=\"failed\"} 1"));
}

TEST(MakeSmtpTransport, RefusesBadSettings) {
  for (const char* url : {"http://127.0.0.1:25", "smtp://", "smtp://user:pw@127.0.0.1:25",
                          "smtp://127.0.0.1:25/path", "127.0.0.1:25"}) {
    EXPECT_EQ(MakeSmtpTransport({.url = url}).status().code(), absl::StatusCode::kInvalidArgument)
        << url;
  }
  EXPECT_OK(MakeSmtpTransport({.url = "smtp://127.0.0.1:25"}));
  EXPECT_OK(MakeSmtpTransport({.url = "smtps://mail.example.com:465/"}));
  EXPECT_EQ(MakeSmtpTransport({.url = "smtp://127.0.0.1:25", .ca_file = "/nonexistent/ca.pem"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::notification
