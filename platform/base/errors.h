#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/base/reasons.h"

namespace travio {

/// A problem with one input field, reported to API clients as `errors:[{field,message}]`; a
/// field holding an expression also names the place in it (`line`, `column`, from 1).
struct FieldError {
  std::string field;
  std::string message;
  int line = 0;  // 0: not an expression
  int column = 0;
  bool operator==(const FieldError&) const = default;
};

/// Attaches a stable snake_case reason (`slug_taken`, `hold_expired`) to a status. The reason
/// travels across gRPC and becomes the `code` of the HTTP problem document.
absl::Status WithReason(absl::Status status, std::string_view reason);

/// The reason attached by WithReason, or an empty string.
std::string ReasonOf(const absl::Status& status);

/// Whether `status` carries the registered `reason`.
bool IsReason(const absl::Status& status, const Reason& reason);

/// Attaches field errors to a status (usually kInvalidArgument).
absl::Status WithFieldErrors(absl::Status status, const std::vector<FieldError>& errors);

/// The field errors attached by WithFieldErrors.
std::vector<FieldError> FieldErrorsOf(const absl::Status& status);

/// Attaches how long a throttled caller should wait (usually on kResourceExhausted); the HTTP
/// layer turns it into `Retry-After`.
absl::Status WithRetryAfter(absl::Status status, absl::Duration wait);
/// The wait attached by WithRetryAfter, if any.
std::optional<absl::Duration> RetryAfterOf(const absl::Status& status);

/// The things a refusal names, carried to API clients as the problem document's extension
/// member `member` (api.md's `"unavailable":["A2"]` of seats_unavailable).
struct ProblemList {
  std::string member;
  std::vector<std::string> values;
  bool operator==(const ProblemList&) const = default;
};
absl::Status WithProblemList(absl::Status status, const ProblemList& list);
std::optional<ProblemList> ProblemListOf(const absl::Status& status);

/// A named fact a refusal carries, as the problem document's extension member `name` (api.md's
/// `{"quota":"buses","limit":3,"used":3}` of plan_limit_reached): text or a whole number.
struct ProblemField {
  std::string name;
  std::variant<std::string, int64_t> value;
  bool operator==(const ProblemField&) const = default;
};
absl::Status WithProblemFields(absl::Status status, const std::vector<ProblemField>& fields);
std::vector<ProblemField> ProblemFieldsOf(const absl::Status& status);

/// The common refusal: a registered reason (platform/base/reasons.h, which carries its canonical
/// code) and a message for people.
absl::Status Error(const Reason& reason, std::string_view message);

/// A refusal whose reason arrives as data (a failure another service recorded) or is faked by a
/// test double. Code that decides to refuse uses a registered reason.
absl::Status Error(absl::StatusCode code, std::string_view reason, std::string_view message);

}  // namespace travio
