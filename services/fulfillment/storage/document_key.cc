#include "services/fulfillment/storage/document_key.h"

#include "absl/strings/ascii.h"

namespace travio::fulfillment {

absl::Status CheckDocumentKey(std::string_view key) {
  const absl::Status invalid = absl::InvalidArgumentError("not a document key");
  if (key.empty() || key.size() > 512) return invalid;
  for (char c : key) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' &&
        c != '/') {
      return invalid;
    }
  }
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    const std::string_view segment = key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return invalid;
    start = end + 1;
  }
  return absl::OkStatus();
}

}  // namespace travio::fulfillment
