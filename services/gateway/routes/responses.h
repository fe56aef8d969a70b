#pragma once

// What every route file answers with besides its own documents: refusals as problem documents,
// instants, and amounts of money. One definition each, so every route writes them alike.

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "platform/base/money.h"
#include "platform/base/rfc3339.h"
#include "platform/http/message.h"
#include "platform/http/problem.h"

namespace travio::gateway {

/// The problem document for a refusal: the reason registry gives its HTTP status.
inline http::Response Fail(const absl::Status& status) { return http::ProblemFromStatus(status); }

/// An instant as every API document writes it: RFC 3339 in UTC with milliseconds.
inline std::string Instant(absl::Time time) { return FormatRfc3339(time); }

/// `{"amount":<minor units>,"currency":"BDT"}`.
inline nlohmann::json MoneyJson(const Money& money) {
  return {{"amount", money.amount}, {"currency", money.currency}};
}

}  // namespace travio::gateway
