// The audit service over its SQLite store and a key ring in a temporary directory: events and
// gateway records enter their organization's log once each, in order, chained and checkpointed.
#include "services/audit/app/audit_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platform/db/migrations.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/audit/api/entry_codec.h"
#include "services/audit/storage/file_checkpoint_keys.h"
#include "services/audit/storage/sql_audit_store.h"
#include "services/catalog/api/catalog_events.h"
#include "services/identity/api/identity_events.h"
#include "services/inventory/api/inventory_events.h"
#include "services/operator/api/operator_events.h"

namespace travio::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::StatusIs;

class AuditServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = db::OpenSqlite({(dir_ / "audit.db").string()});
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = AuditMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "audit", migrations));
    auto keys = LoadOrCreateCheckpointKeys(dir_ / "keys");
    ASSERT_OK(keys);
    keys_ = *std::move(keys);
    store_ = MakeSqlAuditStore(*database_);
    service_ = std::make_shared<AuditService>(
        AuditService::Ports{.store = *store_,
                            .keys = *keys_,
                            .clock = clock_,
                            .logger = log::Logger::ToStderr(log::Level::kError),
                            .metrics = &metrics_},
        CheckpointPolicy{.every = 3, .interval = absl::Minutes(5)});
    FollowEvents(bus_, service_, log::Logger::ToStderr(log::Level::kError));
  }

  AuditFact GatewayFact(std::string source, std::string action, std::string actor = "user-1") {
    return AuditFact{.log = "org-1",
                     .source = std::move(source),
                     .at = clock_.Now(),
                     .actor = std::move(actor),
                     .action = std::move(action),
                     .target = "bus-1",
                     .details = R"({"status":200})"};
  }

  events::Event BusEvent(const events::Contract<fleet::BusSummary>& contract, std::string id,
                         std::string org = "org-1") {
    return contract.Make(
        fleet::BusSummary{.bus_id = "bus-1", .plate = "DHK-1234", .capacity = 40, .version = 1},
        events::Header{.id = std::move(id),
                       .aggregate_id = "bus-1",
                       .org_id = std::move(org),
                       .occurred_at = clock_.Now()});
  }

  std::vector<std::string> Actions(const AuditQuery& query) {
    auto page = service_->List(query);
    EXPECT_OK(page);
    std::vector<std::string> actions;
    if (page.ok()) {
      for (const AuditEntry& entry : page->items) actions.push_back(entry.fact.action);
    }
    return actions;
  }

  testing::TempDir dir_;
  ManualClock clock_;
  metrics::Registry metrics_;
  events::Bus bus_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<CheckpointKeys> keys_;
  std::unique_ptr<AuditStore> store_;
  std::shared_ptr<AuditService> service_;
};

TEST_F(AuditServiceTest, EventsAndRecordsEnterTheirLogInOrderOnceEach) {
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusRegistered, "e1")));
  ASSERT_OK(service_->Record(GatewayFact("r1", "PUT /v1/buses/{bus_id}")));
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusUpdated, "e2")));
  // Delivered again (a broker's redelivery), and a retried record: nothing new.
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusUpdated, "e2")));
  ASSERT_OK(service_->Record(GatewayFact("r1", "PUT /v1/buses/{bus_id}")));

  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_THAT(Actions({.log = "org-1"}),
              ElementsAre("bus.updated", "PUT /v1/buses/{bus_id}", "bus.registered"));
  const AuditEntry& registered = page->items[2];
  EXPECT_EQ(registered.seq, 1);
  EXPECT_EQ(registered.prev_hash, kGenesisHash);
  EXPECT_EQ(registered.fact.source, "event:e1");
  EXPECT_EQ(registered.fact.actor, "service:operator");
  EXPECT_EQ(registered.fact.target, "bus-1");
  EXPECT_EQ(registered.fact.target_name, "DHK-1234");
  EXPECT_THAT(registered.fact.details, HasSubstr(R"("plate":"DHK-1234")"));
  EXPECT_EQ(page->items[1].fact.source, "gateway:r1");
  EXPECT_EQ(page->items[1].prev_hash, registered.hash);
  EXPECT_EQ(page->items[0].prev_hash, page->items[1].hash);

  auto verification = service_->Verify("org-1");
  ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok) << verification->reason;
  EXPECT_EQ(verification->entries, 3);
  EXPECT_EQ(verification->head_hash, page->items[0].hash);
}

