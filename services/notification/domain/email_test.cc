#include "services/notification/domain/email.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::notification {
namespace {

struct Refusal {
  absl::StatusCode code;
  std::string reason;
  std::string field;
};

Refusal Check(std::string_view to, std::string_view subject, std::string_view body,
              std::string_view kind = "org_invite") {
  const absl::Status status = ValidateRequest(to, subject, body, kind);
  const auto fields = FieldErrorsOf(status);
  return {status.code(), ReasonOf(status), fields.empty() ? "" : fields.front().field};
}

TEST(ValidateRequest, AcceptsAnOrdinaryInvite) {
  EXPECT_OK(ValidateRequest("ana@example.com", "Join Acme Buses on Travio",
                            "Hello,\n\nOpen https://travio.localhost/invite#tok\n", "org_invite"));
  EXPECT_OK(ValidateRequest("ana@example.com", "Bienvenue \xc3\xa0 bord \xf0\x9f\x9a\x8c",
                            "Gr\xc3\xbc\xc3\x9f"
                            "e\r\n",
                            "welcome"));
}

TEST(ValidateRequest, RefusesHeaderInjection) {
  for (const char* to : {"ana@example.com\r\nBcc: eve@example.com", "ana@example.com\n",
                         "ana@example.com\rX", "ana\t@example.com"}) {
    const Refusal refusal = Check(to, "Hi", "body");
    EXPECT_EQ(refusal.code, absl::StatusCode::kInvalidArgument) << to;
    EXPECT_EQ(refusal.reason, "header_injection") << to;
    EXPECT_EQ(refusal.field, "to") << to;
  }
  for (const char* subject : {"Hi\r\nBcc: eve@example.com", "Hi\nthere", "Hi\r", "Hi\x01"}) {
    const Refusal refusal = Check("ana@example.com", subject, "body");
    EXPECT_EQ(refusal.code, absl::StatusCode::kInvalidArgument) << subject;
    EXPECT_EQ(refusal.reason, "header_injection") << subject;
    EXPECT_EQ(refusal.field, "subject") << subject;
  }
}

TEST(ValidateRequest, RefusesBadAddresses) {
  const Refusal refusal = Check("not-an-address", "Hi", "body");
  EXPECT_EQ(refusal.code, absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refusal.reason, "invalid_email_address");
  EXPECT_EQ(refusal.field, "to");
}

TEST(ValidateRequest, RefusesOversizedContent) {
  EXPECT_EQ(Check("a@example.com", "Hi", std::string(kMaxBodyBytes, 'x')).reason,
            "email_too_large");  // one line far over 998 octets
  std::string big;
  while (big.size() <= kMaxBodyBytes) big += std::string(70, 'x') + "\n";
  EXPECT_EQ(Check("a@example.com", "Hi", big).reason, "email_too_large");
  EXPECT_EQ(Check("a@example.com", "Hi", big).field, "text_body");
  EXPECT_EQ(Check("a@example.com", "Hi", std::string(999, 'x')).reason, "email_too_large");
  EXPECT_OK(ValidateRequest("a@example.com", "Hi",
                            std::string(998, 'x') + "\r\n" + std::string(998, 'y'), "k"));
  EXPECT_EQ(Check("a@example.com", std::string(kMaxSubjectBytes + 1, 's'), "b").field, "subject");
}

TEST(ValidateRequest, RefusesInvalidUtf8AndNul) {
  EXPECT_EQ(Check("a@example.com", "Hi \xc3", "b").reason, "invalid_utf8");
  EXPECT_EQ(Check("a@example.com", "Hi", "b \xff").reason, "invalid_utf8");
  EXPECT_EQ(Check("a@example.com", "Hi", "overlong \xc0\xaf").reason, "invalid_utf8");
  EXPECT_EQ(Check("a@example.com", "Hi", "surrogate \xed\xa0\x80").reason, "invalid_utf8");
  EXPECT_EQ(Check("a@example.com", "Hi", std::string("nul \0 here", 10)).reason, "invalid_utf8");
}

TEST(ValidateRequest, RefusesKindsThatAreNotNames) {
  for (const char* kind : {"", "Org_Invite", "org-invite", "1st", "org invite",
                           "a_very_long_kind_name_that_goes_past_forty_chars"}) {
    EXPECT_EQ(Check("a@example.com", "Hi", "b", kind).reason, "invalid_email_kind") << kind;
  }
}

}  // namespace
}  // namespace travio::notification
