#include "platform/base/reasons.h"

namespace travio {
namespace {

#define TRAVIO_REASON_ADDRESS(constant, name, code, http) &reasons::constant,
constexpr const Reason* kRegistry[] = {TRAVIO_REASONS(TRAVIO_REASON_ADDRESS)};
#undef TRAVIO_REASON_ADDRESS

}  // namespace

const Reason* FindReason(std::string_view name) {
  // Only refusals look a reason up, and there are about a hundred and twenty of them.
  for (const Reason* reason : kRegistry) {
    if (reason->name == name) return reason;
  }
  return nullptr;
}

}  // namespace travio