TEST_F(AuditServiceTest, EachOrganizationHasItsOwnChainAndPlatformEventsTheirs) {
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusRegistered, "e1", "org-1")));
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusRegistered, "e2", "org-2")));
  ASSERT_OK(bus_.Publish(identity::kUserRegistered.Make(
      identity::UserRegistered{.user_id = "user-9"},
      events::Header{.id = "e3", .aggregate_id = "user-9", .occurred_at = clock_.Now()})));

  for (const std::string log : {"org-1", "org-2", "platform"}) {
    auto page = service_->List({.log = log});
    ASSERT_OK(page);
    ASSERT_EQ(page->items.size(), 1u) << log;
    EXPECT_EQ(page->items[0].seq, 1) << log;
    EXPECT_EQ(page->items[0].prev_hash, kGenesisHash) << log;
  }
  auto platform = service_->List({.log = "platform"});
  EXPECT_EQ(platform->items[0].fact.action, "identity.user_registered");
  EXPECT_EQ(platform->items[0].fact.actor, "user-9");
}

TEST_F(AuditServiceTest, FiltersAndCursorsPageThroughALog) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_OK(service_->Record(GatewayFact(absl::StrCat("r", i), "POST /v1/trips/{trip_id}/cancel",
                                           i % 2 == 0 ? "user-2" : "user-1")));
    clock_.Advance(absl::Minutes(1));
  }
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusRegistered, "e1")));

  EXPECT_EQ(Actions({.log = "org-1", .actor = "user-2"}).size(), 2u);
  EXPECT_THAT(Actions({.log = "org-1", .action = "bus."}), ElementsAre("bus.registered"));
  EXPECT_THAT(Actions({.log = "org-1", .action = "bus.registered"}), ElementsAre("bus.registered"));
  EXPECT_TRUE(Actions({.log = "org-1", .action = "bus"}).empty());
  const absl::Time start = absl::FromUnixSeconds(1'767'225'600);
  EXPECT_EQ(
      Actions({.log = "org-1", .from = start + absl::Minutes(1), .to = start + absl::Minutes(3)})
          .size(),
      2u);

  std::vector<int64_t> seen;
  AuditQuery query{.log = "org-1", .limit = 4};
  for (int pages = 0; pages < 5; ++pages) {
    auto page = service_->List(query);
    ASSERT_OK(page);
    for (const AuditEntry& entry : page->items) seen.push_back(entry.seq);
    if (!page->next_before_seq) break;
    query.before_seq = page->next_before_seq;
  }
  EXPECT_THAT(seen, ElementsAre(6, 5, 4, 3, 2, 1));
  // Nobody else's log shows through a filter.
  EXPECT_TRUE(Actions({.log = "org-2"}).empty());
}

