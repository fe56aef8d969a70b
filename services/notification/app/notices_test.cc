// Notices on a real SQL store (SQLite): stored once per key, delivered by email (with the PDF
// attached) and SMS, retried with backoff and every attempt recorded, held to the recipients'
// hourly limits, and refused at once when they could never be sent.
#include "services/notification/app/notices.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/db/migrations.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/trace/trace_context.h"
#include "services/notification/storage/sql_delivery_store.h"
#include "services/notification/writing/templates.h"

namespace travio::notification {
namespace {

using nlohmann::json;
using ::travio::testing::HasReason;

class RecordingTransport final : public EmailTransport {
 public:
  std::string_view name() const override { return "fake"; }
  absl::Status Deliver(const OutgoingMessage& message) override {
    if (while_sending) while_sending();
    std::lock_guard lock(mutex);
    if (!result.ok()) return result;
    delivered.push_back(message);
    return absl::OkStatus();
  }
  std::function<void()> while_sending;  // a slow server, say
  std::mutex mutex;
  std::vector<OutgoingMessage> delivered;
  absl::Status result = absl::OkStatus();
};

class RecordingSms final : public SmsProvider {
 public:
  std::string_view name() const override { return "fake"; }
  absl::Status Send(const SmsMessage& message) override {
    std::lock_guard lock(mutex);
    if (!result.ok()) return result;
    sent.push_back(message);
    return absl::OkStatus();
  }
  std::mutex mutex;
  std::vector<SmsMessage> sent;
  absl::Status result = absl::OkStatus();
};

json NoticeTicketData() {
  return {{"order_id", "o1"},
          {"operator_name", "Green Line"},
          {"from", {{"code", "DHK"}, {"name", "Dhaka"}}},
          {"to", {{"code", "CXB"}, {"name", "Cox's Bazar"}}},
          {"timezone", "Asia/Dhaka"},
          {"departure", "2026-12-20T16:30:00.000Z"},
          {"tickets",
           {{{"ticket_id", "t1"},
             {"number", "K7Q2M-9XD3F"},
             {"seat", "A1"},
             {"passenger", "Rahim"},
             {"status", "issued"}}}},
          {"pdf_url", "https://travio.example/x.pdf"},
          {"total", {{"amount", 150000}, {"currency", "BDT"}}}};
}

class NoticeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::OpenSqlite({(dir_ / "notification.db").string()}));
    const std::vector<db::Migration> migrations = NotificationMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "notification", migrations));
    store_ = MakeSqlDeliveryStore(*database_);
    writer_ = MakeTemplateWriter();
    email_ = std::make_unique<EmailSender>(Mailbox{"Travio", "no-reply@travio.localhost"},
                                           transport_, *writer_, clock_, ids_, logger_, metrics_);
    service_ =
        Service(*store_, NoticeSettings{.max_attempts = 3, .emails_per_hour = 2, .sms_per_hour = 2},
                &metrics_, [this] { ++wakes_; });
  }

  // A notice service (a worker) on `store`.
  std::unique_ptr<NoticeService> Service(
      DeliveryStore& store, NoticeSettings settings, metrics::Registry* metrics = nullptr,
      std::function<void()> wake = [] {}) {
    return std::make_unique<NoticeService>(NoticeService::Ports{.store = store,
                                                                .writer = *writer_,
                                                                .email = *email_,
                                                                .sms = sms_,
                                                                .clock = clock_,
                                                                .ids = ids_,
                                                                .logger = logger_,
                                                                .metrics = metrics},
                                           settings, std::move(wake));
  }

  Notice TicketNotice(const std::string& key = "tickets/o1/1") {
    return {.key = key,
            .kind = "tickets_issued",
            .locale = "en",
            .email = "rahim@example.com",
            .phone = "+8801711000000",
            .data = NoticeTicketData().dump(),
            .attachments = {{.filename = "travio-tickets-o1.pdf",
                             .content_type = "application/pdf",
                             .bytes = std::string("%PDF-1.5\0\xff", 10)}},
            .org_id = "org"};
  }

  std::vector<DeliveryAttempt> Attempts(const std::string& key, Channel channel) {
    auto history = store_->History(key);
    EXPECT_OK(history);
    if (!history.ok()) return {};
    for (auto& [delivery, attempts] : *history) {
      if (delivery.channel == channel) return attempts;
    }
    return {};
  }

  testing::TempDir dir_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
  std::shared_ptr<std::vector<std::string>> lines_ = std::make_shared<std::vector<std::string>>();
  log::Logger logger_ = log::Logger::ToVector(log::Level::kDebug, lines_);
  metrics::Registry metrics_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<DeliveryStore> store_;
  std::shared_ptr<RecordingTransport> transport_ = std::make_shared<RecordingTransport>();
  RecordingSms sms_;
  std::unique_ptr<MessageWriter> writer_;
  std::unique_ptr<EmailSender> email_;
  std::unique_ptr<NoticeService> service_;
  int wakes_ = 0;
};

