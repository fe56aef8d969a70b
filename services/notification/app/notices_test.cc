// Notices on a real SQL store (SQLite): stored once per key, delivered by email (with the PDF
// attached) and SMS, retried with backoff and every attempt recorded, held to the recipients'
// hourly limits, and refused at once when they could never be sent.
#include "services/notification/app/notices.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "platform/db/migrations.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
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
    std::lock_guard lock(mutex);
    if (!result.ok()) return result;
    delivered.push_back(message);
    return absl::OkStatus();
  }
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
    service_ = std::make_unique<NoticeService>(
        NoticeService::Ports{.store = *store_,
                             .writer = *writer_,
                             .email = *email_,
                             .sms = sms_,
                             .clock = clock_,
                             .ids = ids_,
                             .logger = logger_,
                             .metrics = &metrics_},
        NoticeSettings{.max_attempts = 3, .emails_per_hour = 2, .sms_per_hour = 2},
        [this] { ++wakes_; });
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
  log::Logger logger_ =
      log::Logger::ToVector(log::Level::kDebug, std::make_shared<std::vector<std::string>>());
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