TEST_F(AuditServiceTest, BadRecordsAreRefusedAndWriteNothing) {
  AuditFact not_json = GatewayFact("r1", "PUT /v1/buses/{bus_id}");
  not_json.details = "not json";
  EXPECT_THAT(service_->Record(not_json), StatusIs(absl::StatusCode::kInvalidArgument));
  AuditFact no_log = GatewayFact("r2", "PUT /v1/buses/{bus_id}");
  no_log.log.clear();
  EXPECT_THAT(service_->Record(no_log), StatusIs(absl::StatusCode::kInvalidArgument));
  AuditFact no_source = GatewayFact("", "PUT /v1/buses/{bus_id}");
  EXPECT_THAT(service_->Record(no_source), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(service_->List({.log = "org-1", .limit = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(Actions({.log = "org-1"}).empty());
  auto state = store_->State("org-1");
  ASSERT_OK(state);
  EXPECT_FALSE(state->has_value());
}

TEST_F(AuditServiceTest, TheGatewayRecordsOnlyRouteChangesAndSignIns) {
  // What a compromised caller of Record would forge: a service's event, by someone.
  AuditFact forged = GatewayFact("r1", "payment.refunded");
  EXPECT_THAT(service_->Record(forged), StatusIs(absl::StatusCode::kInvalidArgument));
  AuditFact sign_in_in_an_org = GatewayFact("r2", "session.signed_in");
  EXPECT_THAT(service_->Record(sign_in_in_an_org), StatusIs(absl::StatusCode::kInvalidArgument));
  AuditFact change_in_platform = GatewayFact("r3", "DELETE /v1/orgs/members/{user_id}");
  change_in_platform.log = "platform";
  EXPECT_THAT(service_->Record(change_in_platform), StatusIs(absl::StatusCode::kInvalidArgument));
  AuditFact sign_in = GatewayFact("r4", "session.sign_in_failed", "anonymous");
  sign_in.log = "platform";
  ASSERT_OK(service_->Record(sign_in));
  ASSERT_OK(service_->Record(GatewayFact("r5", "DELETE /v1/orgs/members/{user_id}")));
  EXPECT_EQ(Actions({.log = "org-1"}).size(), 1u);
  EXPECT_EQ(Actions({.log = "platform"}).size(), 1u);
}

TEST_F(AuditServiceTest, AnEventNameCutInsideACharacterStillEntersTheLog) {
  std::string euros;
  for (int i = 0; i < 90; ++i) euros += "\xE2\x82\xAC";
  ASSERT_OK(bus_.Publish(identity::kOrgCreated.Make(
      identity::OrgCreated{.actor_user_id = "user-1", .name = euros, .slug = "euros"},
      events::Header{.id = "e1", .aggregate_id = "org-1", .org_id = "org-1"})));
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].fact.target_name, euros.substr(0, 255));
}

TEST_F(AuditServiceTest, NamesThatHideTextKeepWhoDidWhat) {
  // A C1 line break and a right-to-left override (which would make "user-1" read as something
  // else on a console) in a name. (Bytes that are not UTF-8 never get this far: the event
  // contracts refuse them.)
  ASSERT_OK(bus_.Publish(identity::kOrgCreated.Make(
      identity::OrgCreated{.actor_user_id = "user-1",
                           .name = "Bad name \xC2\x85 next \xE2\x80\xAE"
                                   "1-resu",
                           .slug = "bad"},
      events::Header{.id = "e1", .aggregate_id = "org-1", .org_id = "org-1"})));
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  const AuditFact& fact = page->items[0].fact;
  EXPECT_EQ(fact.action, "identity.org_created");
  EXPECT_EQ(fact.actor, "user-1");
  EXPECT_EQ(fact.target, "org-1");
  EXPECT_EQ(fact.target_name, "Bad name ? next ?1-resu");
  EXPECT_EQ(fact.source, "event:e1");
  auto verification = service_->Verify("org-1");
  ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok) << verification->reason;
}

TEST_F(AuditServiceTest, ARecordsTextIsFittedWhoeverSentIt) {
  // A caller that skipped the gateway's fitting: a right-to-left override in the name.
  AuditFact fact = GatewayFact("r1", "PUT /v1/buses/{bus_id}");
  fact.target_name =
      "DHK-\xE2\x80\xAE"
      "4321";
  ASSERT_OK(service_->Record(fact));
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].fact.target_name, "DHK-?4321");
}

TEST_F(AuditServiceTest, TheGatewaysRecordsAreDatedByTheAuditClock) {
  // A caller cannot slip a record in among last week's entries.
  AuditFact backdated = GatewayFact("r1", "PUT /v1/buses/{bus_id}");
  backdated.at = clock_.Now() - absl::Hours(24 * 7);
  ASSERT_OK(service_->Record(backdated));
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].fact.at, clock_.Now());
}

