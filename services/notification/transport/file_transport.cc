#include "services/notification/transport/file_transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::notification {
namespace {

namespace fs = std::filesystem;

absl::Status Failed(std::string_view what, const fs::path& path, int error) {
  return Error(
      reasons::kEmailTransportFailed,
      absl::StrCat("cannot ", ToAbsl(what), " ", path.string(), ": ", std::strerror(error)));
}

// Creates `directory` and its parents; the last one owner-only.
absl::Status MakeDirectory(const fs::path& directory) {
  std::error_code ec;
  if (fs::is_directory(directory, ec)) return absl::OkStatus();
  if (directory.has_parent_path()) fs::create_directories(directory.parent_path(), ec);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return Failed("create mail directory", directory, errno);
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Failed("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

class FileTransport final : public EmailTransport {
 public:
  explicit FileTransport(fs::path directory) : directory_(std::move(directory)) {}

  std::string_view name() const override { return "file"; }

  absl::Status Deliver(const OutgoingMessage& message) override {
    if (absl::Status status = MakeDirectory(directory_); !status.ok()) return status;
    const std::string name = EmlFileName(message);
    const fs::path final_path = directory_ / name;
    const fs::path temp_path = directory_ / absl::StrCat(".", name, ".tmp");
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Failed("create", temp_path, errno);
    absl::Status status = WriteAll(fd, message.data, temp_path);
    if (status.ok() && ::fsync(fd) != 0) status = Failed("flush", temp_path, errno);
    if (::close(fd) != 0 && status.ok()) status = Failed("close", temp_path, errno);
    if (status.ok() && ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
      status = Failed("rename", temp_path, errno);
    }
    if (!status.ok()) {
      ::unlink(temp_path.c_str());
      return status;
    }
    // The rename is durable once the directory is flushed.
    if (const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
    return absl::OkStatus();
  }

 private:
  fs::path directory_;
};

}  // namespace

std::string EmlFileName(const OutgoingMessage& message) {
  return absl::StrCat(absl::FormatTime("%Y%m%dT%H%M%S", message.date, absl::UTCTimeZone()), "-",
                      message.message_id, ".eml");
}

std::shared_ptr<EmailTransport> MakeFileTransport(std::filesystem::path directory) {
  return std::make_shared<FileTransport>(std::move(directory));
}

}  // namespace travio::notification
