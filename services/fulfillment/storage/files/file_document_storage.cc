#include "services/fulfillment/storage/files/file_document_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/fulfillment/storage/document_key.h"

namespace travio::fulfillment {
namespace {

namespace fs = std::filesystem;

class FileDocumentStorage final : public DocumentStorage {
 public:
  explicit FileDocumentStorage(const fs::path& root) : root_(Normal(root)) {}

  std::string_view name() const override { return "files"; }

  absl::Status Put(const std::string& key, std::string_view bytes, std::string_view) override {
    TRAVIO_RETURN_IF_ERROR(CheckDocumentKey(key));
    const fs::path file = root_ / key;
    std::error_code error;
    fs::create_directories(file.parent_path(), error);
    if (error) return Unavailable("cannot create the directory of", key);
    // Private from the root down; what is above the root is not ours to change.
    for (fs::path dir = file.parent_path(); dir.native().size() > root_.native().size();
         dir = dir.parent_path()) {
      fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
    }
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::replace, error);
    const fs::path temporary =
        file.parent_path() / absl::StrCat(".", file.filename().string(), ".",
                                          crypto::HexEncode(crypto::RandomBytes(6)), ".tmp");
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Unavailable("cannot write", key);
    size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    const bool complete = written == bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (complete) fs::rename(temporary, file, error);
    if (!complete || error) {
      fs::remove(temporary, error);
      return Unavailable("cannot write", key);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Get(const std::string& key) override {
    TRAVIO_RETURN_IF_ERROR(CheckDocumentKey(key));
    std::ifstream in(root_ / key, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("no document ", key));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  absl::Status Delete(const std::string& key) override {
    TRAVIO_RETURN_IF_ERROR(CheckDocumentKey(key));
    std::error_code error;
    fs::remove(root_ / key, error);
    if (error) return Unavailable("cannot delete", key);
    return absl::OkStatus();
  }

 private:
  // "a/./b/" and "a/b" are one root: no dot segments, no trailing separator.
  static fs::path Normal(const fs::path& root) {
    fs::path normal = root.lexically_normal();
    if (!normal.has_filename() && normal.has_parent_path() && normal != normal.root_path()) {
      normal = normal.parent_path();
    }
    return normal;
  }

  static absl::Status Unavailable(const std::string& what, const std::string& key) {
    return absl::UnavailableError(absl::StrCat("document storage: ", what, " ", key));
  }

  fs::path root_;
};

}  // namespace

std::unique_ptr<DocumentStorage> MakeFileDocumentStorage(fs::path root) {
  return std::make_unique<FileDocumentStorage>(root);
}

}  // namespace travio::fulfillment
