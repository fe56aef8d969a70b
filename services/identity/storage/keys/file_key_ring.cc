#include "services/identity/storage/keys/file_key_ring.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"

namespace travio::identity {
namespace {

namespace fs = std::filesystem;

std::string ToHex(std::string_view bytes) { return crypto::HexEncode(bytes); }

absl::StatusOr<std::string> FromHex(std::string_view hex, size_t expected, const fs::path& file) {
  auto bytes = crypto::HexDecode(hex, expected);
  if (!bytes) return absl::DataLossError(absl::StrCat("key file ", file.string(), " is malformed"));
  return *std::move(bytes);
}

absl::StatusOr<std::string> ReadSmallFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

// Written to a temporary file with mode 0600 and renamed into place, so a crash never leaves a
// half-written key and no other user can read it even for a moment.
absl::Status WritePrivateFile(const fs::path& file, std::string_view content) {
  const fs::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("cannot write ", file.string()));
  const std::string text = std::string(content) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  std::error_code error;
  if (written) fs::rename(temporary, file, error);
  if (!written || error) {
    fs::remove(temporary, error);
    return absl::InternalError(absl::StrCat("cannot write ", file.string()));
  }
  return absl::OkStatus();
}

// Like WritePrivateFile, but only when `file` does not exist yet: two processes starting at
// once on an empty shared directory must end up with the same key, not one each. Returns
// whether this call created it.
absl::StatusOr<bool> WritePrivateFileIfAbsent(const fs::path& file, std::string_view content) {
  unsigned char nonce[8];
  randombytes_buf(nonce, sizeof nonce);
  const fs::path temporary =
      file.string() + "." + ToHex(std::string_view(reinterpret_cast<char*>(nonce), 8)) + ".new";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::PermissionDeniedError("cannot write " + file.string());
  const std::string text = std::string(content) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  // link() fails with EEXIST instead of replacing, unlike rename().
  const bool created = written && ::link(temporary.c_str(), file.c_str()) == 0;
  const int link_error = errno;
  ::unlink(temporary.c_str());
  if (!written) return absl::InternalError("cannot write " + file.string());
  if (!created && link_error != EEXIST) return absl::InternalError("cannot write " + file.string());
  return created;
}

absl::Status EnsurePrivateDirectory(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir.string()));
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  return absl::OkStatus();
}

absl::StatusOr<std::string> GenerateSigningKey(const fs::path& dir) {
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(secret_key.data()));
  const std::string kid = FileKeyRing::KeyId(public_key);
  std::string hex = ToHex(secret_key);
  absl::Status written = WritePrivateFile(dir / "signing" / (kid + ".key"), hex);
  sodium_memzero(secret_key.data(), secret_key.size());
  sodium_memzero(hex.data(), hex.size());
  TRAVIO_RETURN_IF_ERROR(written);
  return kid;
}

}  // namespace

std::string FileKeyRing::KeyId(std::string_view public_key) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(public_key.data()), public_key.size(),
                     nullptr, 0);
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

absl::StatusOr<std::string> FileKeyRing::AddSigningKey(const fs::path& dir) {
  TRAVIO_RETURN_IF_ERROR(EnsurePrivateDirectory(dir / "signing"));
  TRAVIO_ASSIGN_OR_RETURN(std::string kid, GenerateSigningKey(dir));
  TRAVIO_RETURN_IF_ERROR(WritePrivateFile(dir / "signing" / "current", kid));
  return kid;
}

absl::Status FileKeyRing::RetireSigningKey(const fs::path& dir, std::string_view kid) {
  auto current = ReadSmallFile(dir / "signing" / "current");
  if (current.ok() && *current == kid) {
    return absl::FailedPreconditionError("the current signing key cannot be retired; rotate first");
  }
  std::error_code error;
  if (!fs::remove(dir / "signing" / (std::string(kid) + ".key"), error)) {
    return absl::NotFoundError("no signing key " + std::string(kid));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<FileKeyRing>> FileKeyRing::Open(const fs::path& dir) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  TRAVIO_RETURN_IF_ERROR(EnsurePrivateDirectory(dir));
  TRAVIO_RETURN_IF_ERROR(EnsurePrivateDirectory(dir / "signing"));

  auto ring = std::unique_ptr<FileKeyRing>(new FileKeyRing());
  const fs::path local_file = dir / "local.key";
  if (!fs::exists(local_file)) {
    std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
    randombytes_buf(key.data(), key.size());
    std::string hex = ToHex(key);
    auto written = WritePrivateFileIfAbsent(local_file, hex);
    sodium_memzero(hex.data(), hex.size());
    TRAVIO_RETURN_IF_ERROR(written.status());
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string local_hex, ReadSmallFile(local_file));
  TRAVIO_ASSIGN_OR_RETURN(ring->local_key_, FromHex(local_hex, 32, local_file));

  if (!fs::exists(dir / "signing" / "current")) {
    // The first key: whoever links `current` first wins; a loser's key stays unused (and
    // published, which is harmless).
    TRAVIO_ASSIGN_OR_RETURN(std::string kid, GenerateSigningKey(dir));
    TRAVIO_RETURN_IF_ERROR(WritePrivateFileIfAbsent(dir / "signing" / "current", kid).status());
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string current, ReadSmallFile(dir / "signing" / "current"));
  for (const auto& entry : fs::directory_iterator(dir / "signing")) {
    if (entry.path().extension() != ".key") continue;
    TRAVIO_ASSIGN_OR_RETURN(std::string hex, ReadSmallFile(entry.path()));
    TRAVIO_ASSIGN_OR_RETURN(std::string secret,
                            FromHex(hex, crypto_sign_SECRETKEYBYTES, entry.path()));
    sodium_memzero(hex.data(), hex.size());
    std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
    crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(public_key.data()),
                                 reinterpret_cast<const unsigned char*>(secret.data()));
    const std::string kid = KeyId(public_key);
    if (kid != entry.path().stem().string()) {
      return absl::DataLossError(
          absl::StrCat("key file ", entry.path().string(), " does not hold key ", kid));
    }
    if (kid == current) ring->current_ = ring->keys_.size();
    ring->keys_.push_back({kid, std::move(secret), std::move(public_key)});
  }
  if (ring->keys_.empty() || ring->keys_[ring->current_].kid != current) {
    return absl::DataLossError(
        absl::StrCat("the current signing key ", current, " is missing from ", dir.string()));
  }
  return ring;
}

std::vector<PublicKey> FileKeyRing::verification_keys() const {
  std::vector<PublicKey> keys;
  // The current key first: clients that try keys in order find it at once.
  keys.push_back({keys_[current_].kid, keys_[current_].public_key});
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (i != current_) keys.push_back({keys_[i].kid, keys_[i].public_key});
  }
  return keys;
}

}  // namespace travio::identity
