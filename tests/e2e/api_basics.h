#pragma once

// What every end-to-end suite says the same way: the deployment a case runs on, its name in
// the case's name, a response's body as JSON, and the password of the accounts it registers.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "platform/testing/http_client.h"

namespace travio::e2e {

using nlohmann::json;
using testing::HttpClient;
using testing::HttpResult;

inline constexpr char kPassword[] = "correct horse battery";

/// The body of `result` as JSON (discarded, not thrown, when it is not JSON).
inline json Body(const HttpResult& result) {
  return json::parse(result.body, nullptr, /*allow_exceptions=*/false);
}

enum class Mode { kMonolith, kMicroservices };

inline std::string ModeName(const ::testing::TestParamInfo<Mode>& info) {
  return info.param == Mode::kMonolith ? "Monolith" : "Microservices";
}

}  // namespace travio::e2e
