#include "platform/rpc/caller_policy.h"

#include "absl/strings/str_cat.h"

namespace travio::rpc {

void CallerPolicy::Allow(std::string_view service, std::string_view method,
                         std::string_view caller) {
  allowed_[absl::StrCat("/", std::string(service), "/", std::string(method))].emplace(caller);
}

absl::Status CallerPolicy::Check(std::string_view path, std::string_view caller) const {
  const auto method = allowed_.find(path);
  if (method != allowed_.end() && method->second.count(std::string(caller)) > 0) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(caller.empty() ? std::string("a caller without a name") : std::string(caller),
                   " may not call ", std::string(path)));
}

}  // namespace travio::rpc
