#include "platform/config/schema.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace travio::config {
namespace {

bool IsValidName(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  for (char c : name) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.')) return false;
  }
  return name.find("..") == std::string::npos;
}

}  // namespace

absl::Status ValidateValue(const KeySpec& spec, const std::string& value) {
  auto invalid = [&](const std::string& expected) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.name, ": \"", value, "\" is not ", expected));
  };
  switch (spec.type) {
    case KeyType::kInt: {
      int64_t parsed;
      if (!absl::SimpleAtoi(value, &parsed)) return invalid("an integer");
      if ((spec.min && parsed < *spec.min) || (spec.max && parsed > *spec.max)) {
        return invalid(absl::StrCat("between ", spec.min.value_or(INT64_MIN), " and ",
                                    spec.max.value_or(INT64_MAX)));
      }
      break;
    }
    case KeyType::kBool:
      if (value != "true" && value != "false") return invalid("true or false");
      break;
    case KeyType::kDuration: {
      absl::Duration parsed;
      if (!absl::ParseDuration(value, &parsed) || parsed < absl::ZeroDuration()) {
        return invalid("a duration such as 300ms, 5s or 10m");
      }
      const int64_t millis = absl::ToInt64Milliseconds(parsed);
      if ((spec.min && millis < *spec.min) || (spec.max && millis > *spec.max)) {
        return invalid(absl::StrCat("between ", spec.min.value_or(0), "ms and ",
                                    spec.max.value_or(INT64_MAX), "ms"));
      }
      break;
    }
    case KeyType::kString:
      break;
  }
  if (!spec.allowed.empty() &&
      std::find(spec.allowed.begin(), spec.allowed.end(), value) == spec.allowed.end()) {
    return invalid(absl::StrCat("one of ", absl::StrJoin(spec.allowed, ", ")));
  }
  return absl::OkStatus();
}

absl::Status Schema::Add(KeySpec spec) {
  if (!IsValidName(spec.name)) {
    return absl::InvalidArgumentError(absl::StrCat("malformed config key \"", spec.name, "\""));
  }
  if (keys_.count(spec.name)) {
    return absl::AlreadyExistsError(absl::StrCat("config key ", spec.name, " declared twice"));
  }
  if (auto status = ValidateValue(spec, spec.default_value); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("bad default: ", status.message()));
  }
  keys_.emplace(spec.name, std::move(spec));
  return absl::OkStatus();
}

const KeySpec* Schema::Find(const std::string& name) const {
  auto it = keys_.find(name);
  return it == keys_.end() ? nullptr : &it->second;
}

std::string Schema::EnvironmentName(const std::string& name) {
  std::string env = "TRAVIO_";
  for (char c : name) env.push_back(c == '.' ? '_' : absl::ascii_toupper(c));
  return env;
}

}  // namespace travio::config
