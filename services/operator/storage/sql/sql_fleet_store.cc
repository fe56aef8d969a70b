#include "services/operator/storage/sql/sql_fleet_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/operator/api/layout_json.h"

namespace travio::fleet {
namespace {

using nlohmann::json;

constexpr char kBusColumns[] =
    "id, org_id, plate, name, class, ac, amenities, layout, created_at, updated_at, version";
constexpr char kStaffColumns[] = "id, org_id, name, role, phone, license_no, created_at, user_id";

absl::Status PlateTaken(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kAlreadyExists) return status;
  return Error(reasons::kPlateTaken, "The organization already has a bus with this plate.");
}

absl::StatusOr<Bus> ReadBus(const db::Row& row) {
  try {
    Bus bus;
    bus.id = row.Text(0);
    bus.org_id = row.Text(1);
    bus.plate = row.Text(2);
    bus.name = row.Text(3);
    bus.bus_class = ParseBusClass(row.Text(4)).value_or(BusClass::kSeater);
    bus.ac = row.Int(5) != 0;
    const json amenities = json::parse(row.Text(6), nullptr, /*allow_exceptions=*/false);
    if (!amenities.is_array()) return absl::DataLossError("stored amenities are not a JSON array");
    for (const json& amenity : amenities) bus.amenities.push_back(amenity.get<std::string>());
    const json layout = json::parse(row.Text(7), nullptr, /*allow_exceptions=*/false);
    auto parsed = LayoutFromStoredJson(layout);
    if (!parsed.ok()) return absl::DataLossError("a stored layout does not parse");
    bus.layout = *std::move(parsed);
    bus.created_at = absl::FromUnixMicros(row.Int(8));
    bus.updated_at = absl::FromUnixMicros(row.Int(9));
    bus.version = row.Int(10);
    return bus;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored buses do not parse");
  }
}

StaffMember ReadStaff(const db::Row& row) {
  return StaffMember{.id = row.Text(0),
                     .org_id = row.Text(1),
                     .name = row.Text(2),
                     .role = ParseStaffRole(row.Text(3)).value_or(StaffRole::kHelper),
                     .phone = row.Text(4),
                     .license_no = row.Text(5),
                     .created_at = absl::FromUnixMicros(row.Int(6)),
                     .user_id = row.Text(7)};
}

std::vector<db::Value> BusValues(const Bus& bus) {
  return {bus.id,
          bus.org_id,
          bus.plate,
          bus.name,
          std::string(BusClassName(bus.bus_class)),
          int64_t{bus.ac ? 1 : 0},
          json(bus.amenities).dump(),
          LayoutToJson(bus.layout).dump(),
          absl::ToUnixMicros(bus.created_at),
          absl::ToUnixMicros(bus.updated_at),
          bus.version};
}

absl::StatusOr<std::optional<Bus>> FindBusIn(db::Session& session, const std::string& org_id,
                                             const std::string& bus_id) {
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result result,
      session.Execute(absl::StrCat("SELECT ", kBusColumns,
                                   " FROM operator_buses WHERE org_id = $1 AND id = $2"),
                      {org_id, bus_id}));
  if (result.rows.empty()) return std::nullopt;
  TRAVIO_ASSIGN_OR_RETURN(Bus bus, ReadBus(result.rows[0]));
  return bus;
}

// One page of an org's rows ordered by (created_at, id).
absl::StatusOr<db::Result> PageOf(db::Session& session, const char* table, const char* columns,
                                  const std::string& org_id,
                                  const std::optional<ListPosition>& after, int limit) {
  if (!after) {
    return session.Execute(absl::StrCat("SELECT ", columns, " FROM ", table,
                                        " WHERE org_id = $1 ORDER BY created_at, id LIMIT $2"),
                           {org_id, int64_t{limit}});
  }
  return session.Execute(
      absl::StrCat("SELECT ", columns, " FROM ", table,
                   " WHERE org_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3)) "
                   "ORDER BY created_at, id LIMIT $4"),
      {org_id, absl::ToUnixMicros(after->at), after->id, int64_t{limit}});
}

class SqlFleetUnit final : public FleetUnit {
 public:
  SqlFleetUnit(db::Transaction& tx, events::Outbox& outbox) : tx_(tx), outbox_(outbox) {}

