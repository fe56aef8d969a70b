#include "services/audit/domain/audit_entry.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/text.h"

namespace travio::audit {
namespace {

absl::Status Field(std::string_view name, std::string_view value, size_t max, bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), " is required"));
  }
  if (value.size() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(name), " is longer than ", max, " bytes"));
  }
  if (!IsPrintableUtf8(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(name), " is not UTF-8 or has control characters"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateFact(const AuditFact& fact) {
  for (const auto& [name, value, max, required] : {
           std::tuple<std::string_view, std::string_view, size_t, bool>{"log", fact.log, 64, true},
           {"source", fact.source, 128, true},
           {"actor", fact.actor, 128, true},
           {"action", fact.action, 128, true},
           {"target", fact.target, 128, false},
           {"target_name", fact.target_name, 256, false},
       }) {
    if (auto status = Field(name, value, max, required); !status.ok()) return status;
  }
  if (fact.details.size() > kMaxDetailsBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("details is longer than ", kMaxDetailsBytes, " bytes"));
  }
  if (fact.at < absl::FromUnixSeconds(0)) {
    return absl::InvalidArgumentError("at is before 1970");
  }
  return absl::OkStatus();
}

absl::Status ValidateQuery(const AuditQuery& query) {
  if (auto status = Field("actor", query.actor, 128, false); !status.ok()) return status;
  if (auto status = Field("action", query.action, 128, false); !status.ok()) return status;
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("limit must be 1..", kMaxPageSize));
  }
  if (query.from && query.to && *query.to <= *query.from) {
    return absl::InvalidArgumentError("to must be after from");
  }
  return absl::OkStatus();
}

}  // namespace travio::audit
