#include "services/identity/domain/credentials.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/text.h"

namespace travio::identity {
namespace {

absl::Status FieldError(const Reason& reason, std::string_view field, std::string_view message) {
  return WithFieldErrors(Error(reason, message), {{std::string(field), std::string(message)}});
}

absl::Status InvalidField(std::string_view field, std::string_view message) {
  return FieldError(reasons::kValidationFailed, field, message);
}

absl::Status Weak(std::string_view message) {
  return FieldError(reasons::kWeakPassword, "password", message);
}

// Counts UTF-8 code points; a password's length is what the person typed.
bool HasControlCharacters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

// The most common passwords of public breach corpora that are 10 characters or longer (shorter
// ones fail the length rule anyway). Compared case-insensitively.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "1234567890",   "0123456789",   "12345678910", "1234567891",    "qwertyuiop",
    "1q2w3e4r5t",   "1qaz2wsx3edc", "qwerty1234",  "password12",    "password123",
    "password1234", "passw0rd123",  "iloveyou12",  "abcdefghij",    "abc1234567",
    "a1b2c3d4e5",   "9876543210",   "1111111111",  "0000000000",    "qwertyuiop123",
    "asdfghjkl1",   "zxcvbnm123",   "football123", "princess12",    "welcome123",
    "welcome1234",  "letmein123",   "sunshine123", "admin12345",    "administrator",
    "changeme123",  "monkey12345",  "dragon12345", "baseball123",   "superman123",
    "trustno1234",  "bangladesh",   "bangladesh1", "bangladesh123", "travio12345"};

}  // namespace

absl::StatusOr<std::string> NormalizeEmail(std::string_view email) {
  std::string text(absl::StripAsciiWhitespace(ToAbsl(email)));
  absl::AsciiStrToLower(&text);
  if (text.empty()) return InvalidField("email", "is required");
  if (text.size() > 254) return InvalidField("email", "is longer than 254 characters");
  const size_t at = text.find('@');
  if (at == std::string::npos || at != text.rfind('@')) {
    return InvalidField("email", "is not an email address");
  }
  // The rules mail servers (and our notification service) accept: a plain ASCII local part
  // without quoting, and a host name of letters, digits and hyphens.
  const std::string_view local = std::string_view(text).substr(0, at);
  const std::string_view domain = std::string_view(text).substr(at + 1);
  constexpr std::string_view kLocalSpecials = "!#$%&'*+-/=?^_`{|}~.";
  const bool local_ok =
      !local.empty() && local.size() <= 64 && local.front() != '.' && local.back() != '.' &&
      local.find("..") == std::string_view::npos &&
      std::all_of(local.begin(), local.end(), [&](char c) {
        return absl::ascii_isalnum(c) || kLocalSpecials.find(c) != std::string_view::npos;
      });
  bool domain_ok = domain.find('.') != std::string_view::npos;
  size_t label_start = 0;
  while (domain_ok && label_start <= domain.size()) {
    size_t label_end = domain.find('.', label_start);
    if (label_end == std::string_view::npos) label_end = domain.size();
    const std::string_view label = domain.substr(label_start, label_end - label_start);
    domain_ok = !label.empty() && label.size() <= 63 && label.front() != '-' &&
                label.back() != '-' && std::all_of(label.begin(), label.end(), [](char c) {
                  return absl::ascii_isalnum(c) || c == '-';
                });
    label_start = label_end + 1;
  }
  if (!local_ok || !domain_ok) return InvalidField("email", "is not an email address");
  return text;
}

absl::Status CheckPasswordStrength(std::string_view password, std::string_view email) {
  const size_t length = CodePoints(password);
  if (length < 10) return Weak("must be at least 10 characters");
  if (length > 128) return Weak("must be at most 128 characters");
  if (std::all_of(password.begin(), password.end(),
                  [&](char c) { return c == password.front(); })) {
    return Weak("must not repeat one character");
  }
  std::string lowered(password);
  absl::AsciiStrToLower(&lowered);
  for (std::string_view common : kCommonPasswords) {
    if (lowered == common) return Weak("is one of the most common passwords");
  }
  if (!email.empty()) {
    const std::string_view local = email.substr(0, email.find('@'));
    if (lowered == email || (local.size() >= 4 && absl::StrContains(lowered, ToAbsl(local)))) {
      return Weak("must not contain your email address");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeName(std::string_view name) {
  std::string text(absl::StripAsciiWhitespace(ToAbsl(name)));
  if (text.empty()) return InvalidField("name", "is required");
  if (CodePoints(text) > 100) return InvalidField("name", "is longer than 100 characters");
  if (HasControlCharacters(text)) return InvalidField("name", "contains control characters");
  return text;
}

absl::StatusOr<std::string> NormalizePhone(std::string_view phone) {
  std::string text(absl::StripAsciiWhitespace(ToAbsl(phone)));
  if (text.empty()) return text;
  const bool valid = text.size() >= 8 && text.size() <= 16 && text.front() == '+' &&
                     text[1] != '0' &&
                     std::all_of(text.begin() + 1, text.end(), absl::ascii_isdigit);
  if (!valid) return InvalidField("phone", "must be in E.164 form, e.g. +8801712345678");
  return text;
}

}  // namespace travio::identity