TEST_F(AuditServiceTest, AGatewayRecordCannotTakeAnEventsPlace) {
  // A record naming an event's id is refused (record ids are the gateway's own), and its own
  // ids live apart: the event still enters the log.
  EXPECT_THAT(service_->Record(GatewayFact("event:e1", "PUT /v1/buses/{bus_id}")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(service_->Record(GatewayFact("r1\xE2\x80\xAE", "PUT /v1/buses/{bus_id}")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK(service_->Record(GatewayFact("e1", "PUT /v1/buses/{bus_id}")));
  ASSERT_OK(bus_.Publish(BusEvent(fleet::kBusRegistered, "e1")));
  EXPECT_THAT(Actions({.log = "org-1"}), ElementsAre("bus.registered", "PUT /v1/buses/{bus_id}"));
}

TEST_F(AuditServiceTest, ALargePayloadIsKeptAsItsDigest) {
  catalog::PublishedTrip trip;
  trip.id = "trip-1";
  trip.org_id = "org-1";
  trip.route_name = "Dhaka - Chattogram";
  trip.departure = "2026-04-01T08:00:00Z";
  trip.stops = {{.station = "DHK"}, {.station = "CTG"}};
  trip.bus.bus_class = "seater";
  trip.bus.layout_document =
      absl::StrCat(R"({"note":")", std::string(kMaxDetailsBytes, 'x'), R"("})");
  ASSERT_OK(bus_.Publish(catalog::kTripCancelled.Make(
      trip,
      events::Header{
          .id = "e1", .aggregate_id = "trip-1", .org_id = "org-1", .occurred_at = clock_.Now()})));
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].fact.action, "trip.cancelled");
  EXPECT_EQ(page->items[0].fact.target_name, "Dhaka - Chattogram 2026-04-01T08:00:00Z");
  EXPECT_THAT(page->items[0].fact.details, HasSubstr("payload_sha256"));
}

TEST_F(AuditServiceTest, HoldsAreNotAuditedButStaffSeatBlocksAre) {
  const inventory::SeatsChanged seats{.booking_id = "b1", .seats = {"A1"}};
  ASSERT_OK(bus_.Publish(inventory::kHoldPlaced.Make(
      seats, events::Header{.id = "e1", .aggregate_id = "trip-1", .org_id = "org-1"})));
  ASSERT_OK(bus_.Publish(inventory::kSeatsBlocked.Make(
      seats, events::Header{.id = "e2", .aggregate_id = "trip-1", .org_id = "org-1"})));
  EXPECT_THAT(Actions({.log = "org-1"}), ElementsAre("seats.blocked"));
}

TEST_F(AuditServiceTest, CheckpointsAreSignedEveryNEntriesAndForIdleLogs) {
  for (int i = 1; i <= 4; ++i) {
    ASSERT_OK(service_->Record(GatewayFact(absl::StrCat("r", i), "PUT /v1/buses/{bus_id}")));
  }
  auto checkpoints = store_->Checkpoints("org-1");
  ASSERT_OK(checkpoints);
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ((*checkpoints)[0].seq, 3);
  EXPECT_TRUE(CheckpointSignatureHolds((*checkpoints)[0], keys_->public_keys()));

  service_->CheckpointIdleLogs();  // the last was just made: not due
  EXPECT_EQ(store_->Checkpoints("org-1")->size(), 1u);
  clock_.Advance(absl::Minutes(6));
  service_->CheckpointIdleLogs();
  checkpoints = store_->Checkpoints("org-1");
  ASSERT_EQ(checkpoints->size(), 2u);
  EXPECT_EQ((*checkpoints)[1].seq, 4);
  clock_.Advance(absl::Minutes(6));
  service_->CheckpointIdleLogs();  // nothing new since
  EXPECT_EQ(store_->Checkpoints("org-1")->size(), 2u);
  EXPECT_TRUE(service_->Verify("org-1")->ok);
}

// Passes every call to `store`; the stand-ins below change what they need.
class ForwardingStore : public AuditStore {
 public:
  explicit ForwardingStore(AuditStore& store) : store_(store) {}
  absl::StatusOr<std::optional<AuditEntry>> Append(const AuditFact& fact,
                                                   const Sealer& seal) override {
    return store_.Append(fact, seal);
  }
  absl::StatusOr<std::vector<AuditEntry>> Query(const AuditQuery& query) override {
    return store_.Query(query);
  }
  absl::StatusOr<std::vector<AuditEntry>> Scan(const std::string& log, int64_t from_seq,
                                               int limit) override {
    return store_.Scan(log, from_seq, limit);
  }
  absl::StatusOr<std::optional<LogState>> State(const std::string& log) override {
    return store_.State(log);
  }
  absl::StatusOr<std::vector<Checkpoint>> Checkpoints(const std::string& log) override {
    return store_.Checkpoints(log);
  }
  absl::StatusOr<std::optional<LogSnapshot>> Snapshot(const std::string& log) override {
    return store_.Snapshot(log);
  }
  absl::StatusOr<std::vector<LogState>> DueForCheckpoint(absl::Time before,
                                                         const std::string& after_log,
                                                         int limit) override {
    return store_.DueForCheckpoint(before, after_log, limit);
  }
  absl::StatusOr<std::optional<Checkpoint>> CheckpointHead(const std::string& log,
                                                           const CheckpointSealer& seal) override {
    return store_.CheckpointHead(log, seal);
  }

 protected:
  AuditStore& store_;
};

// A store that appends to the log while verification reads it, as a busy log does.
class AppendingWhileScanned final : public ForwardingStore {
 public:
  AppendingWhileScanned(AuditStore& store, std::function<void()> append)
      : ForwardingStore(store), append_(std::move(append)) {}
  absl::StatusOr<std::vector<AuditEntry>> Scan(const std::string& log, int64_t from_seq,
                                               int limit) override {
    append_();
    return store_.Scan(log, from_seq, limit + 5);
  }
  absl::StatusOr<std::optional<LogSnapshot>> Snapshot(const std::string& log) override {
    append_();
    return store_.Snapshot(log);
  }

 private:
  std::function<void()> append_;
};

TEST_F(AuditServiceTest, AppendsDuringVerificationAreNoAlarm) {
  for (int i = 1; i <= 2; ++i) {
    ASSERT_OK(service_->Record(GatewayFact(absl::StrCat("r", i), "PUT /v1/buses/{bus_id}")));
  }
  int next = 10;
  AppendingWhileScanned busy(*store_, [&] {
    // Three at a time: past the checkpoint every third entry signs, too.
    for (int i = 0; i < 3; ++i) {
      ASSERT_OK(service_->Record(GatewayFact(absl::StrCat("r", next++), "PUT /v1/buses/{bus_id}")));
    }
  });
  AuditService verifier({.store = busy,
                         .keys = *keys_,
                         .clock = clock_,
                         .logger = log::Logger::ToStderr(log::Level::kError)},
                        CheckpointPolicy{.every = 3, .interval = absl::Minutes(5)});
  auto verification = verifier.Verify("org-1");
  ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok) << verification->reason;
  EXPECT_EQ(verification->entries, 5);  // up to the head it read; later ones wait
}

// A store whose appends wait (a while) for a second one to arrive, so two appends to one log
// reach it side by side when nothing in the service makes them take turns.
class MeetingStore final : public ForwardingStore {
 public:
  explicit MeetingStore(AuditStore& store) : ForwardingStore(store) {}
  absl::StatusOr<std::optional<AuditEntry>> Append(const AuditFact& fact,
                                                   const Sealer& seal) override {
    {
      absl::MutexLock lock(&mutex_);
      if (meeting_) {
        ++arrived_;
        auto both = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return arrived_ >= 2; };
        mutex_.AwaitWithTimeout(absl::Condition(&both), absl::Milliseconds(300));
      }
    }
    return store_.Append(fact, seal);
  }
  // The next two appends meet (or the first waits its while alone).
  void MeetNextTwo() {
    absl::MutexLock lock(&mutex_);
    meeting_ = true;
    arrived_ = 0;
  }

 private:
  absl::Mutex mutex_;
  bool meeting_ ABSL_GUARDED_BY(mutex_) = false;
  int arrived_ ABSL_GUARDED_BY(mutex_) = 0;
};

