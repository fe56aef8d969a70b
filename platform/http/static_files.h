#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "platform/http/router.h"

namespace travio::http {

/// The Content-Security-Policy of the web apps' pages: everything from this origin only; inline
/// styles (components set style attributes); WebAssembly may be compiled (the scanner's QR
/// decoder), JavaScript from strings may not; camera streams play as blob: media.
inline constexpr char kWebAppSecurityPolicy[] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self' "
    "blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

struct StaticFilesOptions {
  /// Paths that match no file and look like pages of a single-page app (no dot in their last
  /// segment, outside `api_prefixes`) are answered with the nearest `index.html` above them:
  /// `/trips/123` with `/index.html`, `/scan/today` with `/scan/index.html`.
  bool app_fallback = false;
  /// Prefixes that are never pages: an unknown API path stays a 404 problem.
  std::vector<std::string> api_prefixes = {"/v1/", "/.well-known/"};
  /// Content-Security-Policy of every HTML answer (empty: none).
  std::string html_security_policy;
};

/// A handler serving the files under `root` to GET and HEAD: `index.html` for directories,
/// Content-Type by extension, and nothing outside `root` (`..` and symlinks leading out are
/// answered 404). Files under `/assets/` carry a content hash in their names (the web build's
/// output) and are cached for a year; everything else is revalidated on every use.
Handler StaticFiles(std::filesystem::path root, StaticFilesOptions options = {});

}  // namespace travio::http
