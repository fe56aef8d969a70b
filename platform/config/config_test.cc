#include "platform/config/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/match.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(schema_.Add({"http.addr", KeyType::kString, "127.0.0.1:8080", "listen address"}));
    ASSERT_OK(schema_.Add({"http.max_body_bytes", KeyType::kInt, "1048576", "body limit"}));
    ASSERT_OK(schema_.Add({"inventory.hold_ttl", KeyType::kDuration, "5m", "hold lifetime"}));
    ASSERT_OK(schema_.Add(
        {"storage", KeyType::kString, "sqlite", "engine", false, {"sqlite", "postgres"}}));
    ASSERT_OK(schema_.Add({"postgres.dsn", KeyType::kString, "", "dsn", true}));
    ASSERT_OK(schema_.Add({"metrics.enabled", KeyType::kBool, "true", "serve /metrics"}));
  }

  std::string WriteFile(const std::string& text) {
    const std::string path = (dir_ / ("config" + std::to_string(files_++) + ".yaml")).string();
    std::ofstream(path) << text;
    return path;
  }

  Schema schema_;
  testing::TempDir dir_;
  int files_ = 0;
};

TEST_F(ConfigTest, DefaultsApplyWithoutSources) {
  auto config = Config::Load(schema_, {});
  ASSERT_OK(config);
  EXPECT_EQ(config->String("http.addr"), "127.0.0.1:8080");
  EXPECT_EQ(config->Int("http.max_body_bytes"), 1048576);
  EXPECT_EQ(config->Duration("inventory.hold_ttl"), absl::Minutes(5));
  EXPECT_TRUE(config->Bool("metrics.enabled"));
  EXPECT_EQ(config->Origin("http.addr"), "default");
}

TEST_F(ConfigTest, LaterSourcesWin) {
  const std::string first = WriteFile("http:\n  addr: 0.0.0.0:1\n  max_body_bytes: 10\n");
  const std::string second = WriteFile("http:\n  addr: 0.0.0.0:2\n");
  Sources sources{{first, second}, {"TRAVIO_INVENTORY_HOLD_TTL=90s", "PATH=/bin"}, {}};
  sources.flags["http.max_body_bytes"] = "20";
  auto config = Config::Load(schema_, sources);
  ASSERT_OK(config);
  EXPECT_EQ(config->String("http.addr"), "0.0.0.0:2");
  EXPECT_EQ(config->Origin("http.addr"), "file " + second);
  EXPECT_EQ(config->Duration("inventory.hold_ttl"), absl::Seconds(90));
  EXPECT_EQ(config->Origin("inventory.hold_ttl"), "env TRAVIO_INVENTORY_HOLD_TTL");
  EXPECT_EQ(config->Int("http.max_body_bytes"), 20);
  EXPECT_EQ(config->Origin("http.max_body_bytes"), "flag");
}

TEST_F(ConfigTest, UnknownFileKeyIsRejectedWithASuggestion) {
  auto config = Config::Load(schema_, {{WriteFile("http:\n  adr: x\n")}, {}, {}});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(config.status().message(), "unknown config key \"http.adr\""))
      << config.status();
  EXPECT_TRUE(absl::StrContains(config.status().message(), "did you mean http.addr?"));
}

TEST_F(ConfigTest, UnknownEnvironmentVariableIsRejected) {
  auto config = Config::Load(schema_, {{}, {"TRAVIO_HTTP_ADR=x"}, {}});
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(absl::StrContains(config.status().message(), "TRAVIO_HTTP_ADR"));
  // Test-harness variables are not configuration.
  EXPECT_OK(Config::Load(schema_, {{}, {"TRAVIO_TEST_SERVERS_FILE=x"}, {}}));
}

TEST_F(ConfigTest, WrongTypesAreRejected) {
  EXPECT_FALSE(
      Config::Load(schema_, {{WriteFile("http:\n  max_body_bytes: lots\n")}, {}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema_, {{}, {"TRAVIO_METRICS_ENABLED=yes"}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema_, {{}, {"TRAVIO_INVENTORY_HOLD_TTL=5 minutes"}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema_, {{}, {"TRAVIO_STORAGE=mysql"}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema_, {{WriteFile("http: [1, 2]\n")}, {}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema_, {{WriteFile("http: {addr: [\n")}, {}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema_, {{(dir_ / "missing.yaml").string()}, {}, {}}).ok());
}

TEST_F(ConfigTest, PrintRedactsSecretsAndNamesOrigins) {
  auto config =
      Config::Load(schema_, {{}, {"TRAVIO_POSTGRES_DSN=postgresql://u:hunter2@h/db"}, {}});
  ASSERT_OK(config);
  const std::string printed = config->Print();
  EXPECT_FALSE(absl::StrContains(printed, "hunter2")) << printed;
  EXPECT_TRUE(absl::StrContains(printed, "dsn: \"<redacted>\"  # from env TRAVIO_POSTGRES_DSN"))
      << printed;
  EXPECT_TRUE(absl::StrContains(printed, "http:\n  # listen address\n  addr: \"127.0.0.1:8080\""))
      << printed;
  // The printed form loads back to the same values (secrets aside).
  auto reloaded = Config::Load(schema_, {{WriteFile(printed)}, {}, {}});
  ASSERT_OK(reloaded);
  EXPECT_EQ(reloaded->Duration("inventory.hold_ttl"), absl::Minutes(5));
}

TEST(SchemaTest, EnforcesBounds) {
  Schema schema;
  KeySpec body{"http.max_body_bytes", KeyType::kInt, "1048576", "body limit"};
  body.min = 1024;
  body.max = 1 << 30;
  ASSERT_OK(schema.Add(body));
  KeySpec idle{"http.idle_timeout", KeyType::kDuration, "60s", "idle"};
  idle.min = 100;
  ASSERT_OK(schema.Add(idle));
  EXPECT_FALSE(Config::Load(schema, {{}, {"TRAVIO_HTTP_MAX_BODY_BYTES=-1"}, {}}).ok());
  EXPECT_FALSE(Config::Load(schema, {{}, {"TRAVIO_HTTP_MAX_BODY_BYTES=2000000000"}, {}}).ok());
  EXPECT_OK(Config::Load(schema, {{}, {"TRAVIO_HTTP_MAX_BODY_BYTES=1024"}, {}}));
  auto zero = Config::Load(schema, {{}, {"TRAVIO_HTTP_IDLE_TIMEOUT=0s"}, {}});
  ASSERT_FALSE(zero.ok());
  EXPECT_TRUE(absl::StrContains(zero.status().message(), "between 100ms")) << zero.status();
  KeySpec bad_default{"x", KeyType::kInt, "0", "x"};
  bad_default.min = 1;
  EXPECT_FALSE(schema.Add(bad_default).ok());
}

TEST(SchemaTest, RejectsBadDeclarations) {
  Schema schema;
  EXPECT_OK(schema.Add({"a.b", KeyType::kInt, "1", "x"}));
  EXPECT_EQ(schema.Add({"a.b", KeyType::kInt, "1", "x"}).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(schema.Add({"A.b", KeyType::kInt, "1", "x"}).ok());
  EXPECT_FALSE(schema.Add({"a..b", KeyType::kInt, "1", "x"}).ok());
  EXPECT_FALSE(schema.Add({"c", KeyType::kInt, "one", "x"}).ok());
  EXPECT_EQ(Schema::EnvironmentName("inventory.hold_ttl"), "TRAVIO_INVENTORY_HOLD_TTL");
}

}  // namespace
}  // namespace travio::config
