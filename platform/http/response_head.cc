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

// RFC 9110 section 5.5: field content is visible characters, spaces and tabs (and obs-text).
bool IsFieldValue(std::string_view value) {
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return false;
  }
  return true;
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

bool IsSendableField(std::string_view name, std::string_view value) {
  return IsToken(name) && IsFieldValue(value);
}

std::optional<std::string> FirstUnsendableField(const Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (!IsSendableField(name, value)) return name;
  }
  return std::nullopt;
}

bool IsSendableStatus(int status) { return status >= 200 && status <= 599; }

bool StatusHasNoBody(int status) { return status == 204 || status == 304; }

std::string SerializeResponseHead(int status, const Headers& headers,
                                  const ResponseHeadOptions& options) {
  std::string head;
  head.reserve(256);
  head.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  head.append(ReasonPhrase(status)).append("\r\n");
  for (const auto& [name, value] : headers) {
    if (!IsSendableField(name, value) || IsOwnedByServer(name, options.no_cache)) continue;
    AppendField(head, name, value);
  }
  head += "Server: travio\r\n";
  if (!options.request_id.empty() && IsFieldValue(options.request_id)) {
    AppendField(head, "X-Request-Id", options.request_id);
  }
  if (options.no_cache) head += "Cache-Control: no-cache\r\n";
  if (options.content_length) {
    AppendField(head, "Content-Length", std::to_string(*options.content_length));
  }
  if (options.chunked) head += "Transfer-Encoding: chunked\r\n";
  if (options.close) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace travio::http
