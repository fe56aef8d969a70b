#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/notification/domain/address.h"

namespace travio::notification {

/// Largest text body accepted, in octets of UTF-8.
inline constexpr size_t kMaxBodyBytes = 256 * 1024;
/// Longest body line accepted, in octets without the line break (RFC 5322 section 2.1.1).
inline constexpr size_t kMaxBodyLineBytes = 998;
/// Longest subject accepted, in octets of UTF-8.
inline constexpr size_t kMaxSubjectBytes = 512;
/// Longest template family name ("org_invite").
inline constexpr size_t kMaxKindBytes = 40;

/// Largest total of an email's attachments.
inline constexpr size_t kMaxAttachmentBytes = 8 * 1024 * 1024;

/// A file sent with an email (a ticket PDF).
struct Attachment {
  std::string filename;      // [A-Za-z0-9._-], at most 100 characters
  std::string content_type;  // "application/pdf"
  std::string bytes;
  bool operator==(const Attachment&) const = default;
};

/// One email ready to be rendered: what the caller asked for plus what notification assigns.
struct Email {
  Mailbox from;
  std::string to;
  std::string subject;
  std::string text_body;
  /// An HTML alternative of the text (empty: text only).
  std::string html_body;
  std::vector<Attachment> attachments;
  /// The Message-ID without angle brackets: "<uuid>@<from domain>".
  std::string message_id;
  absl::Time date;
};

/// Checks what a caller sends, before anything is assigned or written. kInvalidArgument with
/// field errors and one of the reasons invalid_email_address (`to`), header_injection (CR, LF
/// or other control characters in `to` or `subject`), email_too_large (subject or body over
/// the limits, or a body line over 998 octets), invalid_utf8 (subject or body) or
/// invalid_email_kind (`kind` not [a-z][a-z0-9_]*, at most 40 characters).
absl::Status ValidateRequest(std::string_view to, std::string_view subject,
                             std::string_view text_body, std::string_view kind);

/// Checks an HTML alternative and attachments: UTF-8 HTML no larger than a text body, file names
/// of [A-Za-z0-9._-] (1 to 100), content types of `type/subtype` tokens, and at most
/// kMaxAttachmentBytes in all. kInvalidArgument email_too_large or invalid_attachment.
absl::Status ValidateExtras(std::string_view html_body, const std::vector<Attachment>& attachments);

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
/// U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace travio::notification