TEST_F(NoticeServiceTest, ANoticeIsSentByEmailWithItsPdfAndBySms) {
  ASSERT_OK_AND_ASSIGN(NoticeReceipt receipt, service_->Notify(TicketNotice()));
  EXPECT_FALSE(receipt.duplicate);
  EXPECT_EQ(receipt.message_ids.size(), 2u);
  EXPECT_EQ(wakes_, 1);
  EXPECT_TRUE(transport_->delivered.empty());  // stored, sent by the worker

  ASSERT_OK_AND_ASSIGN(int sent, service_->DeliverDue());
  EXPECT_EQ(sent, 2);
  ASSERT_EQ(transport_->delivered.size(), 1u);
  const OutgoingMessage& email = transport_->delivered[0];
  EXPECT_EQ(email.envelope_to, "rahim@example.com");
  EXPECT_NE(email.data.find("multipart/mixed"), std::string::npos);
  EXPECT_NE(email.data.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(email.data.find("filename=\"travio-tickets-o1.pdf\""), std::string::npos);
  EXPECT_NE(email.data.find("JVBERi0xLjUA/w=="), std::string::npos);  // the PDF's bytes, base64
  EXPECT_NE(email.data.find("Seat A1: Rahim, ticket K7Q2M-9XD3F"), std::string::npos);
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(sms_.sent[0].to, "+8801711000000");
  EXPECT_NE(sms_.sent[0].text.find("K7Q2M-9XD3F"), std::string::npos);

  EXPECT_EQ(Attempts("tickets/o1/1", Channel::kEmail).size(), 1u);
  EXPECT_EQ(Attempts("tickets/o1/1", Channel::kEmail)[0].outcome, "sent");
  // Sent: the attachment is no longer kept.
  ASSERT_OK_AND_ASSIGN(std::vector<Attachment> kept, store_->Attachments("tickets/o1/1"));
  EXPECT_TRUE(kept.empty());
  ASSERT_OK_AND_ASSIGN(int again, service_->DeliverDue());
  EXPECT_EQ(again, 0);
}

TEST_F(NoticeServiceTest, TheSameKeyIsOneNotice) {
  ASSERT_OK_AND_ASSIGN(NoticeReceipt first, service_->Notify(TicketNotice()));
  ASSERT_OK_AND_ASSIGN(NoticeReceipt second, service_->Notify(TicketNotice()));
  EXPECT_TRUE(second.duplicate);
  EXPECT_EQ(second.message_ids, first.message_ids);
  ASSERT_OK(service_->DeliverDue().status());
  ASSERT_OK_AND_ASSIGN(NoticeReceipt third, service_->Notify(TicketNotice()));
  EXPECT_TRUE(third.duplicate);
  ASSERT_OK(service_->DeliverDue().status());
  EXPECT_EQ(transport_->delivered.size(), 1u);
  EXPECT_EQ(sms_.sent.size(), 1u);
}

TEST_F(NoticeServiceTest, FailuresAreRetriedWithBackoffThenGivenUp) {
  Notice notice = TicketNotice();
  notice.phone.clear();
  ASSERT_OK(service_->Notify(notice).status());
  transport_->result = absl::UnavailableError("smtp down");
  ASSERT_OK(service_->DeliverDue().status());
  // Not before its backoff.
  ASSERT_OK_AND_ASSIGN(int early, service_->DeliverDue());
  EXPECT_EQ(early, 0);
  EXPECT_EQ(Attempts(notice.key, Channel::kEmail).size(), 1u);
  clock_.Advance(absl::Seconds(2));
  ASSERT_OK(service_->DeliverDue().status());
  clock_.Advance(absl::Seconds(4));
  ASSERT_OK(service_->DeliverDue().status());
  const std::vector<DeliveryAttempt> attempts = Attempts(notice.key, Channel::kEmail);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].outcome, "failed");
  EXPECT_NE(attempts[0].error.find("smtp down"), std::string::npos);
  auto history = store_->History(notice.key);
  ASSERT_OK(history);
  EXPECT_EQ(history->front().first.status, DeliveryStatus::kFailed);  // out of attempts
  transport_->result = absl::OkStatus();
  clock_.Advance(absl::Hours(1));
  ASSERT_OK_AND_ASSIGN(int later, service_->DeliverDue());
  EXPECT_EQ(later, 0);
}

