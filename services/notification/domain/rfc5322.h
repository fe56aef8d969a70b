#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "services/notification/domain/email.h"

namespace travio::notification {

/// The message as RFC 5322 text: Date, From, To, Subject, Message-ID, MIME-Version and a
/// text/plain; charset=utf-8 body sent as 8bit, every line ending in CRLF. With an HTML body the
/// two are multipart/alternative (the HTML base64); with attachments, those follow in a
/// multipart/mixed (base64, 76-character lines). The email must have passed ValidateRequest and
/// ValidateExtras.
std::string RenderMessage(const Email& email);

/// An RFC 5322 date in UTC: "Thu, 01 Jan 2026 00:00:00 +0000" (English names, any locale).
std::string FormatDate(absl::Time time);

/// Header text (a subject, a display name) as is when it is printable ASCII, else as RFC 2047
/// UTF-8 B encoded-words of at most 64 characters, folded with CRLF SP, never splitting a
/// character.
std::string EncodeHeaderText(std::string_view text);

/// "address", or "Display Name <address>" with the name quoted or encoded as needed.
std::string FormatMailbox(const Mailbox& mailbox);

/// `text` with every line break (LF, CR or CRLF) as CRLF, ending in CRLF when not empty.
std::string ToCrlf(std::string_view text);

}  // namespace travio::notification
