#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "platform/http/message.h"

namespace travio::http {

/// What the server itself puts in a response's header block, beside the handler's fields.
struct ResponseHeadOptions {
  std::string_view request_id;
  /// The body's length; none for a body that runs until the connection closes.
  std::optional<size_t> content_length;
  /// Tells the client the connection closes after this response.
  bool close = false;
  /// Marks a streamed response as not to be cached.
  bool no_cache = false;
};

/// The status line and header block of an HTTP/1.1 response, ending with the empty line, so the
/// server can send it and the body in one gather write.
///
/// The server owns the fields that frame the message (Content-Length, Transfer-Encoding,
/// Connection) and those it sets itself (Server, X-Request-Id, and Cache-Control on a stream): a
/// handler's values for them are left out. So is any field whose name is not an HTTP token or
/// whose value holds a CR, LF or NUL: a value built from input must never split the response.
std::string SerializeResponseHead(int status, const Headers& headers,
                                  const ResponseHeadOptions& options);

}  // namespace travio::http
