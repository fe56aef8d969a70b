// `travio certs init`: a development CA and per-service certificates, made with OpenSSL.
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "platform/rpc/tls.h"

namespace travio::rpc {
namespace {

namespace fs = std::filesystem;

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

// A service's certificate lasts the CA/Browser Forum's maximum and is renewed with `certs issue`;
// the CA outlives many renewals, so they never all lapse on one day.
constexpr long kServiceValiditySeconds = 397L * 24 * 3600;
constexpr long kCaValiditySeconds = 10L * 365 * 24 * 3600;

absl::Status OpenSslError(std::string_view what) {
  return absl::InternalError(absl::StrCat("OpenSSL failed to ", std::string(what)));
}

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256"), &EVP_PKEY_free); }

bool AddExtension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

absl::StatusOr<CertPtr> MakeCertificate(const std::string& common_name, EVP_PKEY* key, X509* issuer,
                                        EVP_PKEY* issuer_key, bool is_ca) {
  CertPtr certificate(X509_new(), &X509_free);
  if (!certificate) return OpenSslError("allocate a certificate");
  X509_set_version(certificate.get(), 2);
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof(serial_bytes)) != 1) return OpenSslError("draw a serial");
  serial_bytes[0] &= 0x7F;  // positive
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()),
                  is_ca ? kCaValiditySeconds : kServiceValiditySeconds);
  X509_set_pubkey(certificate.get(), key);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Travio development"), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* signer = issuer != nullptr ? issuer : certificate.get();
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer));
  bool ok = true;
  if (is_ca) {
    ok = ok && AddExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    ok = ok &&
         AddExtension(certificate.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    ok = ok && AddExtension(certificate.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    ok = ok && AddExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && AddExtension(certificate.get(), signer, NID_key_usage,
                            "critical,digitalSignature,keyEncipherment");
    ok = ok && AddExtension(certificate.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
    ok = ok && AddExtension(certificate.get(), signer, NID_subject_alt_name,
                            "DNS:" + common_name + ",DNS:localhost,IP:127.0.0.1");
    ok = ok && AddExtension(certificate.get(), signer, NID_authority_key_identifier, "keyid");
  }
  if (!ok) return OpenSslError("add certificate extensions");
  if (X509_sign(certificate.get(), issuer_key, EVP_sha256()) == 0) {
    return OpenSslError("sign a certificate");
  }
  return certificate;
}

// PEM text made by `write` into a memory buffer.
absl::StatusOr<std::string> Pem(const std::function<int(BIO*)>& write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> buffer(BIO_new(BIO_s_mem()), &BIO_free);
  if (!buffer || write(buffer.get()) != 1) return OpenSslError("write PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(buffer.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// A new file beside `path`, renamed over it: a symlink planted at `path` is replaced, never
// followed, and a process reading the files again sees the old file or the new one, never half
// of one. Private keys are 0600 from their first byte.
absl::Status WriteFile(const fs::path& path, bool is_private, const std::string& content) {
  const fs::path temporary = path.string() + ".new";
  ::unlink(temporary.c_str());
  const mode_t mode = is_private ? 0600 : 0644;
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return absl::PermissionDeniedError("cannot write " + temporary.string());
  bool written = ::fchmod(fd, mode) == 0;
  for (size_t done = 0; written && done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    written = n > 0;
    if (written) done += static_cast<size_t>(n);
  }
  written = ::fsync(fd) == 0 && written;
  written = ::close(fd) == 0 && written;
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return absl::PermissionDeniedError("cannot write " + path.string());
  }
  return absl::OkStatus();
}

absl::Status WriteKey(const fs::path& path, EVP_PKEY* key) {
  auto pem = Pem([&](BIO* out) {
    return PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (!pem.ok()) return pem.status();
  return WriteFile(path, true, *pem);
}

absl::Status WriteCertificate(const fs::path& path, X509* certificate) {
  auto pem = Pem([&](BIO* out) { return PEM_write_bio_X509(out, certificate); });
  if (!pem.ok()) return pem.status();
  return WriteFile(path, false, *pem);
}

absl::Status MakeDirectory(const fs::path& directory, bool is_private) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return absl::PermissionDeniedError("cannot create " + directory.string());
  if (is_private) {
    fs::permissions(directory, fs::perms::owner_all, ec);
    if (ec) return absl::PermissionDeniedError("cannot set the mode of " + directory.string());
  }
  return absl::OkStatus();
}

template <typename T>
using Owned = std::unique_ptr<T, void (*)(T*)>;

absl::StatusOr<Owned<FILE>> Open(const fs::path& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", path.string(),
                     "; the CA directory is the one `travio certs init` wrote (--ca-dir)"));
  }
  return Owned<FILE>(file, [](FILE* f) { std::fclose(f); });
}

}  // namespace