// A store whose platform appends wait (a while) until an append to another log finished,
// and which notes whether it did first.
class PlatformWaitsStore final : public ForwardingStore {
 public:
  explicit PlatformWaitsStore(AuditStore& store) : ForwardingStore(store) {}
  absl::StatusOr<std::optional<AuditEntry>> Append(const AuditFact& fact,
                                                   const Sealer& seal) override {
    if (fact.log == kPlatformLog) {
      absl::MutexLock lock(&mutex_);
      platform_inside_ = true;
      auto other_done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return other_done_; };
      mutex_.AwaitWithTimeout(absl::Condition(&other_done), absl::Seconds(5));
      other_first_ = other_done_;
    }
    auto appended = store_.Append(fact, seal);
    if (fact.log != kPlatformLog) {
      absl::MutexLock lock(&mutex_);
      other_done_ = true;
    }
    return appended;
  }
  void AwaitPlatformInside() {
    absl::MutexLock lock(&mutex_);
    auto inside = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return platform_inside_; };
    mutex_.Await(absl::Condition(&inside));
  }
  bool OtherFinishedFirst() {
    absl::MutexLock lock(&mutex_);
    return other_first_;
  }

 private:
  absl::Mutex mutex_;
  bool platform_inside_ ABSL_GUARDED_BY(mutex_) = false;
  bool other_done_ ABSL_GUARDED_BY(mutex_) = false;
  bool other_first_ ABSL_GUARDED_BY(mutex_) = false;
};

