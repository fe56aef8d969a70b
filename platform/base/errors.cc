#include "platform/base/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/absl_interop.h"

namespace travio {
namespace {

constexpr char kReasonUrl[] = "type.travio.dev/reason";
constexpr char kFieldErrorsUrl[] = "type.travio.dev/field_errors";
constexpr char kRetryAfterUrl[] = "type.travio.dev/retry_after_ms";
constexpr char kProblemListUrl[] = "type.travio.dev/problem_list";
constexpr char kProblemFieldsUrl[] = "type.travio.dev/problem_fields";

}  // namespace

absl::Status WithReason(absl::Status status, std::string_view reason) {
  status.SetPayload(kReasonUrl, absl::Cord(std::string(reason)));
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonUrl);
  return payload ? std::string(*payload) : std::string();
}

// Encoded as "field\tmessage\tline\tcolumn\n" lines; no part may contain a tab or newline,
// which the encoder replaces with spaces.
absl::Status WithFieldErrors(absl::Status status, const std::vector<FieldError>& errors) {
  std::string encoded;
  auto append_clean = [&encoded](std::string_view text) {
    for (char c : text) encoded.push_back(c == '\t' || c == '\n' ? ' ' : c);
  };
  for (const FieldError& error : errors) {
    append_clean(error.field);
    encoded.push_back('\t');
    append_clean(error.message);
    absl::StrAppend(&encoded, "\t", error.line, "\t", error.column, "\n");
  }
  status.SetPayload(kFieldErrorsUrl, absl::Cord(encoded));
  return status;
}

std::vector<FieldError> FieldErrorsOf(const absl::Status& status) {
  std::vector<FieldError> errors;
  auto payload = status.GetPayload(kFieldErrorsUrl);
  if (!payload) return errors;
  const std::string text(*payload);
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, '\t');
    FieldError error{parts[0], parts.size() > 1 ? parts[1] : ""};
    if (parts.size() == 4) {
      (void)absl::SimpleAtoi(parts[2], &error.line);
      (void)absl::SimpleAtoi(parts[3], &error.column);
    }
    errors.push_back(std::move(error));
  }
  return errors;
}

absl::Status WithRetryAfter(absl::Status status, absl::Duration wait) {
  status.SetPayload(kRetryAfterUrl, absl::Cord(std::to_string(absl::ToInt64Milliseconds(wait))));
  return status;
}

std::optional<absl::Duration> RetryAfterOf(const absl::Status& status) {
  auto payload = status.GetPayload(kRetryAfterUrl);
  int64_t millis = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &millis) || millis < 0) {
    return std::nullopt;
  }
  return absl::Milliseconds(millis);
}

// Encoded as the member's name and each value on lines of their own; newlines in values are
// replaced with spaces.
absl::Status WithProblemList(absl::Status status, const ProblemList& list) {
  std::string encoded;
  auto append_line = [&encoded](std::string_view text) {
    for (char c : text) encoded.push_back(c == '\n' ? ' ' : c);
    encoded.push_back('\n');
  };
  append_line(list.member);
  for (const std::string& value : list.values) append_line(value);
  status.SetPayload(kProblemListUrl, absl::Cord(encoded));
  return status;
}

std::optional<ProblemList> ProblemListOf(const absl::Status& status) {
  auto payload = status.GetPayload(kProblemListUrl);
  if (!payload) return std::nullopt;
  const std::string text(*payload);
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (lines.empty() || lines.front().empty()) return std::nullopt;
  if (lines.back().empty()) lines.pop_back();
  ProblemList list{.member = lines.front(), .values = {}};
  list.values.assign(lines.begin() + 1, lines.end());
  return list;
}

// Encoded as length-prefixed pieces, "<bytes>:<name><kind><bytes>:<value>" per field (kind 's'
// for text, 'i' for a number), so names and values may hold any byte.
absl::Status WithProblemFields(absl::Status status, const std::vector<ProblemField>& fields) {
  std::string encoded;
  auto append = [&encoded](std::string_view piece) {
    absl::StrAppend(&encoded, piece.size(), ":", ToAbsl(piece));
  };
  for (const ProblemField& field : fields) {
    append(field.name);
    if (const auto* text = std::get_if<std::string>(&field.value)) {
      encoded.push_back('s');
      append(*text);
    } else {
      encoded.push_back('i');
      append(std::to_string(std::get<int64_t>(field.value)));
    }
  }
  status.SetPayload(kProblemFieldsUrl, absl::Cord(encoded));
  return status;
}

std::vector<ProblemField> ProblemFieldsOf(const absl::Status& status) {
  auto payload = status.GetPayload(kProblemFieldsUrl);
  if (!payload) return {};
  const std::string text(*payload);
  size_t at = 0;
  auto take = [&](std::string& piece) {
    const size_t colon = text.find(':', at);
    size_t size = 0;
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(absl::string_view(text).substr(at, colon - at), &size) ||
        colon + 1 + size > text.size()) {
      return false;
    }
    piece = text.substr(colon + 1, size);
    at = colon + 1 + size;
    return true;
  };
  std::vector<ProblemField> fields;
  while (at < text.size()) {
    ProblemField field;
    std::string value;
    if (!take(field.name) || at >= text.size()) return {};
    const char kind = text[at++];
    if (!take(value)) return {};
    if (kind == 's') {
      field.value = std::move(value);
    } else {
      int64_t number = 0;
      if (kind != 'i' || !absl::SimpleAtoi(value, &number)) return {};
      field.value = number;
    }
    fields.push_back(std::move(field));
  }
  return fields;
}

absl::Status Error(absl::StatusCode code, std::string_view reason, std::string_view message) {
  return WithReason(absl::Status(code, std::string(message)), reason);
}

bool IsReason(const absl::Status& status, const Reason& reason) {
  return !status.ok() && ReasonOf(status) == reason.name;
}

absl::Status Error(const Reason& reason, std::string_view message) {
  return Error(reason.code, reason.name, message);
}

}  // namespace travio