absl::Status WriteCertificateAuthority(const fs::path& ca_directory, bool overwrite) {
  const CaFiles ca_files{ca_directory};
  if (!overwrite && fs::exists(ca_files.key())) {
    return absl::AlreadyExistsError(absl::StrCat(
        ca_files.key().string(), " exists; pass --force to replace the CA and every certificate"));
  }
  if (auto s = MakeDirectory(ca_directory, true); !s.ok()) return s;
  KeyPtr ca_key = NewKey();
  if (!ca_key) return OpenSslError("generate the CA key");
  auto ca = MakeCertificate("Travio development CA", ca_key.get(), nullptr, ca_key.get(), true);
  if (!ca.ok()) return ca.status();
  if (auto s = WriteKey(ca_files.key(), ca_key.get()); !s.ok()) return s;
  return WriteCertificate(ca_files.certificate(), ca->get());
}

absl::Status IssueServiceCertificates(const fs::path& ca_directory, const fs::path& directory,
                                      const std::vector<std::string>& services, bool overwrite) {
  const CaFiles ca_files{ca_directory};
  const TlsFiles files{directory};
  if (!overwrite) {
    for (const std::string& service : services) {
      if (fs::exists(files.certificate(service)) || fs::exists(files.key(service))) {
        return absl::AlreadyExistsError(absl::StrCat(files.certificate(service).string(),
                                                     " exists; pass --force to replace it"));
      }
    }
  }
  auto key_file = Open(ca_files.key());
  if (!key_file.ok()) return key_file.status();
  KeyPtr ca_key(PEM_read_PrivateKey(key_file->get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!ca_key) return OpenSslError("read the CA key " + ca_files.key().string());
  auto certificate_file = Open(ca_files.certificate());
  if (!certificate_file.ok()) return certificate_file.status();
  CertPtr ca(PEM_read_X509(certificate_file->get(), nullptr, nullptr, nullptr), &X509_free);
  if (!ca) return OpenSslError("read the CA certificate " + ca_files.certificate().string());
  if (X509_check_private_key(ca.get(), ca_key.get()) != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        ca_files.key().string(), " is not the key of ", ca_files.certificate().string()));
  }
  if (auto s = MakeDirectory(directory, false); !s.ok()) return s;
  // Services trust the CA's certificate, never its key: only the certificate is copied.
  if (auto s = WriteCertificate(files.ca(), ca.get()); !s.ok()) return s;
  for (const std::string& service : services) {
    KeyPtr key = NewKey();
    if (!key) return OpenSslError("generate a key");
    auto certificate = MakeCertificate(service, key.get(), ca.get(), ca_key.get(), false);
    if (!certificate.ok()) return certificate.status();
    if (auto s = WriteKey(files.key(service), key.get()); !s.ok()) return s;
    if (auto s = WriteCertificate(files.certificate(service), certificate->get()); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status WriteDevelopmentCertificates(const fs::path& ca_directory, const fs::path& directory,
                                          const std::vector<std::string>& services,
                                          bool overwrite) {
  if (!overwrite &&
      (fs::exists(TlsFiles{directory}.ca()) || fs::exists(CaFiles{ca_directory}.key()))) {
    return absl::AlreadyExistsError(
        absl::StrCat(directory.string(), " or ", ca_directory.string(),
                     " holds certificates already; pass --force to replace every one"));
  }
  if (auto s = WriteCertificateAuthority(ca_directory, overwrite); !s.ok()) return s;
  return IssueServiceCertificates(ca_directory, directory, services, overwrite);
}

}  // namespace travio::rpc
