// The audit log through the public API on both deployments: staff actions and the services'
// events enter the organization's log once each, in order, with names; verification holds;
// then an intruder with the database's credentials edits an entry (SQLite in the monolith,
// PostgreSQL in the microservices deployment) and deletes the last entries, and verification
// names the first entry that no longer matches; an event delivered again adds nothing.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/testing/status_matchers.h"
#include "tests/e2e/trip_network.h"

namespace travio::e2e {
namespace {

class AuditE2eTest : public TripNetworkTest {
 protected:
  std::map<std::string, std::string> Environment() const override {
    return {{"TRAVIO_AUDIT_CHECKPOINT_EVERY", "5"}};
  }

  // Every entry of the owner's log, oldest first, read page by page.
  std::vector<json> Entries(const std::string& token, const std::string& query = "") {
    std::vector<json> entries;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      std::string path = "/v1/audit?limit=7" + query;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      const json body = Ok(Get(path, token));
      for (const json& item : body["items"]) entries.insert(entries.begin(), item);
      if (body["next_cursor"].is_null()) break;
      cursor = body["next_cursor"];
    }
    return entries;
  }

  // Waits until the log holds an entry of each of `actions` (events arrive asynchronously,
  // each producer's in its own order).
  std::vector<json> AwaitActions(const std::set<std::string>& actions) {
    std::vector<json> entries;
    for (int i = 0; i < 400; ++i) {
      entries = Entries(owner_);
      std::set<std::string> missing = actions;
      for (const json& entry : entries) missing.erase(entry["action"].get<std::string>());
      if (missing.empty()) return entries;
      absl::SleepFor(absl::Milliseconds(25));
    }
    ADD_FAILURE() << "not every action reached the audit log";
    return entries;
  }

