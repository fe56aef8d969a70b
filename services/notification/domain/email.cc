#include "services/notification/domain/email.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::notification {
namespace {

absl::Status Refuse(const Reason& reason, std::string_view field, std::string_view message) {
  return WithFieldErrors(Error(reason, message), {{std::string(field), std::string(message)}});
}

// CR and LF end a header line; the other controls have no business in one either.
bool HasControl(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool IsKind(std::string_view kind) {
  if (kind.empty() || kind.size() > kMaxKindBytes || !absl::ascii_islower(kind.front())) {
    return false;
  }
  for (char c : kind) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

// The longest line of `body`, whatever its line breaks (CRLF, LF or CR).
size_t LongestLine(std::string_view body) {
  size_t longest = 0, current = 0;
  for (char c : body) {
    if (c == '\r' || c == '\n') {
      current = 0;
    } else if (++current > longest) {
      longest = current;
    }
  }
  return longest;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length;
    uint32_t code;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xe0) == 0xc0) {
      length = 2;
      code = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      code = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

absl::Status ValidateRequest(std::string_view to, std::string_view subject,
                             std::string_view text_body, std::string_view kind) {
  if (!IsKind(kind)) {
    return Refuse(reasons::kInvalidEmailKind, "kind",
                  "kind must be lower-case letters, digits and underscores (at most 40)");
  }
  if (HasControl(to)) {
    return Refuse(reasons::kHeaderInjection, "to",
                  "recipient holds a line break or control character");
  }
  if (auto status = ValidateAddress(to); !status.ok()) {
    return WithFieldErrors(status, {{"to", std::string(status.message())}});
  }
  if (HasControl(subject)) {
    return Refuse(reasons::kHeaderInjection, "subject",
                  "subject holds a line break or control character");
  }
  if (subject.size() > kMaxSubjectBytes) {
    return Refuse(reasons::kEmailTooLarge, "subject",
                  absl::StrCat("subject is longer than ", kMaxSubjectBytes, " bytes"));
  }
  if (!IsValidUtf8(subject))
    return Refuse(reasons::kInvalidUtf8, "subject", "subject is not UTF-8");
  if (text_body.size() > kMaxBodyBytes) {
    return Refuse(reasons::kEmailTooLarge, "text_body",
                  absl::StrCat("body is larger than ", kMaxBodyBytes, " bytes"));
  }
  if (LongestLine(text_body) > kMaxBodyLineBytes) {
    return Refuse(reasons::kEmailTooLarge, "text_body",
                  absl::StrCat("a body line is longer than ", kMaxBodyLineBytes, " bytes"));
  }
  if (!IsValidUtf8(text_body) || text_body.find('\0') != std::string_view::npos) {
    return Refuse(reasons::kInvalidUtf8, "text_body", "body is not UTF-8 text");
  }
  return absl::OkStatus();
}

absl::Status ValidateExtras(std::string_view html_body,
                            const std::vector<Attachment>& attachments) {
  if (html_body.size() > kMaxBodyBytes) {
    return Refuse(reasons::kEmailTooLarge, "html_body",
                  absl::StrCat("HTML body is larger than ", kMaxBodyBytes, " bytes"));
  }
  if (!IsValidUtf8(html_body) || html_body.find('\0') != std::string_view::npos) {
    return Refuse(reasons::kInvalidUtf8, "html_body", "HTML body is not UTF-8 text");
  }
  size_t total = 0;
  for (size_t i = 0; i < attachments.size(); ++i) {
    const Attachment& attachment = attachments[i];
    const std::string field = absl::StrCat("attachments[", i, "]");
    const std::string& name = attachment.filename;
    const bool name_ok = !name.empty() && name.size() <= 100 && name.front() != '.' &&
                         std::all_of(name.begin(), name.end(), [](char c) {
                           return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                  c == '_' || c == '-';
                         });
    if (!name_ok) {
      return Refuse(reasons::kInvalidAttachment, field + ".filename",
                    "file names are 1 to 100 letters, digits, '.', '_' or '-'");
    }
    const std::string& type = attachment.content_type;
    const size_t slash = type.find('/');
    const bool type_ok = slash != std::string::npos && slash > 0 && slash + 1 < type.size() &&
                         type.size() <= 100 &&
                         std::all_of(type.begin(), type.end(),
                                     [](char c) {
                                       return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                                              c == '/' || c == '.' || c == '+' || c == '-';
                                     }) &&
                         type.find('/', slash + 1) == std::string::npos;
    if (!type_ok) {
      return Refuse(reasons::kInvalidAttachment, field + ".content_type",
                    "a content type is type/subtype");
    }
    total += attachment.bytes.size();
  }
  if (total > kMaxAttachmentBytes) {
    return Refuse(reasons::kEmailTooLarge, "attachments",
                  absl::StrCat("attachments are larger than ", kMaxAttachmentBytes, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace travio::notification