  absl::Status InsertBus(const Bus& bus) override {
    const std::vector<db::Value> values = BusValues(bus);
    return PlateTaken(tx_.Execute(absl::StrCat("INSERT INTO operator_buses (", kBusColumns,
                                               ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                               "$10, $11)"),
                                  values)
                          .status());
  }
  absl::StatusOr<std::optional<Bus>> FindBus(const std::string& org_id,
                                             const std::string& bus_id) override {
    return FindBusIn(tx_, org_id, bus_id);
  }
  absl::StatusOr<bool> UpdateBus(const Bus& bus, int64_t expected_version) override {
    auto result = tx_.Execute(
        "UPDATE operator_buses SET plate = $3, name = $4, class = $5, ac = $6, amenities = $7, "
        "layout = $8, updated_at = $9, version = $10 WHERE id = $1 AND org_id = $2 AND "
        "version = $11",
        {bus.id, bus.org_id, bus.plate, bus.name, std::string(BusClassName(bus.bus_class)),
         int64_t{bus.ac ? 1 : 0}, json(bus.amenities).dump(), LayoutToJson(bus.layout).dump(),
         absl::ToUnixMicros(bus.updated_at), bus.version, expected_version});
    if (!result.ok()) return PlateTaken(result.status());
    return result->affected_rows == 1;
  }
  absl::StatusOr<bool> DeleteBus(const std::string& org_id, const std::string& bus_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("DELETE FROM operator_buses WHERE org_id = $1 AND id = $2", {org_id, bus_id}));
    return result.affected_rows == 1;
  }
  absl::Status InsertStaff(const StaffMember& member) override {
    return tx_
        .Execute(absl::StrCat("INSERT INTO operator_staff (", kStaffColumns,
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
                 {member.id, member.org_id, member.name, std::string(StaffRoleName(member.role)),
                  member.phone, member.license_no, absl::ToUnixMicros(member.created_at),
                  member.user_id})
        .status();
  }
  absl::Status Append(const events::Event& event) override { return outbox_.Append(tx_, event); }

 private:
  db::Transaction& tx_;
  events::Outbox& outbox_;
};

class SqlFleetStore final : public FleetStore {
 public:
  SqlFleetStore(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox) {}

  absl::Status InTransaction(const std::function<absl::Status(FleetUnit&)>& work) override {
    return database_.InTransaction([&](db::Transaction& tx) {
      SqlFleetUnit unit(tx, outbox_);
      return work(unit);
    });
  }
  absl::StatusOr<std::optional<Bus>> FindBus(const std::string& org_id,
                                             const std::string& bus_id) override {
    return FindBusIn(database_, org_id, bus_id);
  }
  absl::StatusOr<std::vector<Bus>> ListBuses(const std::string& org_id,
                                             const std::optional<ListPosition>& after,
                                             int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            PageOf(database_, "operator_buses", kBusColumns, org_id, after, limit));
    std::vector<Bus> buses;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(Bus bus, ReadBus(row));
      buses.push_back(std::move(bus));
    }
    return buses;
  }
  absl::StatusOr<std::optional<StaffMember>> FindStaff(const std::string& org_id,
                                                       const std::string& staff_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kStaffColumns,
                                       " FROM operator_staff WHERE org_id = $1 AND id = $2"),
                          {org_id, staff_id}));
    if (result.rows.empty()) return std::nullopt;
    return ReadStaff(result.rows[0]);
  }
  absl::StatusOr<std::vector<StaffMember>> ListStaff(const std::string& org_id,
                                                     const std::optional<ListPosition>& after,
                                                     int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, PageOf(database_, "operator_staff", kStaffColumns,
                                                      org_id, after, limit));
    std::vector<StaffMember> staff;
    for (const db::Row& row : result.rows) staff.push_back(ReadStaff(row));
    return staff;
  }

 private:
  db::Database& database_;
  events::Outbox& outbox_;
};

}  // namespace

std::vector<db::Migration> OperatorMigrations() {
  return {{1, "buses with seat layouts, staff", R"sql(
CREATE TABLE operator_buses (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  plate TEXT NOT NULL,
  name TEXT NOT NULL,
  class TEXT NOT NULL,
  ac BIGINT NOT NULL,
  amenities TEXT NOT NULL,
  layout TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  UNIQUE (org_id, plate)
);
CREATE INDEX operator_buses_by_org ON operator_buses (org_id, created_at, id);
CREATE TABLE operator_staff (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  phone TEXT NOT NULL,
  license_no TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX operator_staff_by_org ON operator_staff (org_id, created_at, id);
)sql"},
          {2, "staff linked to the member who is them",
           "ALTER TABLE operator_staff ADD COLUMN user_id TEXT NOT NULL DEFAULT ''"}};
}

std::unique_ptr<FleetStore> MakeSqlFleetStore(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<SqlFleetStore>(database, outbox);
}

}  // namespace travio::fleet
