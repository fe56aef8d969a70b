#include "platform/http/static_files.h"

#include <fstream>
#include <map>
#include <sstream>

#include "platform/http/problem.h"

namespace travio::http {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const fs::path& path) {
  static const auto* const kTypes =
      new std::map<std::string, std::string>{{".html", "text/html; charset=utf-8"},
                                             {".css", "text/css; charset=utf-8"},
                                             {".js", "text/javascript; charset=utf-8"},
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

}  // namespace

Handler StaticFiles(fs::path root) {
  std::error_code ec;
  fs::path canonical_root = fs::weakly_canonical(root, ec);
  if (ec || canonical_root.empty()) {
    // An unresolvable root must not turn into "every path is inside it".
    return [](Request& request) {
      return ProblemFromStatus(Error(reasons::kNotFound, "No file at " + request.path + "."));
    };
  }
  return [root = std::move(canonical_root)](Request& request) -> Response {
    auto not_found = [&] {
      return ProblemFromStatus(Error(reasons::kNotFound, "No file at " + request.path + "."));
    };
    std::error_code ec;
    fs::path candidate = fs::weakly_canonical(root / fs::path(request.path).relative_path(), ec);
    if (ec || !IsInside(root, candidate)) return not_found();
    if (fs::is_directory(candidate, ec)) candidate /= "index.html";
    if (!fs::is_regular_file(candidate, ec)) return not_found();
    std::ifstream in(candidate, std::ios::binary);
    if (!in) return not_found();
    std::ostringstream contents;
    contents << in.rdbuf();
    Response response = Response::Text(200, contents.str(), ContentType(candidate));
    response.SetHeader("Cache-Control", "no-cache");
    response.SetHeader("X-Content-Type-Options", "nosniff");
    return response;
  };
}

}  // namespace travio::http