TEST_F(NoticeServiceTest, ARecoveredTransportDeliversTheMessage) {
  ASSERT_OK(service_->Notify(TicketNotice()).status());
  transport_->result = absl::UnavailableError("smtp down");
  sms_.result = absl::UnavailableError("provider down");
  ASSERT_OK(service_->DeliverDue().status());
  transport_->result = absl::OkStatus();
  sms_.result = absl::OkStatus();
  clock_.Advance(absl::Seconds(2));
  ASSERT_OK_AND_ASSIGN(int sent, service_->DeliverDue());
  EXPECT_EQ(sent, 2);
  // The attachment was kept for the retry.
  ASSERT_EQ(transport_->delivered.size(), 1u);
  EXPECT_NE(transport_->delivered[0].data.find("JVBERi0xLjUA/w=="), std::string::npos);
}

TEST_F(NoticeServiceTest, AProviderRefusalIsNotRetried) {
  Notice notice = TicketNotice();
  notice.email.clear();
  ASSERT_OK(service_->Notify(notice).status());
  sms_.result = absl::InvalidArgumentError("number not served");
  ASSERT_OK(service_->DeliverDue().status());
  const std::vector<DeliveryAttempt> attempts = Attempts(notice.key, Channel::kSms);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].outcome, "refused");
}

TEST_F(NoticeServiceTest, ARecipientGetsNoMoreThanTheHourlyLimit) {
  for (int i = 0; i < 3; ++i) {
    Notice notice = TicketNotice("tickets/o1/" + std::to_string(i + 1));
    notice.phone.clear();
    ASSERT_OK(service_->Notify(notice).status());
    clock_.Advance(absl::Seconds(1));
  }
  ASSERT_OK(service_->DeliverDue().status());
  EXPECT_EQ(transport_->delivered.size(), 2u);
  EXPECT_EQ(Attempts("tickets/o1/3", Channel::kEmail).back().outcome, "deferred");
  clock_.Advance(absl::Minutes(30));
  ASSERT_OK(service_->DeliverDue().status());
  EXPECT_EQ(transport_->delivered.size(), 2u);  // still within the hour
  clock_.Advance(absl::Minutes(31));
  ASSERT_OK(service_->DeliverDue().status());
  EXPECT_EQ(transport_->delivered.size(), 3u);  // the hour has passed
}

TEST_F(NoticeServiceTest, AFloodedInboxDoesNotHoldBackOtherRecipients) {
  for (int i = 0; i < 40; ++i) {
    Notice notice = TicketNotice("tickets/flood/" + std::to_string(i));
    notice.phone.clear();
    ASSERT_OK(service_->Notify(notice).status());
  }
  ASSERT_OK(service_->DeliverDue(100).status());
  EXPECT_EQ(transport_->delivered.size(), 2u);  // the hour's limit; 38 wait
  clock_.Advance(absl::Minutes(6));
  Notice other = TicketNotice("tickets/other/1");
  other.phone.clear();
  other.email = "karim@example.com";
  ASSERT_OK(service_->Notify(other).status());
  // One round of the worker: the other traveller's message goes now, not after the flood.
  ASSERT_OK_AND_ASSIGN(int sent, service_->DeliverDue());
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(transport_->delivered.back().envelope_to, "karim@example.com");
}

