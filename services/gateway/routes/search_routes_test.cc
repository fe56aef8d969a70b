// The search route's choice of thread: what it asks search before running on an I/O thread,
// and what it does when memory alone cannot answer after all.
#include "services/gateway/routes/search_routes.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/kv/memory_store.h"
#include "platform/testing/status_matchers.h"

namespace travio::gateway {
namespace {

// Search as the route meets it: says whether memory answers, and records what it was asked.
class RecordingSearch final : public search::SearchClient {
 public:
  absl::StatusOr<search::SearchResults> Search(const search::SearchQuery& query) override {
    searched.push_back("workers " + query.from);
    return search::SearchResults{};
  }
  bool AnswersFromMemory(const search::SearchQuery& query) override {
    asked.push_back(query);
    return answers_from_memory;
  }
  absl::StatusOr<search::SearchResults> SearchFromMemory(
      const search::SearchQuery& query) override {
    searched.push_back("memory " + query.from);
    if (!memory_has_it) return Error(reasons::kWouldWait, "not in memory after all");
    return search::SearchResults{};
  }
  absl::StatusOr<std::vector<search::StationEntry>> FindStations(const std::string&, int) override {
    return std::vector<search::StationEntry>{};
  }

  bool answers_from_memory = true;
  bool memory_has_it = true;
  std::vector<search::SearchQuery> asked;
  std::vector<std::string> searched;
};

class SearchRoutesTest : public ::testing::Test {
 protected:
  SearchRoutesTest()
      : hot_state_(kv::MakeMemoryStore(clock_)),
        authenticator_(nullptr, *hot_state_, clock_, log::Logger::ToStderr(log::Level::kError)),
        routes_(router_, authenticator_, log::Logger::ToStderr(log::Level::kError)) {
    EXPECT_OK(AddSearchRoutes(routes_, search_));
  }

  http::Request Get(const std::string& query) {
    http::Request request;
    request.method = "GET";
    request.path = "/v1/search";
    request.query = query;
    request.target = request.path + "?" + query;
    return request;
  }
  // What the server asks before choosing the thread.
  bool AtOnce(http::Request& request) {
    const http::RouteMatch match = router_.Match(request);
    return match.options != nullptr && match.options->at_once && match.options->at_once(request);
  }

  ManualClock clock_;
  std::shared_ptr<RecordingSearch> search_ = std::make_shared<RecordingSearch>();
  std::unique_ptr<kv::KeyValueStore> hot_state_;
  http::Router router_;
  Authenticator authenticator_;
  SecureRoutes routes_;
};

TEST_F(SearchRoutesTest, SearchIsAskedAboutTheWholeQueryBeforeItRunsAtOnce) {
  http::Request request = Get("from=DHK&to=CXB&date=2026-12-20&passengers=2&class=sleeper");
  EXPECT_TRUE(AtOnce(request));
  ASSERT_EQ(search_->asked.size(), 1u);
  EXPECT_EQ(search_->asked[0].from, "DHK");
  EXPECT_EQ(search_->asked[0].to, "CXB");
  EXPECT_EQ(search_->asked[0].date, "2026-12-20");
  EXPECT_EQ(search_->asked[0].passengers, 2);
  EXPECT_EQ(search_->asked[0].bus_class, "sleeper");
  search_->answers_from_memory = false;
  EXPECT_FALSE(AtOnce(request));
  // Refused for its input: answered at once, search never asked.
  http::Request invalid = Get("from=DHK&date=2026-12-20");
  EXPECT_TRUE(AtOnce(invalid));
  EXPECT_EQ(search_->asked.size(), 2u);
  invalid.at_once = true;
  EXPECT_EQ(router_.Handle(invalid).status, 400);
  EXPECT_TRUE(search_->searched.empty());
}

TEST_F(SearchRoutesTest, AtOnceItSearchesMemoryAloneAndHandsOverWhenThatCannotAnswer) {
  http::Request request = Get("from=DHK&to=CXB&date=2026-12-20");
  request.at_once = true;
  EXPECT_EQ(router_.Handle(request).status, 200);
  search_->memory_has_it = false;
  const http::Response handed_over = router_.Handle(request);
  EXPECT_TRUE(handed_over.on_workers);
  request.at_once = false;  // as the server runs it again
  const http::Response answered = router_.Handle(request);
  EXPECT_EQ(answered.status, 200);
  EXPECT_FALSE(answered.on_workers);
  EXPECT_EQ(search_->searched,
            (std::vector<std::string>{"memory DHK", "memory DHK", "workers DHK"}));
}

}  // namespace
}  // namespace travio::gateway
