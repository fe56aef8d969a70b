#include "services/gateway/routes/export_pump.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::gateway {
namespace {

// A sink whose client reads only when the test says so: WhenWritten callbacks wait for
// ReadAll().
class SlowClientSink final : public http::StreamSink {
 public:
  bool Send(std::string chunk) override {
    std::lock_guard lock(mutex_);
    body_ += chunk;
    ++chunks_;
    changed_.notify_all();
    return true;
  }
  void Close() override { End("closed"); }
  void Abort() override { End("aborted"); }
  void WhenWritten(std::function<void()> written) override {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(written));
    changed_.notify_all();
  }

  // The client takes what was sent: the producer may go on.
  void ReadAll() {
    std::vector<std::function<void()>> waiting;
    {
      std::lock_guard lock(mutex_);
      waiting.swap(waiting_);
    }
    for (auto& written : waiting) written();
  }
  // Waits until the producer sent `chunks` chunks and waits on the client, or ended.
  void AwaitIdle(int chunks) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10),
                      [&] { return !end_.empty() || (chunks_ >= chunks && !waiting_.empty()); });
  }
  void AwaitEnd() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return !end_.empty(); });
  }
  std::string body() {
    std::lock_guard lock(mutex_);
    return body_;
  }
  std::string end() {
    std::lock_guard lock(mutex_);
    return end_;
  }

 private:
  void End(const char* how) {
    std::lock_guard lock(mutex_);
    end_ = how;
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string body_;
  int chunks_ = 0;
  std::vector<std::function<void()>> waiting_;
  std::string end_;
};

// Waits until the pump has `count` exports running: an export gives its place back when its
// last holder lets go, on the pump's thread, a moment after its stream ended.
void AwaitRunning(const ExportPump& pump, size_t count) {
  for (int i = 0; i < 1000 && pump.running() != count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Pages "1".."n" (cursor: the page's number), counting the pages asked for; page `fail_at`
// fails.
struct NumberedPages {
  int pages = 3;
  int fail_at = 0;
  std::shared_ptr<std::atomic<int>> asked = std::make_shared<std::atomic<int>>(0);

  ExportPump::PageSource Source() const {
    return [*this](const std::string& cursor, bool) -> absl::StatusOr<ExportPump::Page> {
      const int page = std::stoi(cursor);
      ++*asked;
      if (page == fail_at) return absl::UnavailableError("reporting is down");
      return ExportPump::Page{.text = absl::StrCat("row ", page, "\r\n"),
                              .next_cursor = page < pages ? std::to_string(page + 1) : ""};
    };
  }
};

TEST(ExportPump, AsksForAPageOnlyOnceTheClientTookTheOneBefore) {
  ManualClock clock;
  ExportPump pump(2, {}, clock, log::Logger::ToStderr(log::Level::kError));
  NumberedPages pages{.pages = 3};
  ASSERT_OK_AND_ASSIGN(auto stream, pump.Start("org", "head\r\n", "1", pages.Source()));
  EXPECT_EQ(*pages.asked, 1);  // the first page, read before answering
  auto sink = std::make_shared<SlowClientSink>();
  stream->Open(sink);
  stream.reset();
  sink->AwaitIdle(1);
  EXPECT_EQ(*pages.asked, 1);  // the client has not read the first page yet
  for (int page = 2; page <= 3; ++page) {
    sink->ReadAll();
    sink->AwaitIdle(page);
    EXPECT_EQ(*pages.asked, page);
  }
  sink->ReadAll();
  sink->AwaitEnd();
  EXPECT_EQ(sink->end(), "closed");
  EXPECT_EQ(sink->body(), "head\r\nrow 1\r\nrow 2\r\nrow 3\r\n");
  sink.reset();
  AwaitRunning(pump, 0);
  EXPECT_EQ(pump.running(), 0u);
}

TEST(ExportPump, AFailedPageCutsTheDownloadShort) {
  ManualClock clock;
  ExportPump pump(1, {}, clock, log::Logger::ToStderr(log::Level::kError));
  NumberedPages pages{.pages = 3, .fail_at = 2};
  ASSERT_OK_AND_ASSIGN(auto stream, pump.Start("org", "head\r\n", "1", pages.Source()));
  auto sink = std::make_shared<SlowClientSink>();
  stream->Open(sink);
  for (int i = 0; i < 3 && sink->end().empty(); ++i) {
    sink->AwaitIdle(i + 1);
    sink->ReadAll();
  }
  sink->AwaitEnd();
  EXPECT_EQ(sink->end(), "aborted");
  EXPECT_EQ(sink->body(), "head\r\nrow 1\r\n");
}

TEST(ExportPump, PlacesAreLimitedPerOrganizationAndInTotalAndGivenBack) {
  ManualClock clock;
  ExportPump pump(1, {.total = 3, .per_org = 2}, clock, log::Logger::ToStderr(log::Level::kError));
  NumberedPages pages;
  auto start = [&](const std::string& org) { return pump.Start(org, "", "1", pages.Source()); };
  ASSERT_OK_AND_ASSIGN(auto a1, start("a"));
  ASSERT_OK_AND_ASSIGN(auto a2, start("a"));
  const int read = *pages.asked;
  EXPECT_THAT(start("a"),
              testing::StatusIs(absl::StatusCode::kResourceExhausted, "too_many_streams"));
  ASSERT_OK_AND_ASSIGN(auto b1, start("b"));
  EXPECT_THAT(start("c"), testing::StatusIs(absl::StatusCode::kResourceExhausted));
  // A refused export read nothing: its place was taken (or not) before its first page.
  EXPECT_EQ(*pages.asked, read + 1);
  EXPECT_EQ(pump.running(), 3u);
  a1.reset();  // a download that ended (or whose client left) gives its place back
  EXPECT_EQ(pump.running(), 2u);
  EXPECT_OK(start("a"));
  EXPECT_OK(start("c"));
}

TEST(ExportPump, AFirstPageThatFailsIsTheAnswerAndGivesThePlaceBack) {
  ManualClock clock;
  ExportPump pump(1, {.total = 1, .per_org = 1}, clock, log::Logger::ToStderr(log::Level::kError));
  NumberedPages pages{.fail_at = 1};
  EXPECT_THAT(pump.Start("a", "", "1", pages.Source()),
              testing::StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(pump.running(), 0u);
}

TEST(ExportPump, AnExportReadTooSlowlyIsCutShortAtItsLifetime) {
  ManualClock clock;
  ExportPump pump(1, {.lifetime = absl::Minutes(15)}, clock,
                  log::Logger::ToStderr(log::Level::kError));
  NumberedPages pages{.pages = 3};
  ASSERT_OK_AND_ASSIGN(auto stream, pump.Start("org", "head\r\n", "1", pages.Source()));
  auto sink = std::make_shared<SlowClientSink>();
  stream->Open(sink);
  stream.reset();
  sink->AwaitIdle(1);
  clock.Advance(absl::Minutes(16));  // the client took a quarter of an hour over one page
  sink->ReadAll();
  sink->AwaitEnd();
  EXPECT_EQ(sink->end(), "aborted");
  EXPECT_EQ(*pages.asked, 1);
  EXPECT_EQ(sink->body(), "head\r\nrow 1\r\n");
  sink.reset();
  AwaitRunning(pump, 0);
  EXPECT_EQ(pump.running(), 0u);
}

}  // namespace
}  // namespace travio::gateway
