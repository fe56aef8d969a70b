#include "services/notification/transport/file_transport.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/notification/app/email_sender.h"
#include "services/notification/writing/templates.h"

namespace travio::notification {
namespace {

namespace fs = std::filesystem;

OutgoingMessage Message(std::string id, absl::Time date) {
  return {.message_id = std::move(id),
          .date = date,
          .envelope_from = "no-reply@travio.localhost",
          .envelope_to = "ana@example.com",
          .data = "Subject: x\r\n\r\nbody tok_123\r\n"};
}

std::vector<std::string> Listing(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t Mode(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

TEST(FileTransport, WritesOneOwnerOnlyFilePerMessageNamedByTime) {
  testing::TempDir dir;
  const fs::path mail = dir / "data" / "mail";
  auto transport = MakeFileTransport(mail);
  EXPECT_EQ(transport->name(), "file");

  const absl::Time t0 = absl::FromUnixSeconds(1'767'225'600);  // 2026-01-01T00:00:00Z
  ASSERT_OK(transport->Deliver(Message("b-later@travio.localhost", t0 + absl::Seconds(61))));
  ASSERT_OK(transport->Deliver(Message("z-first@travio.localhost", t0)));

  EXPECT_EQ(Listing(mail), (std::vector<std::string>{
                               "20260101T000000-z-first@travio.localhost.eml",
                               "20260101T000101-b-later@travio.localhost.eml",
                           }));  // sorted by time, whatever the ids; no temporary files left
  const fs::path file = mail / "20260101T000000-z-first@travio.localhost.eml";
  EXPECT_EQ(Read(file), "Subject: x\r\n\r\nbody tok_123\r\n");
  EXPECT_EQ(Mode(file), 0600u);
  EXPECT_EQ(Mode(mail), 0700u);
}

TEST(FileTransport, FailsUnavailableWhenTheDirectoryCannotBeMade) {
  testing::TempDir dir;
  std::ofstream(dir / "not-a-directory") << "x";
  auto transport = MakeFileTransport(dir / "not-a-directory" / "mail");
  const absl::Status status = transport->Deliver(Message("a@travio.localhost", absl::Now()));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(status), "email_transport_failed");
  EXPECT_TRUE(absl::StrContains(status.message(), "not-a-directory")) << status;
}

TEST(FileTransport, RefusesToOverwriteAPendingTemporaryFile) {
  // The temporary file is created exclusively: a leftover is an error, not silently reused.
  testing::TempDir dir;
  const absl::Time t0 = absl::FromUnixSeconds(1'767'225'600);
  auto transport = MakeFileTransport(dir.path());
  std::ofstream(dir / ".20260101T000000-dup@travio.localhost.eml.tmp") << "x";
  EXPECT_EQ(transport->Deliver(Message("dup@travio.localhost", t0)).code(),
            absl::StatusCode::kUnavailable);
}

TEST(FileTransport, TheInviteTokenCanBeReadBackFromTheFile) {
  testing::TempDir dir;
  ManualClock clock;
  IdGenerator ids(clock);
  metrics::Registry metrics;
  const std::unique_ptr<MessageWriter> writer = MakeTemplateWriter();
  EmailSender sender(
      {"Travio", "no-reply@travio.localhost"}, MakeFileTransport(dir / "mail"), *writer, clock, ids,
      log::Logger::ToVector(log::Level::kInfo, std::make_shared<std::vector<std::string>>()),
      metrics);
  auto id = sender.SendEmail({.to = "ana@example.com",
                              .subject = "Rejoignez Acme \xc3\xa0 bord",
                              .text_body = "Token: tok_\xc3\xa9t\xc3\xa9_42\n",
                              .kind = "org_invite"});
  ASSERT_OK(id);
  const fs::path file = dir / "mail" / ("20260101T000000-" + *id + ".eml");
  ASSERT_TRUE(fs::exists(file)) << file;
  const std::string text = Read(file);
  EXPECT_TRUE(absl::StrContains(text, "\r\nToken: tok_\xc3\xa9t\xc3\xa9_42\r\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "Subject: =?UTF-8?B?")) << text;
  EXPECT_TRUE(absl::StrContains(text, "Content-Transfer-Encoding: 8bit\r\n")) << text;
}

}  // namespace
}  // namespace travio::notification
