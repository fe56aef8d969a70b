#include "platform/crypto/key_files.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"

namespace travio::crypto {
namespace {

namespace fs = std::filesystem;

// Writes `text` to a new file `path` (mode 0600) and flushes it to disk.
bool WriteNewFile(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  return written;
}

absl::StatusOr<std::string> GenerateKey(const fs::path& dir) {
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(secret_key.data()));
  const std::string kid = Ed25519KeyRing::KeyId(public_key);
  std::string hex = HexEncode(secret_key);
  absl::Status written = WritePrivateFile(dir / (kid + ".key"), hex);
  sodium_memzero(secret_key.data(), secret_key.size());
  sodium_memzero(hex.data(), hex.size());
  TRAVIO_RETURN_IF_ERROR(written);
  return kid;
}

}  // namespace

absl::Status EnsurePrivateDirectory(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir.string()));
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  return absl::OkStatus();
}

absl::Status WritePrivateFile(const fs::path& file, std::string_view content) {
  const fs::path temporary = file.string() + ".tmp";
  const bool written = WriteNewFile(temporary, std::string(content) + "\n");
  std::error_code error;
  if (written) fs::rename(temporary, file, error);
  if (!written || error) {
    fs::remove(temporary, error);
    return absl::InternalError(absl::StrCat("cannot write ", file.string()));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> WritePrivateFileIfAbsent(const fs::path& file, std::string_view content) {
  unsigned char nonce[8];
  randombytes_buf(nonce, sizeof nonce);
  const fs::path temporary =
      file.string() + "." + HexEncode(std::string_view(reinterpret_cast<char*>(nonce), 8)) + ".new";
  const bool written = WriteNewFile(temporary, std::string(content) + "\n");
  // link() fails with EEXIST instead of replacing, unlike rename().
  const bool created = written && ::link(temporary.c_str(), file.c_str()) == 0;
  const int link_error = errno;
  ::unlink(temporary.c_str());
  if (!written) return absl::InternalError("cannot write " + file.string());
  if (!created && link_error != EEXIST) return absl::InternalError("cannot write " + file.string());
  return created;
}

absl::StatusOr<std::string> ReadKeyFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

absl::StatusOr<std::string> LoadOrCreateSecretKey(const fs::path& file, size_t bytes) {
  if (!fs::exists(file)) {
    std::string key(bytes, '\0');
    randombytes_buf(key.data(), key.size());
    std::string hex = HexEncode(key);
    sodium_memzero(key.data(), key.size());
    auto written = WritePrivateFileIfAbsent(file, hex);
    sodium_memzero(hex.data(), hex.size());
    TRAVIO_RETURN_IF_ERROR(written.status());
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string hex, ReadKeyFile(file));
  std::optional<std::string> key = HexDecode(hex, bytes);
  sodium_memzero(hex.data(), hex.size());
  if (!key) return absl::DataLossError("key file " + file.string() + " is malformed");
  return *std::move(key);
}

std::string Ed25519KeyRing::KeyId(std::string_view public_key) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(public_key.data()), public_key.size(),
                     nullptr, 0);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

absl::StatusOr<std::string> Ed25519KeyRing::Add(const fs::path& dir) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  TRAVIO_RETURN_IF_ERROR(EnsurePrivateDirectory(dir));
  TRAVIO_ASSIGN_OR_RETURN(std::string kid, GenerateKey(dir));
  TRAVIO_RETURN_IF_ERROR(WritePrivateFile(dir / "current", kid));
  return kid;
}

absl::Status Ed25519KeyRing::Retire(const fs::path& dir, std::string_view kid) {
  auto current = ReadKeyFile(dir / "current");
  if (current.ok() && *current == kid) {
    return absl::FailedPreconditionError("the current signing key cannot be retired; rotate first");
  }
  // A kid is hex; anything else could name a file outside the directory.
  if (kid.empty() || kid.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return absl::NotFoundError("no signing key " + std::string(kid));
  }
  std::error_code error;
  if (!fs::remove(dir / (std::string(kid) + ".key"), error)) {
    return absl::NotFoundError("no signing key " + std::string(kid));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Ed25519KeyRing>> Ed25519KeyRing::Open(const fs::path& dir) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  TRAVIO_RETURN_IF_ERROR(EnsurePrivateDirectory(dir));
  if (!fs::exists(dir / "current")) {
    // The first key: whoever links `current` first wins; a loser's key stays unused (and
    // published, which is harmless).
    TRAVIO_ASSIGN_OR_RETURN(std::string kid, GenerateKey(dir));
    TRAVIO_RETURN_IF_ERROR(WritePrivateFileIfAbsent(dir / "current", kid).status());
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string current, ReadKeyFile(dir / "current"));
  auto ring = std::unique_ptr<Ed25519KeyRing>(new Ed25519KeyRing());
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".key") continue;
    TRAVIO_ASSIGN_OR_RETURN(std::string hex, ReadKeyFile(entry.path()));
    std::optional<std::string> secret = HexDecode(hex, crypto_sign_SECRETKEYBYTES);
    sodium_memzero(hex.data(), hex.size());
    if (!secret) {
      return absl::DataLossError(absl::StrCat("key file ", entry.path().string(), " is malformed"));
    }
    std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
    crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(public_key.data()),
                                 reinterpret_cast<const unsigned char*>(secret->data()));
    const std::string kid = KeyId(public_key);
    if (kid != entry.path().stem().string()) {
      return absl::DataLossError(
          absl::StrCat("key file ", entry.path().string(), " does not hold key ", kid));
    }
    if (kid == current) ring->current_ = ring->keys_.size();
    ring->keys_.push_back({kid, *std::move(secret), std::move(public_key)});
  }
  if (ring->keys_.empty() || ring->keys_[ring->current_].kid != current) {
    return absl::DataLossError(
        absl::StrCat("the current signing key ", current, " is missing from ", dir.string()));
  }
  return ring;
}

std::vector<const Ed25519Key*> Ed25519KeyRing::published() const {
  std::vector<const Ed25519Key*> keys = {&keys_[current_]};
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (i != current_) keys.push_back(&keys_[i]);
  }
  return keys;
}

}  // namespace travio::crypto
