#include "platform/rpc/certificate_check.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"

namespace travio::rpc {
namespace {

using FilePtr = std::unique_ptr<FILE, int (*)(FILE*)>;

absl::Status Unusable(const std::filesystem::path& path, const char* why) {
  return absl::FailedPreconditionError(
      absl::StrCat(path.string(), " ", why,
                   "; issue it again with `travio certs issue --force` (or `travio certs init`)"));
}

FilePtr Open(const std::filesystem::path& path) {
  return FilePtr(std::fopen(path.c_str(), "r"), &std::fclose);
}

}  // namespace

absl::Status CheckIdentityFiles(const TlsFiles& files, const std::string& identity) {
  const std::filesystem::path ca_path = files.ca();
  const std::filesystem::path certificate_path = files.certificate(identity);
  const std::filesystem::path key_path = files.key(identity);
  FilePtr ca_file = Open(ca_path);
  FilePtr certificate_file = Open(certificate_path);
  FilePtr key_file = Open(key_path);
  for (const auto& [file, path] : {std::pair{ca_file.get(), ca_path},
                                   {certificate_file.get(), certificate_path},
                                   {key_file.get(), key_path}}) {
    if (file == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("missing certificate file ", path.string(),
                       "; create certificates with `travio certs init --out ",
                       path.parent_path().string(), "` or set grpc.tls_dir"));
    }
  }
  std::unique_ptr<X509, decltype(&X509_free)> ca(
      PEM_read_X509(ca_file.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!ca) return Unusable(ca_path, "holds no PEM certificate");
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      PEM_read_X509(certificate_file.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!certificate) return Unusable(certificate_path, "holds no PEM certificate");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_PrivateKey(key_file.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key) return Unusable(key_path, "holds no PEM private key");
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return Unusable(key_path,
                    absl::StrCat("is not the key of ", certificate_path.string()).c_str());
  }
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                          &X509_STORE_CTX_free);
  if (!store || !context || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), certificate.get(), nullptr) != 1) {
    return absl::InternalError("OpenSSL failed to set up a certificate check");
  }
  if (X509_verify_cert(context.get()) != 1) {
    return Unusable(
        certificate_path,
        absl::StrCat("is not valid under ", ca_path.string(), ": ",
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get())))
            .c_str());
  }
  return absl::OkStatus();
}

}  // namespace travio::rpc
