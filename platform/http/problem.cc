#include "platform/http/problem.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "platform/http/json.h"

namespace travio::http {

namespace {

nlohmann::json ProblemJson(int status, std::string_view code, std::string_view title,
                           std::string_view detail, const std::vector<FieldError>& errors) {
  nlohmann::json body = {
      {"type", "https://travio.dev/problems/" + std::string(code)},
      {"title", std::string(title)},
      {"status", status},
      {"detail", std::string(detail)},
      {"code", std::string(code)},
  };
  if (!errors.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const FieldError& error : errors) {
      nlohmann::json item = {{"field", error.field}, {"message", error.message}};
      if (error.line > 0) {
        item["line"] = error.line;
        item["column"] = error.column;
      }
      list.push_back(std::move(item));
    }
    body["errors"] = std::move(list);
  }
  return body;
}

Response ProblemResponse(int status, const nlohmann::json& body) {
  Response response = Json(status, body);
  response.SetHeader("Content-Type", "application/problem+json");
  return response;
}

}  // namespace

Response Problem(int status, std::string_view code, std::string_view title, std::string_view detail,
                 const std::vector<FieldError>& errors) {
  return ProblemResponse(status, ProblemJson(status, code, title, detail, errors));
}

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 422;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kCancelled:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

Response ProblemFromStatus(const absl::Status& status) {
  std::string reason = ReasonOf(status);
  int http_status = HttpStatusFor(status.code());
  // A reason's own HTTP status only when it travels with its own code: a reason that arrives
  // with another code (from a peer over gRPC) cannot turn a server error into a client one,
  // whose message would be shown.
  if (const Reason* registered = FindReason(reason);
      registered != nullptr && registered->code == status.code()) {
    http_status = registered->http_status;
  }
  if (reason.empty()) reason = absl::AsciiStrToLower(absl::StatusCodeToString(status.code()));
  std::string detail(status.message());
  if (http_status >= 500) {
    detail = "The server could not complete the request; quote the request id when reporting it.";
    if (http_status == 503) detail = "A service is temporarily unavailable; try again shortly.";
  }
  // A server error shows nothing the status carried: its fields and lists may be internals too.
  const bool server_error = http_status >= 500;
  nlohmann::json body =
      ProblemJson(http_status, reason, ReasonPhrase(http_status), detail,
                  server_error ? std::vector<FieldError>{} : FieldErrorsOf(status));
  // An extension member (RFC 9457 section 3.2) never replaces a standard one.
  if (auto list = ProblemListOf(status); list && !server_error && !body.contains(list->member)) {
    body[list->member] = list->values;
  }
  for (const ProblemField& field :
       server_error ? std::vector<ProblemField>{} : ProblemFieldsOf(status)) {
    if (body.contains(field.name)) continue;
    std::visit([&](const auto& value) { body[field.name] = value; }, field.value);
  }
  Response response = ProblemResponse(http_status, body);
  if (auto wait = RetryAfterOf(status)) {
    // Whole seconds, rounded up: a client that waits exactly this long is not refused again.
    const int64_t seconds = (absl::ToInt64Milliseconds(*wait) + 999) / 1000;
    response.SetHeader("Retry-After", std::to_string(std::max<int64_t>(seconds, 1)));
  }
  return response;
}

}  // namespace travio::http
