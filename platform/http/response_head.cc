#include "platform/http/response_head.h"

#include <strings.h>

#include "absl/strings/ascii.h"

namespace travio::http {
namespace {

// RFC 9110 section 5.6.2: tchar.
bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool IsSafeValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

void AppendField(std::string& head, std::string_view name, std::string_view value) {
  head.append(name).append(": ").append(value).append("\r\n");
}

bool IsOwnedByServer(std::string_view name, bool streamed) {
  return SameName(name, "Content-Length") || SameName(name, "Transfer-Encoding") ||
         SameName(name, "Connection") || SameName(name, "Server") ||
         SameName(name, "X-Request-Id") || (streamed && SameName(name, "Cache-Control"));
}

}  // namespace

std::string SerializeResponseHead(int status, const Headers& headers,
                                  const ResponseHeadOptions& options) {
  std::string head;
  head.reserve(256);
  head.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  head.append(ReasonPhrase(status)).append("\r\n");
  for (const auto& [name, value] : headers) {
    if (!IsToken(name) || !IsSafeValue(value) || IsOwnedByServer(name, options.no_cache)) {
      continue;
    }
    AppendField(head, name, value);
  }
  head += "Server: travio\r\n";
  if (!options.request_id.empty() && IsSafeValue(options.request_id)) {
    AppendField(head, "X-Request-Id", options.request_id);
  }
  if (options.no_cache) head += "Cache-Control: no-cache\r\n";
  if (options.content_length) {
    AppendField(head, "Content-Length", std::to_string(*options.content_length));
  }
  if (options.close) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace travio::http
