// The gateway's audit trail over a recording stand-in for the audit service (whose own bounds
// it applies): what a change and a sign-in record, and that text a client chose never keeps a
// record out.
#include "services/gateway/security/audit_trail.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/audit/api/entry_codec.h"

namespace travio::gateway {
namespace {

class RecordingAudit final : public audit::AuditClient {
 public:
  absl::Status Record(const audit::AuditFact& fact) override {
    // What the audit service checks before it appends.
    auto details = audit::CanonicalDetails(fact.details);
    if (!details.ok()) return details.status();
    audit::AuditFact canonical = fact;
    canonical.details = *details;
    if (auto status = audit::ValidateFact(canonical); !status.ok()) return status;
    audit::AuditEntry entry{.fact = canonical, .seq = 1, .prev_hash = "0"};
    if (auto hash = audit::EntryHash(entry); !hash.ok()) return hash.status();
    facts.push_back(fact);
    return absl::OkStatus();
  }
  absl::StatusOr<audit::AuditPage> List(const audit::AuditQuery&) override {
    return audit::AuditPage{};
  }
  absl::StatusOr<audit::Verification> Verify(const std::string&) override {
    return audit::Verification{};
  }
  absl::StatusOr<std::vector<audit::AuditKey>> VerificationKeys() override {
    return std::vector<audit::AuditKey>{};
  }
  std::vector<audit::AuditFact> facts;
};

class AuditTrailTest : public ::testing::Test {
 protected:
  AuditTrailTest()
      : audit_(std::make_shared<RecordingAudit>()),
        ids_(clock_),
        trail_(audit_, clock_, ids_, log::Logger::ToStderr(log::Level::kError), nullptr) {
    caller_.claims.subject = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234";
    caller_.membership = identity::Membership{.org_id = "org-1", .role = identity::Role::kManager};
    request_.method = "PATCH";
    request_.route = "/v1/orgs/members/{user_id}";
    request_.path = "/v1/orgs/members/0192f0c4-6c1b-7c3e-9a2b-5d7e8f909999";
    request_.path_params["user_id"] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f909999";
    request_.remote_address = "203.0.113.7";
  }

  ManualClock clock_;
  std::shared_ptr<RecordingAudit> audit_;
  IdGenerator ids_;
  AuditTrail trail_;
  Caller caller_;
  http::Request request_;
};

TEST_F(AuditTrailTest, AChangeRecordsWhoWhatAndOnWhat) {
  http::Response response;
  response.body = nlohmann::json{{"user_id", "x"}, {"name", "Rahim"}}.dump();
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 1u);
  const audit::AuditFact& fact = audit_->facts[0];
  EXPECT_EQ(fact.log, "org-1");
  EXPECT_EQ(fact.actor, caller_.user_id());
  EXPECT_EQ(fact.action, "PATCH /v1/orgs/members/{user_id}");
  EXPECT_EQ(fact.target, "0192f0c4-6c1b-7c3e-9a2b-5d7e8f909999");
  EXPECT_EQ(fact.target_name, "Rahim");
  const auto details = nlohmann::json::parse(fact.details);
  EXPECT_EQ(details["role"], "manager");
  EXPECT_EQ(details["client_address"], "203.0.113.7");
}

TEST_F(AuditTrailTest, SettingsNoEventDescribesAreKeptAsAnswered) {
  request_.method = "PUT";
  request_.route = "/v1/operator/refund-policy";
  request_.path = "/v1/operator/refund-policy";
  request_.path_params.clear();
  http::Response response;
  response.status = 200;
  response.body =
      "{\"tiers\":[{\"hours_before\":24,\"refund_percent\":50,\"label\":\"x\u202e"
      "y\"}],\"is_default\":false}";
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 1u);
  auto details = nlohmann::json::parse(audit_->facts[0].details);
  EXPECT_EQ(details["result"]["tiers"][0]["refund_percent"], 50);
  EXPECT_EQ(details["result"]["tiers"][0]["label"], "x?y");  // a client's text, fitted

