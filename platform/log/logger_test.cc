#include "platform/log/logger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/trace/trace_context.h"

namespace travio::log {
namespace {

TEST(Logger, WritesOneJsonObjectPerLineWithContextFields) {
  auto lines = std::make_shared<std::vector<std::string>>();
  Logger logger = Logger::ToVector(Level::kInfo, lines).With({{"module", "identity"}});
  logger.Info("request done", {{"request_id", "r-1"}, {"status", 200}, {"ms", 1.5}});
  ASSERT_EQ(lines->size(), 1u);
  const auto line = nlohmann::json::parse(lines->front());
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["msg"], "request done");
  EXPECT_EQ(line["module"], "identity");
  EXPECT_EQ(line["request_id"], "r-1");
  EXPECT_EQ(line["status"], 200);
  EXPECT_EQ(line["ms"], 1.5);
  EXPECT_EQ(line["ts"].get<std::string>().size(),
            std::string("2026-01-01T00:00:00.000000Z").size());
}

TEST(Logger, EscapesHostileTextAndDropsLinesBelowLevel) {
  auto lines = std::make_shared<std::vector<std::string>>();
  Logger logger = Logger::ToVector(Level::kWarn, lines);
  logger.Info("ignored");
  logger.Warn("quote \" newline \n and invalid utf8 \xff", {{"path", "/a\"b"}});
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ(lines->front().find('\n'), std::string::npos);
  const auto line = nlohmann::json::parse(lines->front());
  EXPECT_EQ(line["path"], "/a\"b");
}

TEST(Logger, WritesTheTraceOfTheWorkTheThreadIsDoing) {
  auto lines = std::make_shared<std::vector<std::string>>();
  Logger logger = Logger::ToVector(Level::kInfo, lines);
  logger.Info("outside any trace");
  const trace::TraceContext trace = trace::NewTrace();
  {
    trace::Scope scope(trace);
    logger.Info("inside");
  }
  logger.Info("after");
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_FALSE(nlohmann::json::parse((*lines)[0]).contains("trace_id"));
  EXPECT_EQ(nlohmann::json::parse((*lines)[1])["trace_id"], trace.trace_id);
  EXPECT_FALSE(nlohmann::json::parse((*lines)[2]).contains("trace_id"));
}

TEST(Logger, ParsesLevels) {
  Level level;
  EXPECT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", &level));
}

}  // namespace
}  // namespace travio::log
