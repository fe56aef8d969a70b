// The SMS providers: the file sink, and the signed webhook against a real HTTP server the test
// starts (tests/support/sms_webhook_sink.py), which checks every signature with Python's hmac.
#include "services/notification/transport/sms_providers.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/testing/command.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::notification {
namespace {

using ::travio::testing::HasReason;
using ::travio::testing::RunCommand;

const SmsMessage kMessage{.message_id = "0193f1d0-0a1b-7c2d-8e3f-4a5b6c7d8e10",
                          .to = "+8801711000000",
                          .text = "Green Line: DHK-CXB 20 Dec 22:30. Seats A1. টিকিট K7Q2M-9XD3F.",
                          .date = absl::FromUnixSeconds(1'797'784'200)};

TEST(FileSmsProviderTest, EachMessageIsAPrivateJsonFile) {
  testing::TempDir dir;
  auto provider = MakeFileSmsProvider(dir.path() / "sms");
  ASSERT_OK(provider->Send(kMessage));
  const auto file = dir.path() / "sms" / ("20261220T163000-" + kMessage.message_id + ".json");
  const nlohmann::json written = nlohmann::json::parse(testing::ReadFile(file));
  EXPECT_EQ(written["to"], kMessage.to);
  EXPECT_EQ(written["text"], kMessage.text);
  EXPECT_EQ(written["message_id"], kMessage.message_id);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

// The webhook server, answering `status` to well-signed requests.
class WebhookSink {
 public:
  WebhookSink(const std::string& secret, int status) {
    const std::string port_file = (dir_ / "port").string();
    auto [rc, pid] = RunCommand(absl::StrCat(
        "setsid /usr/bin/python3 " TRAVIO_SOURCE_DIR "/tests/support/sms_webhook_sink.py ", secret,
        " ", record().string(), " ", status, " >", port_file, " 2>&1 & echo $!"));
    EXPECT_EQ(rc, 0);
    EXPECT_TRUE(absl::SimpleAtoi(absl::StripTrailingAsciiWhitespace(pid), &pid_));
    for (int i = 0; i < 500 && port_ == 0; ++i) {
      (void)absl::SimpleAtoi(absl::StripTrailingAsciiWhitespace(testing::ReadFile(port_file)),
                             &port_);
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~WebhookSink() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/send"); }
  std::filesystem::path record() const { return dir_ / "record.jsonl"; }
  std::vector<nlohmann::json> Received() const {
    std::vector<nlohmann::json> lines;
    std::ifstream in(record());
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }
  int port() const { return port_; }

 private:
  testing::TempDir dir_;
  int pid_ = 0;
  int port_ = 0;
};

constexpr char kSecret[] = "a-secret-of-the-provider";

TEST(WebhookSmsProviderTest, PostsASignedMessage) {
  WebhookSink sink(kSecret, 202);
  ASSERT_GT(sink.port(), 0);
  ManualClock clock;
  ASSERT_OK_AND_ASSIGN(auto provider,
                       MakeWebhookSmsProvider({.url = sink.url(), .secret = kSecret}, clock));
  ASSERT_OK(provider->Send(kMessage));
  const std::vector<nlohmann::json> received = sink.Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0]["signature_ok"].get<bool>());
  EXPECT_EQ(received[0]["path"], "/send");
  EXPECT_EQ(received[0]["timestamp"], std::to_string(absl::ToUnixSeconds(clock.Now())));
  EXPECT_EQ(received[0]["body"]["to"], kMessage.to);
  EXPECT_EQ(received[0]["body"]["text"], kMessage.text);
  EXPECT_EQ(received[0]["body"]["message_id"], kMessage.message_id);
}

TEST(WebhookSmsProviderTest, AnotherSecretIsRefusedByTheProvider) {
  WebhookSink sink(kSecret, 200);
  ManualClock clock;
  ASSERT_OK_AND_ASSIGN(
      auto provider,
      MakeWebhookSmsProvider({.url = sink.url(), .secret = "not-the-secret-at-all"}, clock));
  // 401: a refusal for good, not retried.
  EXPECT_THAT(provider->Send(kMessage), testing::StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(sink.Received().size(), 1u);
  EXPECT_FALSE(sink.Received()[0]["signature_ok"].get<bool>());
}

TEST(WebhookSmsProviderTest, ServerErrorsAndThrottlingAreRetried) {
  for (int status : {500, 503, 429}) {
    WebhookSink sink(kSecret, status);
    ManualClock clock;
    ASSERT_OK_AND_ASSIGN(auto provider,
                         MakeWebhookSmsProvider({.url = sink.url(), .secret = kSecret}, clock));
    EXPECT_THAT(provider->Send(kMessage), HasReason("sms_transport_failed")) << status;
  }
}

TEST(WebhookSmsProviderTest, AnUnreachableProviderIsRetried) {
  ManualClock clock;
  ASSERT_OK_AND_ASSIGN(
      auto provider,
      MakeWebhookSmsProvider({.url = "http://127.0.0.1:1/send", .secret = kSecret}, clock));
  EXPECT_THAT(provider->Send(kMessage), HasReason("sms_transport_failed"));
}

TEST(WebhookSmsProviderTest, OptionsThatCannotWorkAreRefused) {
  ManualClock clock;
  for (const char* url : {"http://sms.example.com/send", "ftp://127.0.0.1:1/",
                          "https://user:pw@sms.example.com/send", ""}) {
    EXPECT_FALSE(MakeWebhookSmsProvider({.url = url, .secret = kSecret}, clock).ok()) << url;
  }
  EXPECT_FALSE(
      MakeWebhookSmsProvider({.url = "https://sms.example.com", .secret = "short"}, clock).ok());
  EXPECT_OK(
      MakeWebhookSmsProvider({.url = "https://sms.example.com/send", .secret = kSecret}, clock)
          .status());
}

TEST(WebhookSignatureTest, IsHmacSha256OfTimestampAndBody) {
  // openssl dgst -sha256 -hmac key <<< "1700000000.{}" (printf, no newline)
  EXPECT_EQ(WebhookSignature("key", "1700000000", "{}"),
            "v1=" + std::string(absl::StripTrailingAsciiWhitespace(
                        RunCommand("printf '1700000000.{}' | openssl dgst -sha256 -hmac key -r | "
                                   "cut -d' ' -f1")
                            .second)));
}

}  // namespace
}  // namespace travio::notification