  // A condition padded to push the adjustment out of the record: cut, with its digest, and
  // the adjustment kept.
  request_.method = "PUT";
  request_.route = "/v1/pricing/rules/{id}";
  request_.path_params["id"] = "rule-7";
  response.body = nlohmann::json{{"id", "rule-7"},
                                 {"when", std::string(1999, ' ') + "x"},
                                 {"adjust", "price * 0"},
                                 {"name", std::string(2000, 'n')}}
                      .dump();
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 2u);
  EXPECT_EQ(audit_->facts[1].target, "rule-7");
  details = nlohmann::json::parse(audit_->facts[1].details);
  EXPECT_EQ(details["result"]["adjust"], "price * 0");
  EXPECT_NE(details["result"]["when"].get<std::string>().find("(2000 bytes, sha256 "),
            std::string::npos);

  // Too large even so (a list of many): the whole answer's digest.
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 40; ++i) many.push_back(std::string(200, 'r'));
  response.body = nlohmann::json{{"id", "rule-7"}, {"rules", many}}.dump();
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 3u);
  details = nlohmann::json::parse(audit_->facts[2].details);
  EXPECT_EQ(details["result"]["bytes"], response.body.size());
  EXPECT_EQ(details["result"]["sha256"].get<std::string>().size(), 64u);

  // A deletion answers nothing: the rule is named by its path.
  request_.method = "DELETE";
  trail_.RecordChange(request_, caller_, http::Response{.status = 204});
  ASSERT_EQ(audit_->facts.size(), 4u);
  EXPECT_EQ(audit_->facts[3].target, "rule-7");
  EXPECT_FALSE(nlohmann::json::parse(audit_->facts[3].details).contains("result"));

  // Other routes keep no answer (a member's answer is not settings).
  request_.method = "PATCH";
  request_.route = "/v1/orgs/members/{user_id}";
  trail_.RecordChange(request_, caller_, response);
  EXPECT_FALSE(nlohmann::json::parse(audit_->facts[4].details).contains("result"));

  // A schedule's fares as a change set them, even if the next change sets them back.
  request_.method = "PATCH";
  request_.route = "/v1/catalog/schedules/{schedule_id}";
  request_.path_params["schedule_id"] = "schedule-3";
  response.body =
      "{\"id\":\"schedule-3\",\"fares\":[{\"from\":\"DHK\",\"to\":\"CXB\",\"amount\":100,"
      "\"currency\":\"BDT\"}]}";
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 6u);
  EXPECT_EQ(audit_->facts[5].target, "schedule-3");
  EXPECT_EQ(nlohmann::json::parse(audit_->facts[5].details)["result"]["fares"][0]["amount"], 100);
}

TEST_F(AuditTrailTest, ABoardingScanNamesTheTicketAndItsPassenger) {
  // A conductor's scan (with no id in its path): which ticket, whose, is what the owner asks.
  request_.method = "POST";
  request_.route = "/v1/boarding/scan";
  request_.path = "/v1/boarding/scan";
  request_.path_params.clear();
  http::Response response;
  response.body = nlohmann::json{{"ticket_id", "ticket-9"},
                                 {"seat", "A2"},
                                 {"passenger", "Rahima Begum"},
                                 {"boarded_at", "2026-04-01T07:55:00Z"}}
                      .dump();
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 1u);
  EXPECT_EQ(audit_->facts[0].action, "POST /v1/boarding/scan");
  EXPECT_EQ(audit_->facts[0].target, "ticket-9");
  EXPECT_EQ(audit_->facts[0].target_name, "Rahima Begum");
}

TEST_F(AuditTrailTest, ANameCutInsideACharacterIsStillRecorded) {
  // 86 euro signs: 258 bytes, past the 256 a name may take, with the cut inside a character.
  std::string euros;
  for (int i = 0; i < 86; ++i) euros += "\xE2\x82\xAC";
  http::Response response;
  response.body = nlohmann::json{{"name", euros}}.dump();
  trail_.RecordChange(request_, caller_, response);
  ASSERT_EQ(audit_->facts.size(), 1u);
  EXPECT_EQ(audit_->facts[0].target_name, euros.substr(0, 255));  // 85 whole characters
}

TEST_F(AuditTrailTest, APaddedPathDoesNotKeepAChangeOutOfTheLog) {
  // The router skips empty segments: thousands of slashes still reach the route.
  request_.path =
      "/v1/" + std::string(9000, '/') + "orgs/members/0192f0c4-6c1b-7c3e-9a2b-5d7e8f909999";
  trail_.RecordChange(request_, caller_, http::Response{});
  ASSERT_EQ(audit_->facts.size(), 1u);
  EXPECT_EQ(audit_->facts[0].action, "PATCH /v1/orgs/members/{user_id}");
}

TEST_F(AuditTrailTest, AFailedSignInWithAHostileEmailIsStillRecorded) {
  trail_.RecordSignIn(request_, "bad\xff\xfe\nbytes@example.com", "", "invalid_credentials");
  ASSERT_EQ(audit_->facts.size(), 1u);
  const audit::AuditFact& fact = audit_->facts[0];
  EXPECT_EQ(fact.log, "platform");
  EXPECT_EQ(fact.action, "session.sign_in_failed");
  EXPECT_EQ(fact.actor, "anonymous");
  EXPECT_EQ(fact.target_name.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace travio::gateway
