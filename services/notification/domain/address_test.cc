#include "services/notification/domain/address.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::notification {
namespace {

TEST(ValidateAddress, AcceptsPlainAddresses) {
  for (const char* address :
       {"ana@example.com", "first.last+tag@mail.example.co", "x@localhost", "o'neil@a-b.io"}) {
    EXPECT_OK(ValidateAddress(address)) << address;
  }
}

TEST(ValidateAddress, RefusesWhatIsNotAnAddress) {
  for (const char* address :
       {"", "ana", "@example.com", "ana@", "ana@@example.com", ".ana@example.com",
        "an..a@example.com", "ana.@example.com", "ana@-example.com", "ana@example..com",
        "ana@exa_mple.com", "a na@example.com", "\"ana\"@example.com", "ana@[127.0.0.1]",
        "ana@example.com\r\nBcc: eve@example.com", "ana@example.com>", "<ana@example.com",
        "jos\xc3\xa9@example.com"}) {
    const absl::Status status = ValidateAddress(address);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << address;
    EXPECT_EQ(ReasonOf(status), "invalid_email_address") << address;
  }
  EXPECT_FALSE(ValidateAddress(std::string(65, 'a') + "@example.com").ok());
  EXPECT_FALSE(ValidateAddress("a@" + std::string(64, 'b') + ".com").ok());
}

TEST(DomainOf, IsTheLowerCasedDomain) { EXPECT_EQ(DomainOf("Ana@Example.COM"), "example.com"); }

TEST(InboxOf, IgnoresCaseAndTags) {
  EXPECT_EQ(InboxOf("Ana+eid2026@Example.COM"), "ana@example.com");
  EXPECT_EQ(InboxOf("ana@example.com"), "ana@example.com");
  EXPECT_EQ(InboxOf("ana.b@example.com"), "ana.b@example.com");
}

TEST(ParseMailbox, ReadsNameAndAddress) {
  auto mailbox = ParseMailbox("Travio <no-reply@travio.localhost>");
  ASSERT_OK(mailbox);
  EXPECT_EQ(mailbox->display_name, "Travio");
  EXPECT_EQ(mailbox->address, "no-reply@travio.localhost");

  mailbox = ParseMailbox("  \"Travio Tickets\"  <tickets@example.com> ");
  ASSERT_OK(mailbox);
  EXPECT_EQ(mailbox->display_name, "Travio Tickets");

  mailbox = ParseMailbox("bare@example.com");
  ASSERT_OK(mailbox);
  EXPECT_EQ(mailbox->display_name, "");
  EXPECT_EQ(mailbox->address, "bare@example.com");
}

TEST(ParseMailbox, RefusesBrokenMailboxes) {
  for (const char* text : {"Travio <no-reply>", "Travio no-reply@example.com>",
                           "Tra\nvio <a@example.com>", "Tra<vio <a@example.com>", ""}) {
    EXPECT_FALSE(ParseMailbox(text).ok()) << text;
  }
}

}  // namespace
}  // namespace travio::notification