TEST_F(AuditServiceTest, AnAppendNeverWaitsForAnotherLogs) {
  PlatformWaitsStore store(*store_);
  AuditService service({.store = store,
                        .keys = *keys_,
                        .clock = clock_,
                        .logger = log::Logger::ToStderr(log::Level::kError)},
                       CheckpointPolicy{});
  // A log whose name would have shared the platform's lock among 32 (a flood of failed
  // sign-ins must not hold back an organization's appends).
  std::string org;
  for (int i = 0; org.empty(); ++i) {
    const std::string name = absl::StrCat("org-", i);
    if (std::hash<std::string>{}(name) % 32 == std::hash<std::string>{}("platform") % 32)
      org = name;
  }
  std::thread sign_in([&] {
    EXPECT_OK(service.Record({.log = "platform",
                              .source = "s1",
                              .at = clock_.Now(),
                              .actor = "anonymous",
                              .action = "session.sign_in_failed",
                              .details = "{}"}));
  });
  store.AwaitPlatformInside();
  AuditFact change = GatewayFact("r1", "PUT /v1/buses/{bus_id}");
  change.log = org;
  EXPECT_OK(service.Record(change));
  sign_in.join();
  EXPECT_TRUE(store.OtherFinishedFirst());
}

TEST_F(AuditServiceTest, IdleCheckpointsGoOnWhereTheLastRunStopped) {
  // One log per run: the two refused logs named first must not keep the platform's waiting.
  AuditService service(
      {.store = *store_,
       .keys = *keys_,
       .clock = clock_,
       .logger = log::Logger::ToStderr(log::Level::kError)},
      CheckpointPolicy{
          .every = 1000, .interval = absl::Minutes(5), .idle_page = 1, .idle_pages = 1});
  for (const char* log : {"a-bad", "b-bad"}) {
    AuditFact change = GatewayFact(absl::StrCat("r-", log), "PUT /v1/buses/{bus_id}");
    change.log = log;
    ASSERT_OK(service.Record(change));
  }
  ASSERT_OK(service.Record({.log = "platform",
                            .source = "s1",
                            .at = clock_.Now(),
                            .actor = "user-1",
                            .action = "session.signed_in",
                            .details = "{}"}));
  ASSERT_OK(database_->Execute("DROP TRIGGER audit_entries_no_update"));
  ASSERT_OK(database_->Execute("UPDATE audit_entries SET seal = '' WHERE log LIKE '%-bad'"));
  clock_.Advance(absl::Minutes(6));
  for (int run = 0; run < 3; ++run) service.CheckpointIdleLogs();
  auto checkpoints = store_->Checkpoints("platform");
  ASSERT_OK(checkpoints);
  EXPECT_EQ(checkpoints->size(), 1u);
}

