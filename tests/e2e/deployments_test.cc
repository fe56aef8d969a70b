// The harness's own promise: a process of a deployment that ends badly fails the test, so a
// sanitizer's report at exit cannot hide in a scratch log.
#include "tests/e2e/deployments.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/status_matchers.h"

namespace travio::e2e {
namespace {

TEST(BadExitReport, AProcessEndingWithAnErrorFailsTheTestAndShowsItsLog) {
  testing::TravioProcess process({.args = {"serve", "--no-such-flag"}});
  ASSERT_OK(process.Launch());
  const int status = process.Wait();
  ASSERT_NE(status, 0) << process.Log();
  const std::string report = BadExitReport("travio", status, process);
  EXPECT_TRUE(absl::StrContains(report, "travio exited with status")) << report;
  EXPECT_TRUE(absl::StrContains(report, "no-such-flag")) << report;  // the log's end
  EXPECT_NONFATAL_FAILURE(testing::FailTheTest(report), "no-such-flag");
}

TEST(BadExitReport, ACleanStopOrAKillTheTestSentIsNoBadExit) {
  const testing::TravioProcess process({});
  EXPECT_EQ(BadExitReport("travio", 0, process), "");
  EXPECT_EQ(BadExitReport("travio", 128 + SIGKILL, process), "");
  EXPECT_EQ(BadExitReport("travio", -1, process), "");
  EXPECT_NE(BadExitReport("travio", 23, process), "");  // LeakSanitizer's exit code
  EXPECT_TRUE(
      absl::StrContains(BadExitReport("travio", testing::TravioProcess::kHungAtExit, process),
                        "did not exit within a minute"));
}

// A TravioProcess told whom to tell (as tests tell FailTheTest): a crash once signalled is
// reported with its status, a clean stop is not.
TEST(BadExitReport, ATravioProcessReportsACrashButNotACleanStop) {
  std::vector<std::string> reports;
  const auto collect = [&](const std::string& report) { reports.push_back(report); };
  {
    testing::TravioProcess crashing({.on_bad_exit = collect});
    ASSERT_OK(crashing.Start()) << crashing.Log();
    crashing.Signal(SIGABRT);
    EXPECT_EQ(crashing.Wait(), 128 + SIGABRT);
  }
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(absl::StrContains(reports[0], "exited with status 134")) << reports[0];
  {
    testing::TravioProcess clean({.on_bad_exit = collect});
    ASSERT_OK(clean.Start()) << clean.Log();
    EXPECT_EQ(clean.Stop(), 0);
  }
  EXPECT_EQ(reports.size(), 1u);
}

}  // namespace
}  // namespace travio::e2e
