#include "platform/rpc/status.h"

#include "platform/base/errors.h"
#include "travio/common/v1/error_details.pb.h"

namespace travio::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  common::v1::ErrorDetails details;
  details.set_reason(ReasonOf(status));
  for (const FieldError& error : FieldErrorsOf(status)) {
    auto* violation = details.add_field_violations();
    violation->set_field(error.field);
    violation->set_message(error.message);
    violation->set_line(error.line);
    violation->set_column(error.column);
  }
  if (auto wait = RetryAfterOf(status)) {
    details.set_retry_after_ms(absl::ToInt64Milliseconds(*wait));
  }
  if (auto list = ProblemListOf(status)) {
    details.set_list_member(list->member);
    for (const std::string& value : list->values) details.add_list_values(value);
  }
  for (const ProblemField& field : ProblemFieldsOf(status)) {
    common::v1::ProblemField* sent = details.add_problem_fields();
    sent->set_name(field.name);
    if (const auto* text = std::get_if<std::string>(&field.value)) {
      sent->set_text(*text);
    } else {
      sent->set_number(std::get<int64_t>(field.value));
    }
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  common::v1::ErrorDetails details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    if (!details.reason().empty()) result = WithReason(result, details.reason());
    std::vector<FieldError> errors;
    for (const auto& violation : details.field_violations()) {
      errors.push_back(
          {violation.field(), violation.message(), violation.line(), violation.column()});
    }
    if (!errors.empty()) result = WithFieldErrors(result, errors);
    if (details.retry_after_ms() > 0) {
      result = WithRetryAfter(result, absl::Milliseconds(details.retry_after_ms()));
    }
    if (!details.list_member().empty()) {
      result = WithProblemList(
          result,
          {details.list_member(), {details.list_values().begin(), details.list_values().end()}});
    }
    std::vector<ProblemField> fields;
    for (const auto& field : details.problem_fields()) {
      if (field.value_case() == common::v1::ProblemField::kText) {
        fields.push_back({field.name(), field.text()});
      } else {
        fields.push_back({field.name(), field.number()});
      }
    }
    if (!fields.empty()) result = WithProblemFields(result, fields);
  }
  return result;
}

}  // namespace travio::rpc