  // Lifts the append-only guard of audit_entries as an intruder would, and runs `statement`.
  void Tamper(db::Database& database, const std::string& statement) {
    if (database.dialect() == db::Dialect::kPostgres) {
      ASSERT_TRUE(database
                      .Execute("ALTER TABLE audit_entries DISABLE TRIGGER "
                               "audit_entries_append_only")
                      .ok());
    } else {
      ASSERT_TRUE(database.Execute("DROP TRIGGER IF EXISTS audit_entries_no_update").ok());
      ASSERT_TRUE(database.Execute("DROP TRIGGER IF EXISTS audit_entries_no_delete").ok());
    }
    const auto result = database.Execute(statement);
    ASSERT_TRUE(result.ok()) << result.status();
  }
};

TEST_P(AuditE2eTest, ActionsAreLoggedOnceInOrderAndTamperingIsNamed) {
  const std::string owner_id = Ok(Get("/v1/me", owner_))["id"];
  const std::string manager = AddMember("manager");
  const std::string path = "/v1/catalog/trips/" + trip_ + "/cancel";
  Ok(Send("POST", path, {{"reason", "Hartal declared"}}, manager));
  // A failed sign-in goes to the platform's log.
  EXPECT_EQ(Send("POST", "/v1/auth/login",
                 {{"email", "nobody@example.com"}, {"password", "wrong password"}}, "")
                .status,
            401);

  std::vector<json> entries =
      AwaitActions({"trip.cancelled", "identity.invite_accepted", "bus.registered", "route.created",
                    "trip.published", "identity.invite_created"});
  ASSERT_GE(entries.size(), 10u);
  // Numbered from 1 without a gap, each chained to the one before.
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i]["seq"], static_cast<int64_t>(i + 1));
    if (i > 0) {
      EXPECT_EQ(entries[i]["prev_hash"], entries[i - 1]["hash"]);
    }
  }
  auto position = [&](const std::string& action, const std::string& target = "") {
    int found = -1, count = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i]["action"] == action &&
          (target.empty() || entries[i]["target"]["id"] == target)) {
        found = static_cast<int>(i);
        ++count;
      }
    }
    EXPECT_EQ(count, 1) << action << " " << target;
    return found;
  };
  // Who asked, and what changed, each once. They come from two processes (the gateway writes
  // its record before it answers, the catalog's event comes through the broker), so either may
  // be numbered first.
  const int cancel = position("POST /v1/catalog/trips/{trip_id}/cancel");
  const int cancelled = position("trip.cancelled", trip_);
  ASSERT_GE(cancel, 0);
  ASSERT_GE(cancelled, 0);
  const json& request = entries[cancel];
  EXPECT_EQ(request["target"]["id"], trip_);
  EXPECT_EQ(request["actor"]["name"], "manager");
  EXPECT_EQ(request["details"]["status"], 200);
  EXPECT_EQ(request["details"]["role"], "manager");
  EXPECT_EQ(entries[cancelled]["actor"]["id"], "service:catalog");
  EXPECT_EQ(entries[cancelled]["details"]["cancel_reason"], "Hartal declared");
  const int bus = position("bus.registered");
  ASSERT_GE(bus, 0);
  EXPECT_EQ(entries[bus]["target"]["name"], "DHAKA METRO-BA 11-0001");
  const int invited = position("identity.invite_created");
  ASSERT_GE(invited, 0);
  EXPECT_EQ(entries[invited]["actor"]["id"], owner_id);
  EXPECT_EQ(entries[invited]["actor"]["name"], "owner");
  EXPECT_LT(invited, position("identity.invite_accepted"));
  EXPECT_LT(position("POST /v1/operator/buses"), position("POST /v1/catalog/routes"));

  // Filters: by actor, by a family of actions.
  for (const json& entry : Entries(owner_, "&actor=" + owner_id)) {
    EXPECT_EQ(entry["actor"]["id"], owner_id);
  }
  std::set<std::string> trip_actions;
  for (const json& entry : Entries(owner_, "&action=trip.")) {
    trip_actions.insert(entry["action"].get<std::string>());
  }
  EXPECT_TRUE(trip_actions.contains("trip.published"));
  EXPECT_TRUE(trip_actions.contains("trip.cancelled"));
  for (const std::string& action : trip_actions) EXPECT_TRUE(action.starts_with("trip."));
  EXPECT_EQ(Get("/v1/audit?from=yesterday", owner_).status, 400);
  EXPECT_EQ(Get("/v1/audit?cursor=x", owner_).status, 400);
  EXPECT_EQ(Get("/v1/audit?actor=%FF", owner_).status, 400);
  // Owners and admins only; nobody sees another organization's log.
  EXPECT_EQ(Get("/v1/audit", manager).status, 403);
  EXPECT_EQ(Get("/v1/audit/verify", manager).status, 403);
  const std::string rival = SignUp("rival");
  Created(Send("POST", "/v1/orgs", {{"name", "Rival Travels"}}, rival));
  for (const json& entry : Entries(rival)) {
    EXPECT_NE(entry["target"]["id"], trip_);
    EXPECT_NE(entry["actor"]["id"], owner_id);
  }
  // The checkpoint key is published with the platform's other keys.
  bool audit_key = false;
  const json published = Ok(Get("/.well-known/travio-keys"));
  for (const json& key : published["keys"]) {
    audit_key = audit_key || key["use"] == "audit";
  }
  EXPECT_TRUE(audit_key);

  json verified = Ok(Get("/v1/audit/verify", owner_));
  EXPECT_EQ(verified["ok"], true) << verified;
  EXPECT_EQ(verified["entries"], static_cast<int64_t>(entries.size()));
  EXPECT_EQ(verified["head_hash"], entries.back()["hash"]);

  // The catalog's trip.cancelled delivered again (its outbox row marked unsent): nothing new.
  ASSERT_OK(deployment_->WithDatabase("catalog", [&](db::Database& catalog) {
    EXPECT_OK(catalog.Execute(
        "UPDATE catalog_outbox SET relayed_at = NULL WHERE type = 'trip.cancelled.v1' AND "
        "aggregate_id = $1",
        {trip_}));
  }));
  // A later event of the catalog's arrives after the replayed one (one queue, in order).
  Created(Send("POST", "/v1/catalog/routes",
               {{"name", "Replay marker"},
                {"stops",
                 {{{"station", "DHK"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}},
                  {{"station", "CTG"}, {"arrive_offset_min", 330}, {"depart_offset_min", 330}}}}},
               owner_));
  for (int i = 0; i < 400; ++i) {
    entries = Entries(owner_);
    if (std::any_of(entries.begin(), entries.end(), [](const json& entry) {
          return entry["action"] == "route.created" && entry["target"]["name"] == "Replay marker";
        })) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(25));
  }
  position("trip.cancelled", trip_);
  verified = Ok(Get("/v1/audit/verify", owner_));
  EXPECT_EQ(verified["ok"], true) << verified;
  const int64_t count = verified["entries"];

  ASSERT_OK(deployment_->WithDatabase("audit", [&](db::Database& audit) {
    auto failed = audit.Execute(
        "SELECT COUNT(*) FROM audit_entries WHERE log = 'platform' AND action = "
        "'session.sign_in_failed' AND target_name = 'nobody@example.com'");
    ASSERT_OK(failed);
    EXPECT_EQ(failed->rows[0].Int(0), 1);
    // The service's own statements cannot change or remove an entry.
    EXPECT_FALSE(audit.Execute("UPDATE audit_entries SET actor = 'nobody'").ok());
    EXPECT_FALSE(audit.Execute("DELETE FROM audit_entries").ok());
  }));

  // The last entries deleted, the head moved back with them: the checkpoint signed past them
  // says they existed.
  const int64_t last_checkpoint = count - count % 5;
  ASSERT_GE(last_checkpoint, 5);
  const int64_t keep = last_checkpoint - 2;
  ASSERT_OK(deployment_->WithDatabase("audit", [&](db::Database& audit) {
    Tamper(audit,
           absl::StrCat("DELETE FROM audit_entries WHERE log = '", org_, "' AND seq > ", keep));
    EXPECT_OK(audit.Execute(absl::StrCat("UPDATE audit_logs SET head_seq = ", keep,
                                         ", head_hash = (SELECT hash FROM audit_entries WHERE "
                                         "log = $1 AND seq = ",
                                         keep, ") WHERE log = $1"),
                            {org_}));
  }));
  verified = Ok(Get("/v1/audit/verify", owner_));
  EXPECT_EQ(verified["ok"], false);
  EXPECT_EQ(verified["first_bad_seq"], keep + 1) << verified;

  // One entry's details rewritten: verification names it.
  ASSERT_OK(deployment_->WithDatabase("audit", [&](db::Database& audit) {
    Tamper(audit, absl::StrCat("UPDATE audit_entries SET details = '{\"status\":403}' WHERE "
                               "log = '",
                               org_, "' AND seq = 3"));
  }));
  verified = Ok(Get("/v1/audit/verify", owner_));
  EXPECT_EQ(verified["ok"], false);
  EXPECT_EQ(verified["first_bad_seq"], 3) << verified;
  EXPECT_EQ(verified["reason"], "its content does not match its hash");
}

INSTANTIATE_TEST_SUITE_P(Deployments, AuditE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
