#include "platform/base/reasons.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "platform/base/errors.h"

namespace travio {
namespace {

#define TRAVIO_REASON_ENTRY(constant, name, code, http) reasons::constant,
const Reason kEveryReason[] = {TRAVIO_REASONS(TRAVIO_REASON_ENTRY)};
#undef TRAVIO_REASON_ENTRY

bool IsSnakeCase(std::string_view name) {
  if (name.empty() || !(name.front() >= 'a' && name.front() <= 'z') || name.back() == '_') {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return name.find("__") == std::string_view::npos;
}

TEST(Reasons, EveryReasonHasOneSnakeCaseNameAndIsFoundByIt) {
  std::set<std::string_view> names;
  for (const Reason& reason : kEveryReason) {
    EXPECT_TRUE(IsSnakeCase(reason.name)) << reason.name;
    EXPECT_TRUE(names.insert(reason.name).second) << reason.name << " is registered twice";
    const Reason* found = FindReason(reason.name);
    ASSERT_NE(found, nullptr) << reason.name;
    EXPECT_EQ(found->code, reason.code) << reason.name;
    EXPECT_EQ(found->http_status, reason.http_status) << reason.name;
  }
  EXPECT_GT(names.size(), 100u);
  EXPECT_EQ(FindReason("no_such_reason"), nullptr);
  EXPECT_EQ(FindReason(""), nullptr);
}

// A refusal is the client's fault or the server's, and its HTTP status says which: reasons
// that travel as a client error answer 4xx, the unavailable ones 503.
TEST(Reasons, HttpStatusesAgreeWithWhoseFaultTheCodeSays) {
  for (const Reason& reason : kEveryReason) {
    if (reason.code == absl::StatusCode::kUnavailable) {
      EXPECT_EQ(reason.http_status, 503) << reason.name;
    } else {
      EXPECT_GE(reason.http_status, 400) << reason.name;
      EXPECT_LT(reason.http_status, 500) << reason.name;
    }
    EXPECT_NE(reason.code, absl::StatusCode::kOk) << reason.name;
    EXPECT_NE(reason.code, absl::StatusCode::kInternal) << reason.name;
  }
}

TEST(Reasons, AnErrorCarriesTheReasonsNameAndCode) {
  const absl::Status status = Error(reasons::kHoldExpired, "The hold expired.");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "The hold expired.");
  EXPECT_EQ(ReasonOf(status), "hold_expired");
  EXPECT_TRUE(IsReason(status, reasons::kHoldExpired));
  EXPECT_FALSE(IsReason(status, reasons::kOrderExpired));
  EXPECT_FALSE(IsReason(absl::OkStatus(), reasons::kHoldExpired));
}

}  // namespace
}  // namespace travio
