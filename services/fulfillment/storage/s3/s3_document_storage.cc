#include "services/fulfillment/storage/s3/s3_document_storage.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/fulfillment/storage/document_key.h"
#include "services/fulfillment/storage/s3/sigv4.h"

namespace travio::fulfillment {
namespace {

struct Response {
  long status = 0;
  std::string body;
};

size_t Collect(char* data, size_t size, size_t count, void* closure) {
  static_cast<std::string*>(closure)->append(data, size * count);
  return size * count;
}

struct Upload {
  std::string_view bytes;
  size_t offset = 0;
};

size_t Feed(char* buffer, size_t size, size_t count, void* closure) {
  auto* upload = static_cast<Upload*>(closure);
  const size_t n = std::min(size * count, upload->bytes.size() - upload->offset);
  std::memcpy(buffer, upload->bytes.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

class S3DocumentStorage final : public DocumentStorage {
 public:
  S3DocumentStorage(S3Settings settings, std::string scheme, std::string host, const Clock& clock)
      : settings_(std::move(settings)),
        scheme_(std::move(scheme)),
        host_(std::move(host)),
        clock_(clock) {}

  std::string_view name() const override { return "s3"; }

  absl::Status Put(const std::string& key, std::string_view bytes,
                   std::string_view content_type) override {
    TRAVIO_RETURN_IF_ERROR(CheckDocumentKey(key));
    TRAVIO_ASSIGN_OR_RETURN(Response response, Send("PUT", key, bytes, content_type));
    if (response.status != 200) return Failed("PUT", key, response);
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Get(const std::string& key) override {
    TRAVIO_RETURN_IF_ERROR(CheckDocumentKey(key));
    TRAVIO_ASSIGN_OR_RETURN(Response response, Send("GET", key, {}, {}));
    if (response.status == 404) return absl::NotFoundError(absl::StrCat("no document ", key));
    if (response.status != 200) return Failed("GET", key, response);
    return std::move(response.body);
  }

  absl::Status Delete(const std::string& key) override {
    TRAVIO_RETURN_IF_ERROR(CheckDocumentKey(key));
    TRAVIO_ASSIGN_OR_RETURN(Response response, Send("DELETE", key, {}, {}));
    if (response.status != 204 && response.status != 200 && response.status != 404) {
      return Failed("DELETE", key, response);
    }
    return absl::OkStatus();
  }

 private:
  static absl::Status Failed(const std::string& method, const std::string& key,
                             const Response& response) {
    // The body of an S3 error names the problem (SignatureDoesNotMatch, NoSuchBucket); it
    // carries no secret.
    std::string detail = response.body.substr(0, 300);
    return absl::UnavailableError(
        absl::StrCat("S3 ", method, " ", key, " answered ", response.status, ": ", detail));
  }

  absl::StatusOr<Response> Send(const std::string& method, const std::string& key,
                                std::string_view body, std::string_view content_type) {
    const std::string path =
        absl::StrCat("/", UriEncode(settings_.bucket, false), "/", UriEncode(key, true));
    const absl::Time now = clock_.Now();
    SigV4Request request{
        .method = method,
        .path = path,
        .headers = {{"host", host_},
                    {"x-amz-date", AmzDate(now)},
                    {"x-amz-content-sha256", crypto::HexEncode(crypto::Sha256(body))}},
        .payload_sha256 = ""};
    request.payload_sha256 = request.headers["x-amz-content-sha256"];
    if (!content_type.empty()) request.headers["content-type"] = std::string(content_type);
    const std::string authorization = AuthorizationHeader(request,
                                                          {.access_key = settings_.access_key,
                                                           .secret_key = settings_.secret_key,
                                                           .region = settings_.region},
                                                          now);

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return absl::InternalError("curl_easy_init failed");
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
    }
    headers = curl_slist_append(headers, absl::StrCat("Authorization: ", authorization).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                            curl_slist_free_all);
    const std::string url = absl::StrCat(scheme_, "://", host_, path);
    Response response;
    Upload upload{body};
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
    if (method == "PUT") {
      curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(handle, CURLOPT_READFUNCTION, Feed);
      curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
      curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (method == "DELETE") {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, "DELETE");
    }
    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK) {
      return absl::UnavailableError(
          absl::StrCat("S3 ", method, " ", key, " failed: ", curl_easy_strerror(code)));
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

  S3Settings settings_;
  std::string scheme_;
  std::string host_;  // host[:port], as signed and sent
  const Clock& clock_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DocumentStorage>> MakeS3DocumentStorage(const S3Settings& settings,
                                                                       const Clock& clock) {
  const auto invalid = [](const std::string& why) {
    return absl::InvalidArgumentError(absl::StrCat("fulfillment.s3: ", why));
  };
  std::string scheme;
  std::string_view rest = settings.endpoint;
  if (rest.starts_with("https://")) {
    scheme = "https";
  } else if (rest.starts_with("http://")) {
    scheme = "http";
  } else {
    return invalid("endpoint must be an http:// or https:// URL");
  }
  rest.remove_prefix(scheme.size() + 3);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/@?#") != std::string_view::npos) {
    return invalid("endpoint must be scheme://host[:port] without a path or credentials");
  }
  if (settings.bucket.empty() || CheckDocumentKey(settings.bucket).ok() == false ||
      settings.bucket.find('/') != std::string::npos) {
    return invalid("bucket must be a bucket name");
  }
  if (settings.access_key.empty() || settings.secret_key.empty() || settings.region.empty()) {
    return invalid("access_key, secret_key and region are required");
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);  // reference-counted; thread-safe since 7.84
  return std::unique_ptr<DocumentStorage>(
      new S3DocumentStorage(settings, std::move(scheme), std::string(rest), clock));
}

}  // namespace travio::fulfillment
