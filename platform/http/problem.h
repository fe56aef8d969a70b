#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "platform/base/errors.h"
#include "platform/http/message.h"

namespace travio::http {

/// An RFC 9457 problem document: `{"type","title","status","detail","code"}` plus
/// `"errors":[{"field","message"}]` when there are field errors.
Response Problem(int status, std::string_view code, std::string_view title, std::string_view detail,
                 const std::vector<FieldError>& errors = {});

/// The HTTP status for a canonical code: kInvalidArgument 400, kFailedPrecondition and
/// kOutOfRange 422, kAlreadyExists and kAborted 409, kNotFound 404, kPermissionDenied 403,
/// kUnauthenticated 401, kResourceExhausted 429, kUnavailable and kCancelled 503,
/// kDeadlineExceeded 504, kUnimplemented 501, everything else 500.
int HttpStatusFor(absl::StatusCode code);

/// A problem document for a failed status. The status's reason becomes `code`, answered with
/// the HTTP status the reason registry gives it (platform/base/reasons.h); a status without a
/// registered reason is answered by its canonical code (HttpStatusFor). Messages of 5xx errors
/// are not shown to clients: they may carry internals; the caller logs them.
Response ProblemFromStatus(const absl::Status& status);

}  // namespace travio::http