TEST_F(NoticeServiceTest, AWorkerWhoseLeaseRanOutCannotReopenADelivery) {
  Notice notice = TicketNotice();
  notice.phone.clear();
  ASSERT_OK(service_->Notify(notice).status());
  ASSERT_OK_AND_ASSIGN(std::vector<Delivery> stale,
                       store_->ClaimDue(clock_.Now(), absl::Minutes(1), 10));
  ASSERT_EQ(stale.size(), 1u);
  clock_.Advance(absl::Minutes(2));  // the lease ran out; another worker sends it
  ASSERT_OK_AND_ASSIGN(int sent, service_->DeliverDue());
  EXPECT_EQ(sent, 1);
  // The first worker, late, records its failed attempt.
  Delivery late = stale[0];
  late.attempts += 1;
  late.last_error = "timeout";
  late.next_attempt_at = clock_.Now() + absl::Seconds(2);
  ASSERT_OK(store_->Record(late, {.delivery_id = late.id,
                                  .attempt = late.attempts,
                                  .at = clock_.Now(),
                                  .outcome = "failed",
                                  .error = "timeout"}));
  ASSERT_OK_AND_ASSIGN(auto history, store_->History(notice.key));
  EXPECT_EQ(history.front().first.status, DeliveryStatus::kSent);
  clock_.Advance(absl::Seconds(5));
  ASSERT_OK_AND_ASSIGN(int again, service_->DeliverDue());
  EXPECT_EQ(again, 0);
  EXPECT_EQ(transport_->delivered.size(), 1u);  // never sent twice
}

TEST_F(NoticeServiceTest, EachAttemptGoesOnInTheTraceOfTheWorkThatAskedForTheNotice) {
  const trace::TraceContext asked_in = trace::NewTrace();
  {
    const trace::Scope call(asked_in);  // as the gRPC server runs Notify
    ASSERT_OK(service_->Notify(TicketNotice()));
  }
  std::vector<std::string> traces;
  transport_->while_sending = [&] { traces.push_back(trace::CurrentTraceId()); };
  transport_->result = absl::UnavailableError("server down");
  ASSERT_EQ(trace::Current(), nullptr);
  ASSERT_OK(service_->DeliverDue().status());  // the worker, outside any trace
  transport_->result = absl::OkStatus();
  clock_.Advance(absl::Minutes(5));
  ASSERT_OK_AND_ASSIGN(int sent, service_->DeliverDue());
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(traces, (std::vector<std::string>{asked_in.trace_id, asked_in.trace_id}));
  EXPECT_EQ(trace::Current(), nullptr);
  bool logged_in_trace = false;
  for (const std::string& line : *lines_) {
    if (absl::StrContains(line, "was not delivered") &&
        absl::StrContains(line, asked_in.trace_id)) {
      logged_in_trace = true;
    }
  }
  EXPECT_TRUE(logged_in_trace) << "the failed attempt's line has not the notice's trace";
}

// The store, with something happening in one of its calls.
class StoreWithHooks final : public DeliveryStore {
 public:
  explicit StoreWithHooks(DeliveryStore& inner) : inner_(inner) {}
  std::function<void()> reading_attachments;
  absl::Status sent_since_fails = absl::OkStatus();  // once

