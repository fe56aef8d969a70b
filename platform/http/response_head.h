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
  /// The body comes in chunked transfer coding.
  bool chunked = false;
};

/// Whether a handler's field can be sent as it is: the name an HTTP token, the value free of
/// control characters other than tab (a CR or LF in it would split the response).
bool IsSendableField(std::string_view name, std::string_view value);

/// The name of the first of `headers` that cannot be sent, if any.
std::optional<std::string> FirstUnsendableField(const Headers& headers);

/// Whether the server may send a response with this status: 200 to 599 (1xx answers are the
/// server's own business, and a code outside 100-599 is not HTTP).
bool IsSendableStatus(int status);

/// Whether a response with this status never carries a body (204, 304; RFC 9110 6.4.1).
bool StatusHasNoBody(int status);

/// The status line and header block of an HTTP/1.1 response, ending with the empty line, so the
/// server can send it and the body in one gather write.
///
/// The server owns the fields that frame the message (Content-Length, Transfer-Encoding,
/// Connection) and those it sets itself (Server, X-Request-Id, and Cache-Control on a stream): a
/// handler's values for them are left out. So is any field IsSendableField refuses: a value
/// built from input must never split the response (the server answers 500 before it gets here,
/// so this is the last line, not the first).
std::string SerializeResponseHead(int status, const Headers& headers,
                                  const ResponseHeadOptions& options);

}  // namespace travio::http
