#include "services/fraud/storage/sql_settings_store.h"

#include "platform/base/status_macros.h"
#include "services/fraud/api/risk_settings_json.h"

namespace travio::fraud {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE fraud_settings (
  org_id TEXT PRIMARY KEY,
  settings TEXT NOT NULL,
  updated_at BIGINT NOT NULL
)
)sql";

class SqlSettingsStore final : public SettingsStore {
 public:
  explicit SqlSettingsStore(db::Database& database) : database_(database) {}

  absl::StatusOr<std::optional<RiskSettings>> Find(const std::string& org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT settings FROM fraud_settings WHERE org_id = $1", {org_id}));
    if (result.rows.empty()) return std::nullopt;
    const nlohmann::json document =
        nlohmann::json::parse(result.rows[0].Text(0), nullptr, /*allow_exceptions=*/false);
    // Over the defaults: a signal added since the row was written counts as its default says.
    auto settings = ApplyRiskSettingsJson(document, DefaultRiskSettings());
    if (!settings.ok()) {
      return absl::DataLossError("the stored fraud settings of " + org_id + " are unreadable");
    }
    return *std::move(settings);
  }

  absl::Status Put(const std::string& org_id, const RiskSettings& settings,
                   absl::Time at) override {
    return database_
        .Execute(
            "INSERT INTO fraud_settings (org_id, settings, updated_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (org_id) DO UPDATE SET settings = excluded.settings, "
            "updated_at = excluded.updated_at",
            {org_id, RiskSettingsJson(settings).dump(), absl::ToUnixMicros(at)})
        .status();
  }

 private:
  db::Database& database_;
};

}  // namespace

std::vector<db::Migration> FraudMigrations() {
  return {{1, "each organization's fraud settings", kSchema}};
}

std::unique_ptr<SettingsStore> MakeSqlSettingsStore(db::Database& database) {
  return std::make_unique<SqlSettingsStore>(database);
}

}  // namespace travio::fraud
