#include "services/queue/storage/keys/file_token_keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::queue {
namespace {

namespace fs = std::filesystem;

class FileTokenKeys final : public TokenKeys {
 public:
  FileTokenKeys(std::string secret_key, std::string public_key)
      : secret_key_(std::move(secret_key)),
        public_key_(std::move(public_key)),
        kid_(crypto::HexEncode(crypto::Sha256(public_key_).substr(0, 16))) {}
  ~FileTokenKeys() override { sodium_memzero(secret_key_.data(), secret_key_.size()); }

  const std::string& kid() const override { return kid_; }
  const std::string& secret_key() const override { return secret_key_; }
  std::vector<QueueKey> public_keys() const override {
    return {QueueKey{.kid = kid_, .public_key = public_key_}};
  }

 private:
  std::string secret_key_;
  std::string public_key_;
  std::string kid_;
};

absl::Status WritePrivate(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("cannot create ", path.string()));
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenKeys>> LoadOrCreateTokenKeys(const fs::path& dir) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to start");
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir.string()));
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  const fs::path path = dir / "queue-signing.key";
  if (!fs::exists(path)) {
    std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
    std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                        reinterpret_cast<unsigned char*>(secret_key.data()));
    std::string hex = crypto::HexEncode(secret_key);
    const absl::Status written = WritePrivate(path, hex);
    sodium_memzero(secret_key.data(), secret_key.size());
    sodium_memzero(hex.data(), hex.size());
    // Another process may have made it first: read whichever won.
    if (!written.ok() && !fs::exists(path)) return written;
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string hex(absl::StripAsciiWhitespace(text.str()));
  std::optional<std::string> secret_key = crypto::HexDecode(hex, crypto_sign_SECRETKEYBYTES);
  sodium_memzero(hex.data(), hex.size());
  if (!secret_key) return absl::DataLossError(absl::StrCat(path.string(), " is not a key"));
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(public_key.data()),
                               reinterpret_cast<const unsigned char*>(secret_key->data()));
  return std::unique_ptr<TokenKeys>(
      new FileTokenKeys(*std::move(secret_key), std::move(public_key)));
}

}  // namespace travio::queue
