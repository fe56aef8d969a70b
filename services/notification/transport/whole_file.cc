#include "services/notification/transport/whole_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::notification {
namespace {

namespace fs = std::filesystem;

absl::Status Failed(const Reason& reason, std::string_view what, const fs::path& path, int error) {
  return Error(reason, absl::StrCat("cannot ", ToAbsl(what), " ", path.string(), ": ",
                                    std::strerror(error)));
}

// Creates `directory` and its parents; the last one owner-only.
absl::Status MakeDirectory(const fs::path& directory, const Reason& reason) {
  std::error_code ec;
  if (fs::is_directory(directory, ec)) return absl::OkStatus();
  if (directory.has_parent_path()) fs::create_directories(directory.parent_path(), ec);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return Failed(reason, "create directory", directory, errno);
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, std::string_view data, const fs::path& path, const Reason& reason) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Failed(reason, "write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteWholeFile(const fs::path& directory, const std::string& name,
                            std::string_view data, const Reason& failure) {
  if (absl::Status status = MakeDirectory(directory, failure); !status.ok()) return status;
  const fs::path final_path = directory / name;
  const fs::path temp_path = directory / absl::StrCat(".", name, ".tmp");
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Failed(failure, "create", temp_path, errno);
  absl::Status status = WriteAll(fd, data, temp_path, failure);
  if (status.ok() && ::fsync(fd) != 0) status = Failed(failure, "flush", temp_path, errno);
  if (::close(fd) != 0 && status.ok()) status = Failed(failure, "close", temp_path, errno);
  if (status.ok() && ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    status = Failed(failure, "rename", temp_path, errno);
  }
  if (!status.ok()) {
    ::unlink(temp_path.c_str());
    return status;
  }
  // The rename is durable once the directory is flushed.
  if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return absl::OkStatus();
}

}  // namespace travio::notification
