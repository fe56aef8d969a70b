#include "services/identity/domain/slug.h"

#include "absl/strings/ascii.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::identity {
namespace {

bool SlugCharacter(char c) { return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'; }

}  // namespace

absl::StatusOr<std::string> NormalizeSlug(std::string_view slug) {
  std::string text(absl::StripAsciiWhitespace(ToAbsl(slug)));
  absl::AsciiStrToLower(&text);
  bool valid = text.size() >= 3 && text.size() <= 63 && text.front() != '-' && text.back() != '-';
  for (char c : text) valid = valid && SlugCharacter(c);
  if (!valid) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The input is invalid."),
                           {{"slug", "must be 3 to 63 lower-case letters, digits or dashes"}});
  }
  return text;
}

std::string SlugFromName(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (absl::ascii_isalnum(c)) {
      slug.push_back(absl::ascii_tolower(c));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
    if (slug.size() >= 50) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.size() < 3) slug = slug.empty() ? "org" : slug + "-org";
  return slug;
}

}  // namespace travio::identity