TEST_F(AuditServiceTest, ANoticeAndItsFactEachGetTheCheckpointTheyAreDue) {
  AuditService service({.store = *store_,
                        .keys = *keys_,
                        .clock = clock_,
                        .logger = log::Logger::ToStderr(log::Level::kError)},
                       CheckpointPolicy{.every = 1, .interval = absl::Minutes(5)});
  for (int i = 1; i <= 3; ++i) {
    ASSERT_OK(service.Record(GatewayFact(absl::StrCat("r", i), "PUT /v1/buses/{bus_id}")));
  }
  auto entries = store_->Scan("org-1", 1, 10);
  ASSERT_OK(entries);
  for (const char* trigger : {"audit_entries_no_delete", "audit_checkpoints_no_delete"}) {
    ASSERT_OK(database_->Execute(absl::StrCat("DROP TRIGGER ", trigger)));
  }
  ASSERT_OK(database_->Execute("DELETE FROM audit_entries WHERE seq > 1"));
  ASSERT_OK(database_->Execute("DELETE FROM audit_checkpoints WHERE seq > 1"));
  ASSERT_OK(
      database_->Execute("UPDATE audit_logs SET head_seq = 1, head_hash = $1, checkpoint_seq = 1",
                         {(*entries)[0].hash}));
  ASSERT_OK(service.Record(GatewayFact("r4", "PUT /v1/buses/{bus_id}")));  // notice 2, fact 3
  auto checkpoints = store_->Checkpoints("org-1");
  ASSERT_OK(checkpoints);
  ASSERT_EQ(checkpoints->size(), 3u);
  EXPECT_EQ((*checkpoints)[1].seq, 2);
  EXPECT_EQ((*checkpoints)[2].seq, 3);
}

TEST_F(AuditServiceTest, TwoAppendsAfterARollBackLeaveOneNotice) {
  MeetingStore meeting(*store_);
  AuditService service({.store = meeting,
                        .keys = *keys_,
                        .clock = clock_,
                        .logger = log::Logger::ToStderr(log::Level::kError)},
                       CheckpointPolicy{.every = 1000, .interval = absl::Minutes(5)});
  for (int i = 1; i <= 4; ++i) {
    ASSERT_OK(service.Record(GatewayFact(absl::StrCat("r", i), "PUT /v1/buses/{bus_id}")));
  }
  auto entries = store_->Scan("org-1", 1, 10);
  ASSERT_OK(entries);
  ASSERT_OK(database_->Execute("DROP TRIGGER audit_entries_no_delete"));
  // Back to entry 1: the first append after it (a notice and its fact) still leaves the head
  // below entry 4, which this process wrote.
  ASSERT_OK(database_->Execute("DELETE FROM audit_entries WHERE seq > 1"));
  ASSERT_OK(database_->Execute("UPDATE audit_logs SET head_seq = 1, head_hash = $1",
                               {(*entries)[0].hash}));
  meeting.MeetNextTwo();
  std::thread other(
      [&] { EXPECT_OK(service.Record(GatewayFact("side-1", "PUT /v1/buses/{bus_id}"))); });
  EXPECT_OK(service.Record(GatewayFact("side-2", "PUT /v1/buses/{bus_id}")));
  other.join();
  const std::vector<std::string> actions = Actions({.log = "org-1"});
  EXPECT_EQ(std::count(actions.begin(), actions.end(), std::string(kRolledBackAction)), 1)
      << ::testing::PrintToString(actions);
}

TEST_F(AuditServiceTest, ALogNobodyWroteVerifiesEmpty) {
  auto verification = service_->Verify("org-404");
  ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok);
  EXPECT_EQ(verification->entries, 0);
}

}  // namespace
}  // namespace travio::audit
