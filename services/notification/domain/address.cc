#include "services/notification/domain/address.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::notification {
namespace {

constexpr size_t kMaxAddress = 254;
constexpr size_t kMaxLocalPart = 64;
constexpr size_t kMaxLabel = 63;

absl::Status Invalid(std::string_view why) {
  return Error(reasons::kInvalidEmailAddress, absl::StrCat("invalid email address: ", ToAbsl(why)));
}

// RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~
bool IsAtext(char c) {
  if (absl::ascii_isalnum(c)) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  char previous = 0;
  for (char c : text) {
    if (c == '.' ? previous == '.' : !IsAtext(c)) return false;
    previous = c;
  }
  return true;
}

bool IsHostname(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(ToAbsl(domain), '.')) {
    if (label.empty() || label.size() > kMaxLabel) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(c) && c != '-') return false;
    }
  }
  return true;
}

}  // namespace

absl::Status ValidateAddress(std::string_view address) {
  if (address.empty()) return Invalid("empty");
  if (address.size() > kMaxAddress) return Invalid("longer than 254 characters");
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return Invalid("no @");
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.size() > kMaxLocalPart) return Invalid("local part longer than 64 characters");
  if (!IsDotAtom(local)) return Invalid("local part is not a plain dot-atom");
  if (!IsHostname(domain)) return Invalid("domain is not a host name");
  return absl::OkStatus();
}

std::string DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  return absl::AsciiStrToLower(ToAbsl(at == std::string_view::npos ? "" : address.substr(at + 1)));
}

std::string InboxOf(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return absl::AsciiStrToLower(ToAbsl(address));
  const std::string_view local = address.substr(0, std::min(address.find('+'), at));
  return absl::AsciiStrToLower(ToAbsl(std::string(local) + std::string(address.substr(at))));
}

absl::StatusOr<Mailbox> ParseMailbox(std::string_view input) {
  const absl::string_view text = absl::StripAsciiWhitespace(ToAbsl(input));
  Mailbox mailbox;
  if (!text.empty() && text.back() == '>') {
    const size_t open = text.rfind('<');
    if (open == absl::string_view::npos) return Invalid("unbalanced angle brackets");
    mailbox.address = std::string(text.substr(open + 1, text.size() - open - 2));
    absl::string_view name = absl::StripAsciiWhitespace(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    for (unsigned char c : name) {
      if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\\') {
        return Invalid("display name holds control characters, quotes or angle brackets");
      }
    }
    mailbox.display_name = std::string(name);
  } else {
    mailbox.address = std::string(text);
  }
  if (auto status = ValidateAddress(mailbox.address); !status.ok()) return status;
  return mailbox;
}

}  // namespace travio::notification
