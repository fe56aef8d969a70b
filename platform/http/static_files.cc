#include "platform/http/static_files.h"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platform/http/problem.h"

namespace travio::http {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const fs::path& path) {
  static const auto* const kTypes =
      new std::map<std::string, std::string>{{".html", "text/html; charset=utf-8"},
                                             {".css", "text/css; charset=utf-8"},
                                             {".js", "text/javascript; charset=utf-8"},
                                             {".mjs", "text/javascript; charset=utf-8"},
                                             {".wasm", "application/wasm"},
                                             {".webmanifest", "application/manifest+json"},
                                             {".webp", "image/webp"},
                                             {".json", "application/json"},
                                             {".svg", "image/svg+xml"},
                                             {".png", "image/png"},
                                             {".ico", "image/x-icon"},
                                             {".txt", "text/plain; charset=utf-8"},
                                             {".woff2", "font/woff2"},
                                             {".pdf", "application/pdf"}};
  auto it = kTypes->find(path.extension().string());
  return it == kTypes->end() ? "application/octet-stream" : it->second;
}

bool IsInside(const fs::path& root, const fs::path& candidate) {
  auto root_it = root.begin();
  auto it = candidate.begin();
  for (; root_it != root.end(); ++root_it, ++it) {
    if (it == candidate.end() || *it != *root_it) return false;
  }
  return true;
}

// The page a single-page app draws for `relative`: the nearest index.html in it or above it.
std::optional<fs::path> AppPage(const fs::path& root, fs::path relative) {
  std::error_code ec;
  while (true) {
    // Canonical, so that an index.html linking out of the root is refused like any file.
    fs::path page = fs::weakly_canonical(root / relative / "index.html", ec);
    if (!ec && IsInside(root, page) && fs::is_regular_file(page, ec)) return page;
    if (relative.empty()) return std::nullopt;
    relative = relative.parent_path();
  }
}

// Whether the client takes gzip (RFC 9110 Accept-Encoding: "gzip", "gzip;q=0.5", not "q=0").
bool AcceptsGzip(const Request& request) {
  const std::optional<std::string> accepted = request.Header("Accept-Encoding");
  if (!accepted) return false;
  for (absl::string_view item : absl::StrSplit(*accepted, ',')) {
    item = absl::StripAsciiWhitespace(item);
    const size_t semicolon = item.find(';');
    const absl::string_view coding = absl::StripAsciiWhitespace(item.substr(0, semicolon));
    if (!absl::EqualsIgnoreCase(coding, "gzip")) continue;
    if (semicolon == absl::string_view::npos) return true;
    absl::string_view parameter = absl::StripAsciiWhitespace(item.substr(semicolon + 1));
    double q = 1;
    if (absl::ConsumePrefix(&parameter, "q=") && !absl::SimpleAtod(parameter, &q)) return false;
    return q > 0;
  }
  return false;
}

bool LooksLikePage(const std::string& path, const StaticFilesOptions& options) {
  for (const std::string& prefix : options.api_prefixes) {
    if (path.starts_with(prefix)) return false;
  }
  const size_t slash = path.rfind('/');
  return path.find('.', slash == std::string::npos ? 0 : slash) == std::string::npos;
}

}  // namespace

Handler StaticFiles(fs::path root, StaticFilesOptions options) {
  std::error_code ec;
  fs::path canonical_root = fs::weakly_canonical(root, ec);
  if (ec || canonical_root.empty()) {
    // An unresolvable root must not turn into "every path is inside it".
    return [](Request& request) {
      return ProblemFromStatus(Error(reasons::kNotFound, "No file at " + request.path + "."));
    };
  }
  return [root = std::move(canonical_root),
          options = std::move(options)](Request& request) -> Response {
    auto not_found = [&] {
      return ProblemFromStatus(Error(reasons::kNotFound, "No file at " + request.path + "."));
    };
    std::error_code ec;
    fs::path candidate = fs::weakly_canonical(root / fs::path(request.path).relative_path(), ec);
    if (ec || !IsInside(root, candidate)) return not_found();
    if (fs::is_directory(candidate, ec)) {
      // Canonical again: a directory's index.html may itself link out of the root.
      candidate = fs::weakly_canonical(candidate / "index.html", ec);
      if (ec || !IsInside(root, candidate)) candidate.clear();
    }
    if (candidate.empty() || !fs::is_regular_file(candidate, ec)) {
      if (!options.app_fallback || !LooksLikePage(request.path, options)) return not_found();
      std::optional<fs::path> page =
          AppPage(root, fs::path(request.path).relative_path().lexically_normal());
      if (!page) return not_found();
      candidate = *page;
    }
    // The file as it will be opened, every link resolved: a path that went through a missing
    // directory and ".." is only normalised as text by weakly_canonical, links and all.
    if (fs::path real = fs::canonical(candidate, ec); ec || !IsInside(root, real)) {
      return not_found();
    }
    const std::string type = ContentType(candidate);
    // The web build writes <file>.gz beside each large file: sent as is to clients that take
    // gzip, so nothing is compressed per request.
    fs::path compressed = fs::canonical(fs::path(candidate.string() + ".gz"), ec);
    const bool has_compressed =
        !ec && IsInside(root, compressed) && fs::is_regular_file(compressed, ec);
    const bool send_compressed = has_compressed && AcceptsGzip(request);
    std::ifstream in(send_compressed ? compressed : candidate, std::ios::binary);
    if (!in) return not_found();
    std::ostringstream contents;
    contents << in.rdbuf();
    Response response = Response::Text(200, contents.str(), type);
    if (send_compressed) response.SetHeader("Content-Encoding", "gzip");
    if (has_compressed) response.SetHeader("Vary", "Accept-Encoding");
    const bool hashed = candidate.lexically_relative(root).begin()->string() == "assets";
    response.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    response.SetHeader("X-Content-Type-Options", "nosniff");
    if (type.starts_with("text/html") || type.starts_with("image/svg+xml")) {
      response.SetHeader("Referrer-Policy", "same-origin");
      if (!options.html_security_policy.empty()) {
        response.SetHeader("Content-Security-Policy", options.html_security_policy);
      }
    }
    return response;
  };
}

}  // namespace travio::http
