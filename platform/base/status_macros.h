#pragma once

// Early-return helpers for absl::Status and absl::StatusOr, in the style of abseil's internal
// ones (which are not public).

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TRAVIO_STATUS_CONCAT_INNER(a, b) a##b
#define TRAVIO_STATUS_CONCAT(a, b) TRAVIO_STATUS_CONCAT_INNER(a, b)

/// Returns the status from the enclosing function when `expr` is not OK.
#define TRAVIO_RETURN_IF_ERROR(expr)                                  \
  do {                                                                \
    if (absl::Status _travio_status = (expr); !_travio_status.ok()) { \
      return _travio_status;                                          \
    }                                                                 \
  } while (false)

/// `TRAVIO_ASSIGN_OR_RETURN(auto value, MakeValue());` declares `value` from an OK StatusOr,
/// or returns its status from the enclosing function.
#define TRAVIO_ASSIGN_OR_RETURN(lhs, expr) \
  TRAVIO_ASSIGN_OR_RETURN_IMPL(TRAVIO_STATUS_CONCAT(_travio_statusor_, __LINE__), lhs, expr)

#define TRAVIO_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) {                                   \
    return std::move(statusor).status();                  \
  }                                                       \
  lhs = std::move(statusor).value()