  absl::StatusOr<std::pair<std::vector<std::string>, bool>> Add(
      const std::string& key, const std::vector<Delivery>& deliveries,
      const std::vector<Attachment>& attachments) override {
    return inner_.Add(key, deliveries, attachments);
  }
  absl::StatusOr<std::vector<Delivery>> ClaimDue(absl::Time now, absl::Duration lease,
                                                 int limit) override {
    return inner_.ClaimDue(now, lease, limit);
  }
  absl::Status Release(const std::string& delivery_id, absl::Time claimed_until) override {
    return inner_.Release(delivery_id, claimed_until);
  }
  absl::StatusOr<std::vector<Attachment>> Attachments(const std::string& notice_key) override {
    if (reading_attachments) reading_attachments();
    return inner_.Attachments(notice_key);
  }
  absl::Status Record(const Delivery& after, const DeliveryAttempt& attempt) override {
    return inner_.Record(after, attempt);
  }
  absl::StatusOr<RecentSends> SentSince(Channel channel, const std::string& inbox,
                                        absl::Time since) override {
    if (!sent_since_fails.ok()) return std::exchange(sent_since_fails, absl::OkStatus());
    return inner_.SentSince(channel, inbox, since);
  }
  absl::StatusOr<std::vector<std::pair<Delivery, std::vector<DeliveryAttempt>>>> History(
      const std::string& notice_key) override {
    return inner_.History(notice_key);
  }

 private:
  DeliveryStore& inner_;
};

class NoticeWorkersTest : public NoticeServiceTest {
 protected:
  // A worker (a replica) on `store`, with a minute's lease and sends of up to 20 s.
  std::unique_ptr<NoticeService> Worker(DeliveryStore& store) {
    return Service(store, {.lease = absl::Minutes(1), .longest_send = absl::Seconds(20)});
  }

  void NotifyEmails(int count) {
    for (int i = 0; i < count; ++i) {
      Notice notice = TicketNotice(absl::StrCat("tickets/o", i, "/1"));
      notice.email = absl::StrCat("traveller", i, "@example.com");
      notice.phone.clear();
      ASSERT_OK(service_->Notify(notice));
    }
  }
};

TEST_F(NoticeWorkersTest, ASlowServerNeverHasAMessageSentTwice) {
  NotifyEmails(4);  // to four inboxes
  transport_->while_sending = [this] { clock_.Advance(absl::Seconds(20)); };
  auto first = Worker(*store_);
  auto second = Worker(*store_);
  // Two sends take 40 s: a third could end (at the 20 s timeout) after the claim, when another
  // worker could claim the message before it is recorded sent.
  ASSERT_OK_AND_ASSIGN(int sent, first->DeliverDue());
  EXPECT_EQ(sent, 2);
  // Another worker takes the other two at once, not a lease later.
  ASSERT_OK_AND_ASSIGN(sent, second->DeliverDue());
  EXPECT_EQ(sent, 2);
  ASSERT_OK_AND_ASSIGN(sent, first->DeliverDue());
  EXPECT_EQ(sent, 0);
  std::multiset<std::string> recipients;
  for (const OutgoingMessage& message : transport_->delivered) {
    recipients.insert(message.envelope_to);
  }
  EXPECT_EQ(recipients,
            (std::multiset<std::string>{"traveller0@example.com", "traveller1@example.com",
                                        "traveller2@example.com", "traveller3@example.com"}));
}

TEST_F(NoticeWorkersTest, ASendThatCouldNotEndBeforeTheClaimIsNotStartedAndGoesBack) {
  NotifyEmails(2);
  StoreWithHooks slow(*store_);
  // Reading the PDF takes 40 s: a send starting then could end after the claim (20 s timeout).
  slow.reading_attachments = [this] { clock_.Advance(absl::Seconds(40)); };
  auto first = Worker(slow);
  ASSERT_OK_AND_ASSIGN(int sent, first->DeliverDue());
  EXPECT_EQ(sent, 0);
  EXPECT_TRUE(transport_->delivered.empty());
  EXPECT_TRUE(Attempts("tickets/o0/1", Channel::kEmail).empty()) << "no attempt was made";
  // Both are another worker's at once, not a lease later.
  auto second = Worker(*store_);
  ASSERT_OK_AND_ASSIGN(sent, second->DeliverDue());
  EXPECT_EQ(sent, 2);
  EXPECT_EQ(transport_->delivered.size(), 2u);
}

TEST_F(NoticeWorkersTest, ABatchThatFailsGivesBackWhatItHasNotSent) {
  NotifyEmails(3);
  StoreWithHooks failing(*store_);
  failing.sent_since_fails = absl::UnavailableError("database gone");
  auto first = Worker(failing);
  EXPECT_FALSE(first->DeliverDue().ok());
  auto second = Worker(*store_);
  ASSERT_OK_AND_ASSIGN(int sent, second->DeliverDue());
  EXPECT_EQ(sent, 3);
}

