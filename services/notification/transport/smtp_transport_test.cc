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
#include "platform/testing/free_port.h"
#include "platform/testing/temp_dir.h"
#include "services/notification/app/email_sender.h"

namespace travio::notification {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// aiosmtpd is a Debian package for the system interpreter, not for another python3 on PATH.
constexpr char kPython[] = "/usr/bin/python3";

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One smtp_sink.py process; stopped with SIGTERM on destruction.
class SmtpSink {
 public:
  struct Options {
    fs::path tls_cert;
    fs::path tls_key;
    std::string auth;  // "user:password"
  };

  explicit SmtpSink(Options options) : options_(std::move(options)), dir_("travio-smtp-sink") {}
  ~SmtpSink() { Stop(); }

  // Starts on a free port; another process may take the port first, so it tries a few.
  absl::Status Start() {
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = testing::FreePort();
      absl::Status status = Launch();
      if (status.ok()) return status;
      if (attempt == 4) return status;
    }
    return absl::InternalError("unreachable");
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  int port() const { return port_; }
  std::string url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

  // The messages received so far, in order.
  std::vector<json> Messages() const {
    std::vector<json> messages;
    for (int n = 1;; ++n) {
      char name[16];
      std::snprintf(name, sizeof(name), "%04d.json", n);
      const fs::path file = dir_.path() / "out" / name;
      if (!fs::exists(file)) break;
      messages.push_back(json::parse(Read(file)));
    }
    return messages;
  }

  // Waits (up to a deadline, polling) until `count` messages arrived.
  std::vector<json> WaitForMessages(size_t count) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::vector<json> messages = Messages();
    while (messages.size() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      messages = Messages();
    }
    return messages;
  }

  std::string Log() const { return Read(dir_.path() / "sink.log"); }

 private:
  absl::Status Launch() {
    const fs::path out = dir_.path() / "out";
    fs::remove_all(out);
    fs::create_directories(out);
    std::vector<std::string> args = {kPython, TRAVIO_SMTP_SINK, "--port", std::to_string(port_),
                                     "--out", out.string()};
    if (!options_.tls_cert.empty()) {
      args.insert(args.end(), {"--tls-cert", options_.tls_cert.string(), "--tls-key",
                               options_.tls_key.string()});
    }
    if (!options_.auth.empty()) args.insert(args.end(), {"--auth", options_.auth});
    const std::string log = (dir_.path() / "sink.log").string();
    pid_ = ::fork();
    if (pid_ < 0) return absl::InternalError("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(out / "ready")) return absl::OkStatus();
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::UnavailableError(
            absl::StrCat("smtp_sink.py exited (is python3-aiosmtpd installed? run "
                         "scripts/bootstrap): ",
                         Log()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    return absl::DeadlineExceededError(absl::StrCat("smtp_sink.py did not start: ", Log()));
  }

  Options options_;
  testing::TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

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
  EXPECT_EQ(std::system(command.c_str()), 0) << Read(dir / "openssl.log");
  return certificate;
}

class SmtpTransportTest : public ::testing::Test {
 protected:
  // An EmailSender on an SMTP transport, so what arrives is what production sends.
  std::unique_ptr<EmailSender> Sender(SmtpOptions options) {
    auto transport = MakeSmtpTransport(std::move(options));
    EXPECT_TRUE(transport.ok()) << transport.status();
    if (!transport.ok()) return nullptr;
    return std::make_unique<EmailSender>(
        Mailbox{"Travio", "no-reply@travio.localhost"}, *std::move(transport), clock_, ids_,
        log::Logger::ToVector(log::Level::kDebug, lines_), metrics_);
  }

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
  SmtpSink sink({});
  ASSERT_TRUE(sink.Start().ok()) << sink.Log();
  auto sender = Sender({.url = sink.url(), .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);

  auto id = sender->SendEmail(Invite());
  ASSERT_TRUE(id.ok()) << id.status() << "\n" << sink.Log();
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
  ASSERT_TRUE(sink.Start().ok()) << sink.Log();
  auto sender = Sender({.url = sink.url(),
                        .username = "travio",
                        .password = "s3cret-pw",
                        .ca_file = certificate.cert.string(),
                        .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);

  auto id = sender->SendEmail(Invite());
  ASSERT_TRUE(id.ok()) << id.status() << "\n" << sink.Log();
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
  ASSERT_TRUE(sink.Start().ok()) << sink.Log();
  auto sender = Sender({.url = sink.url(), .timeout = absl::Seconds(10)});  // system CAs only
  ASSERT_NE(sender, nullptr);

  const auto result = sender->SendEmail(Invite());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_EQ(ReasonOf(result.status()), "email_transport_failed");
  EXPECT_TRUE(sink.Messages().empty());  // delivery is synchronous: nothing may have arrived
}

TEST_F(SmtpTransportTest, RequireTlsRefusesAPlainServer) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.Start().ok()) << sink.Log();
  auto sender = Sender({.url = sink.url(), .require_tls = true, .timeout = absl::Seconds(10)});
  ASSERT_NE(sender, nullptr);
  EXPECT_EQ(sender->SendEmail(Invite()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(sink.Messages().empty());
}

TEST_F(SmtpTransportTest, AWrongPasswordIsUnavailableAndNeverEchoed) {
  const Certificate certificate = MakeCertificate(scratch_.path());
  SmtpSink sink(
      {.tls_cert = certificate.cert, .tls_key = certificate.key, .auth = "travio:right-pw"});
  ASSERT_TRUE(sink.Start().ok()) << sink.Log();
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
  EXPECT_TRUE(MakeSmtpTransport({.url = "smtp://127.0.0.1:25"}).ok());
  EXPECT_TRUE(MakeSmtpTransport({.url = "smtps://mail.example.com:465/"}).ok());
  EXPECT_EQ(MakeSmtpTransport({.url = "smtp://127.0.0.1:25", .ca_file = "/nonexistent/ca.pem"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::notification
