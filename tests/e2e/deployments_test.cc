// The harness's own promise: a process of a deployment that ends badly fails the test, so a
// sanitizer's report at exit cannot hide in a scratch log.
#include "tests/e2e/deployments.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "platform/testing/status_matchers.h"
#include "tests/e2e/fail_the_test.h"

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
  EXPECT_NONFATAL_FAILURE(FailTheTest(report), "no-such-flag");
}

TEST(BadExitReport, ACleanStopOrAKillTheTestSentIsNoBadExit) {
  const testing::TravioProcess process({});
  EXPECT_EQ(BadExitReport("travio", 0, process), "");
  EXPECT_EQ(BadExitReport("travio", 128 + SIGKILL, process), "");
  EXPECT_EQ(BadExitReport("travio", -1, process), "");
  EXPECT_NE(BadExitReport("travio", 23, process), "");  // LeakSanitizer's exit code
}

}  // namespace
}  // namespace travio::e2e
