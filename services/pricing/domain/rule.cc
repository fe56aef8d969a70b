#include "services/pricing/domain/rule.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/text.h"

namespace travio::pricing {

absl::Status ValidateDraft(const RuleDraft& draft) {
  std::vector<FieldError> errors;
  std::string name(absl::StripAsciiWhitespace(draft.name));
  if (name.empty()) {
    errors.push_back({"name", "is required"});
  } else if (CodePoints(draft.name) > kMaxRuleNameLength) {
    errors.push_back({"name", absl::StrCat("at most ", kMaxRuleNameLength, " characters")});
  }
  if (draft.priority < kMinPriority || draft.priority > kMaxPriority) {
    errors.push_back(
        {"priority", absl::StrCat("must be between ", kMinPriority, " and ", kMaxPriority)});
  }
  if (absl::StripAsciiWhitespace(draft.when).empty()) {
    errors.push_back({"when", "is required (write true for every seat)"});
  }
  if (absl::StripAsciiWhitespace(draft.adjust).empty()) {
    errors.push_back({"adjust", "is required (the new price, from price)"});
  }
  if (draft.valid_from && draft.valid_to && *draft.valid_to <= *draft.valid_from) {
    errors.push_back({"valid_to", "must be after valid_from"});
  }
  if (errors.empty()) return absl::OkStatus();
  return WithFieldErrors(Error(reasons::kValidationFailed, "The pricing rule is not valid."),
                         errors);
}

bool InForce(const PricingRule& rule, absl::Time at) {
  if (!rule.spec.active) return false;
  if (rule.spec.valid_from && at < *rule.spec.valid_from) return false;
  if (rule.spec.valid_to && at >= *rule.spec.valid_to) return false;
  return true;
}

}  // namespace travio::pricing