TEST_F(NoticeServiceTest, TheHourlyLimitCountsAnInboxHoweverItsAddressIsSpelled) {
  const std::vector<std::string> spellings = {"rahim@example.com", "Rahim@Example.COM",
                                              "rahim+eid@example.com"};
  for (size_t i = 0; i < spellings.size(); ++i) {
    Notice notice = TicketNotice("tickets/o1/" + std::to_string(i + 1));
    notice.phone.clear();
    notice.email = spellings[i];
    ASSERT_OK(service_->Notify(notice).status());
    clock_.Advance(absl::Seconds(1));
  }
  ASSERT_OK(service_->DeliverDue().status());
  EXPECT_EQ(transport_->delivered.size(), 2u);
  EXPECT_EQ(Attempts("tickets/o1/3", Channel::kEmail).back().outcome, "deferred");
}

TEST_F(NoticeServiceTest, ADoneDeliveryKeepsNoPersonalData) {
  ASSERT_OK(service_->Notify(TicketNotice()).status());
  ASSERT_OK(service_->DeliverDue().status());
  ASSERT_OK_AND_ASSIGN(auto history, store_->History("tickets/o1/1"));
  ASSERT_EQ(history.size(), 2u);
  for (const auto& [delivery, attempts] : history) {
    EXPECT_EQ(delivery.status, DeliveryStatus::kSent);
    EXPECT_EQ(delivery.data, "") << "the passenger names and the PDF link stay after sending";
  }
}

TEST_F(NoticeServiceTest, NoticesThatCanNeverBeSentAreRefused) {
  Notice no_recipient = TicketNotice();
  no_recipient.email.clear();
  no_recipient.phone.clear();
  EXPECT_THAT(service_->Notify(no_recipient), HasReason("invalid_notice"));
  Notice bad_phone = TicketNotice();
  bad_phone.phone = "01711000000";
  EXPECT_THAT(service_->Notify(bad_phone), HasReason("invalid_phone"));
  Notice bad_email = TicketNotice();
  bad_email.email = "rahim@";
  EXPECT_FALSE(service_->Notify(bad_email).ok());
  Notice unknown = TicketNotice();
  unknown.kind = "nope";
  EXPECT_THAT(service_->Notify(unknown), HasReason("unknown_template"));
  Notice invite = TicketNotice();
  invite.kind = "org_invite";  // secrets are never stored in a notice
  EXPECT_THAT(service_->Notify(invite), HasReason("unknown_template"));
  Notice no_departure = TicketNotice();
  json data = NoticeTicketData();
  data.erase("departure");
  no_departure.data = data.dump();
  EXPECT_THAT(service_->Notify(no_departure), HasReason("invalid_notice"));
  Notice bad_attachment = TicketNotice();
  bad_attachment.attachments[0].filename = "../../etc/passwd";
  EXPECT_THAT(service_->Notify(bad_attachment), HasReason("invalid_attachment"));
  Notice no_key = TicketNotice();
  no_key.key = "";
  EXPECT_THAT(service_->Notify(no_key), HasReason("invalid_notice"));
  // Nothing was stored or sent.
  ASSERT_OK_AND_ASSIGN(int sent, service_->DeliverDue());
  EXPECT_EQ(sent, 0);
  EXPECT_EQ(wakes_, 0);
}

TEST_F(NoticeServiceTest, ABanglaNoticeIsWrittenInBangla) {
  Notice notice = TicketNotice();
  notice.locale = "bn";
  ASSERT_OK(service_->Notify(notice).status());
  ASSERT_OK(service_->DeliverDue().status());
  ASSERT_EQ(transport_->delivered.size(), 1u);
  EXPECT_NE(transport_->delivered[0].data.find("=?UTF-8?B?"), std::string::npos);  // the subject
  EXPECT_NE(transport_->delivered[0].data.find("আসন A1"), std::string::npos);
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_NE(sms_.sent[0].text.find("বোর্ডিংয়ে"), std::string::npos);
}

}  // namespace
}  // namespace travio::notification
