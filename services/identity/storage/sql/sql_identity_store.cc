#include "services/identity/storage/sql/sql_identity_store.h"

#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::identity {
namespace {

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time Instant(const db::Row& row, size_t column) {
  return absl::FromUnixMicros(row.Int(column));
}
std::optional<absl::Time> OptionalInstant(const db::Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return Instant(row, column);
}
db::Value OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time) return std::monostate{};
  return Micros(*time);
}

// A unique violation means what the table says it means; anything else passes through.
absl::Status Conflict(const absl::Status& status, const Reason& reason, std::string_view message) {
  if (status.code() != absl::StatusCode::kAlreadyExists) return status;
  return Error(reason, message);
}

Role StoredRole(const std::string& name) { return ParseRole(name).value_or(Role::kViewer); }

InviteStatus StoredInviteStatus(const std::string& name) {
  if (name == "accepted") return InviteStatus::kAccepted;
  if (name == "revoked") return InviteStatus::kRevoked;
  if (name == "expired") return InviteStatus::kExpired;
  return InviteStatus::kPending;
}

constexpr char kUserColumns[] = "id, email, name, phone, password_hash, created_at";
constexpr char kInviteColumns[] =
    "id, org_id, email, role, status, token_hash, invited_by, accepted_by, created_at, "
    "expires_at, emailed_at";
constexpr char kRefreshColumns[] =
    "id, family_id, user_id, issued_at, expires_at, spent_at, revoked_at";

UserRecord ReadUser(const db::Row& row) {
  return UserRecord{
      .user = {.id = row.Text(0), .email = row.Text(1), .name = row.Text(2), .phone = row.Text(3)},
      .password_hash = row.Text(4),
      .created_at = Instant(row, 5)};
}

InviteRecord ReadInvite(const db::Row& row) {
  return InviteRecord{.invite = {.id = row.Text(0),
                                 .org_id = row.Text(1),
                                 .email = row.Text(2),
                                 .role = StoredRole(row.Text(3)),
                                 .status = StoredInviteStatus(row.Text(4)),
                                 .created_at = Instant(row, 8),
                                 .expires_at = Instant(row, 9),
                                 .email_sent = !row.IsNull(10)},
                      .token_hash = row.Text(5),
                      .invited_by = row.Text(6),
                      .accepted_by = row.Text(7)};
}

RefreshTokenRecord ReadRefresh(const db::Row& row) {
  return RefreshTokenRecord{.id = row.Text(0),
                            .family_id = row.Text(1),
                            .user_id = row.Text(2),
                            .issued_at = Instant(row, 3),
                            .expires_at = Instant(row, 4),
                            .spent_at = OptionalInstant(row, 5),
                            .revoked_at = OptionalInstant(row, 6)};
}

class SqlIdentityUnit final : public IdentityUnit {
 public:
  SqlIdentityUnit(db::Transaction& tx, events::Outbox& outbox) : tx_(tx), outbox_(outbox) {}

  absl::Status InsertUser(const UserRecord& record) override {
    auto result = tx_.Execute(
        "INSERT INTO identity_users (id, email, name, phone, password_hash, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {record.user.id, record.user.email, record.user.name, record.user.phone,
         record.password_hash, Micros(record.created_at)});
    return Conflict(result.status(), reasons::kEmailTaken, "An account with that email exists.");
  }

  absl::StatusOr<std::optional<UserRecord>> FindUserByEmail(std::string_view email) override {
    return OneUser("email", email);
  }

  absl::StatusOr<std::optional<UserRecord>> FindUser(std::string_view user_id) override {
    return OneUser("id", user_id);
  }

  absl::Status SetPasswordHash(std::string_view user_id, std::string_view hash) override {
    return tx_
        .Execute("UPDATE identity_users SET password_hash = $2 WHERE id = $1",
                 {std::string(user_id), std::string(hash)})
        .status();
  }

  absl::Status InsertOrganization(const Organization& org) override {
    auto result = tx_.Execute(
        "INSERT INTO identity_organizations (id, name, slug, created_at, version) "
        "VALUES ($1, $2, $3, $4, 0)",
        {org.id, org.name, org.slug, Micros(org.created_at)});
    return Conflict(result.status(), reasons::kSlugTaken, "That slug is taken.");
  }

  absl::StatusOr<std::optional<Organization>> FindOrganization(std::string_view org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT id, name, slug, created_at FROM identity_organizations WHERE id = $1",
                    {std::string(org_id)}));
    if (result.rows.empty()) return std::nullopt;
    const db::Row& row = result.rows.front();
    return Organization{
        .id = row.Text(0), .name = row.Text(1), .slug = row.Text(2), .created_at = Instant(row, 3)};
  }

  absl::Status LockOrganization(std::string_view org_id) override {
    // Writing the row takes its lock on PostgreSQL; SQLite already serialises writers.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE identity_organizations SET version = version + 1 WHERE id = $1",
                    {std::string(org_id)}));
    if (result.affected_rows == 0) {
      return Error(reasons::kOrgNotFound, "No such organization.");
    }
    return absl::OkStatus();
  }

  absl::Status InsertMembership(std::string_view org_id, std::string_view user_id, Role role,
                                absl::Time at) override {
    auto result = tx_.Execute(
        "INSERT INTO identity_memberships (org_id, user_id, role, created_at) "
        "VALUES ($1, $2, $3, $4)",
        {std::string(org_id), std::string(user_id), std::string(RoleName(role)), Micros(at)});
    return Conflict(result.status(), reasons::kAlreadyMember, "That person is already a member.");
  }

  absl::StatusOr<std::optional<Role>> FindRole(std::string_view org_id,
                                               std::string_view user_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT role FROM identity_memberships WHERE org_id = $1 AND user_id = $2",
                    {std::string(org_id), std::string(user_id)}));
    if (result.rows.empty()) return std::nullopt;
    return StoredRole(result.rows.front().Text(0));
  }

  absl::StatusOr<std::vector<Membership>> MembershipsOf(std::string_view user_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT m.org_id, o.name, m.role FROM identity_memberships m "
                    "JOIN identity_organizations o ON o.id = m.org_id "
                    "WHERE m.user_id = $1 ORDER BY m.created_at, m.org_id",
                    {std::string(user_id)}));
    std::vector<Membership> memberships;
    for (const db::Row& row : result.rows) {
      memberships.push_back({row.Text(0), row.Text(1), StoredRole(row.Text(2))});
    }
    return memberships;
  }

  absl::StatusOr<std::vector<Member>> MembersOf(std::string_view org_id,
                                                const std::optional<ListPosition>& after,
                                                int limit) override {
    // Keyset pagination on (joined, user id): stable under inserts, no OFFSET scans.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT u.id, u.email, u.name, m.role, m.created_at "
                    "FROM identity_memberships m JOIN identity_users u ON u.id = m.user_id "
                    "WHERE m.org_id = $1 AND (m.created_at > $2 OR (m.created_at = $2 AND "
                    "u.id > $3)) ORDER BY m.created_at, u.id LIMIT $4",
                    {std::string(org_id), after ? Micros(after->at) : int64_t{-1},
                     after ? after->id : std::string(), int64_t{limit}}));
    std::vector<Member> members;
    for (const db::Row& row : result.rows) {
      members.push_back(
          {row.Text(0), row.Text(1), row.Text(2), StoredRole(row.Text(3)), Instant(row, 4)});
    }
    return members;
  }

  absl::StatusOr<int64_t> CountOwners(std::string_view org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT COUNT(*) FROM identity_memberships WHERE org_id = $1 AND role = $2",
                    {std::string(org_id), std::string(RoleName(Role::kOwner))}));
    return result.rows.front().Int(0);
  }

  absl::StatusOr<bool> UpdateRole(std::string_view org_id, std::string_view user_id,
                                  Role role) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE identity_memberships SET role = $3 WHERE org_id = $1 AND user_id = $2",
                    {std::string(org_id), std::string(user_id), std::string(RoleName(role))}));
    return result.affected_rows > 0;
  }

  absl::StatusOr<bool> DeleteMembership(std::string_view org_id,
                                        std::string_view user_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("DELETE FROM identity_memberships WHERE org_id = $1 AND user_id = $2",
                    {std::string(org_id), std::string(user_id)}));
    return result.affected_rows > 0;
  }

  absl::Status InsertInvite(const InviteRecord& record) override {
    const Invite& invite = record.invite;
    auto result = tx_.Execute(
        "INSERT INTO identity_invites (id, org_id, email, role, status, token_hash, "
        "invited_by, accepted_by, created_at, expires_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)",
        {invite.id, invite.org_id, invite.email, std::string(RoleName(invite.role)),
         std::string(InviteStatusName(invite.status)), record.token_hash, record.invited_by,
         record.accepted_by, Micros(invite.created_at), Micros(invite.expires_at)});
    return Conflict(result.status(), reasons::kInvitePending,
                    "That email already has a pending invite; re-send or revoke it.");
  }

  absl::StatusOr<std::optional<InviteRecord>> FindInvite(std::string_view org_id,
                                                         std::string_view invite_id) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            tx_.Execute(std::string("SELECT ") + kInviteColumns +
                                            " FROM identity_invites WHERE org_id = $1 AND id = $2",
                                        {std::string(org_id), std::string(invite_id)}));
    if (result.rows.empty()) return std::nullopt;
    return ReadInvite(result.rows.front());
  }

  absl::StatusOr<std::optional<InviteRecord>> FindInviteByTokenHash(
      std::string_view token_hash) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            tx_.Execute(std::string("SELECT ") + kInviteColumns +
                                            " FROM identity_invites WHERE token_hash = $1",
                                        {std::string(token_hash)}));
    if (result.rows.empty()) return std::nullopt;
    return ReadInvite(result.rows.front());
  }

  absl::StatusOr<std::vector<InviteRecord>> InvitesOf(std::string_view org_id,
                                                      const std::optional<ListPosition>& after,
                                                      int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(std::string("SELECT ") + kInviteColumns +
                        " FROM identity_invites WHERE org_id = $1 AND (created_at > $2 OR "
                        "(created_at = $2 AND id > $3)) ORDER BY created_at, id LIMIT $4",
                    {std::string(org_id), after ? Micros(after->at) : int64_t{-1},
                     after ? after->id : std::string(), int64_t{limit}}));
    std::vector<InviteRecord> invites;
    for (const db::Row& row : result.rows) invites.push_back(ReadInvite(row));
    return invites;
  }

  absl::StatusOr<std::vector<InviteRecord>> InvitesTo(std::string_view org_id,
                                                      std::string_view email) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(std::string("SELECT ") + kInviteColumns +
                        " FROM identity_invites WHERE org_id = $1 AND email = $2 "
                        "ORDER BY created_at, id",
                    {std::string(org_id), std::string(email)}));
    std::vector<InviteRecord> invites;
    for (const db::Row& row : result.rows) invites.push_back(ReadInvite(row));
    return invites;
  }

  absl::StatusOr<bool> MarkInviteAccepted(std::string_view invite_id, std::string_view token_hash,
                                          std::string_view user_id, absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(
            "UPDATE identity_invites SET status = 'accepted', accepted_by = $2, "
            "updated_at = $3 WHERE id = $1 AND status = 'pending' AND expires_at > $3 "
            "AND token_hash = $4",
            {std::string(invite_id), std::string(user_id), Micros(at), std::string(token_hash)}));
    return result.affected_rows > 0;
  }

  absl::Status MarkInviteEmailed(std::string_view invite_id, absl::Time at) override {
    return tx_
        .Execute("UPDATE identity_invites SET emailed_at = $2 WHERE id = $1",
                 {std::string(invite_id), Micros(at)})
        .status();
  }

  absl::StatusOr<bool> MarkInviteExpired(std::string_view invite_id) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            tx_.Execute("UPDATE identity_invites SET status = 'expired' "
                                        "WHERE id = $1 AND status = 'pending'",
                                        {std::string(invite_id)}));
    return result.affected_rows > 0;
  }

  absl::StatusOr<bool> MarkInviteRevoked(std::string_view invite_id, absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE identity_invites SET status = 'revoked', updated_at = $2 "
                    "WHERE id = $1 AND status IN ('pending', 'expired')",
                    {std::string(invite_id), Micros(at)}));
    return result.affected_rows > 0;
  }

  absl::StatusOr<bool> ReissueInvite(std::string_view invite_id, std::string_view token_hash,
                                     absl::Time expires_at) override {
    auto result = tx_.Execute(
        "UPDATE identity_invites SET status = 'pending', token_hash = $2, "
        "expires_at = $3, emailed_at = NULL WHERE id = $1 AND status IN ('pending', 'expired')",
        {std::string(invite_id), std::string(token_hash), Micros(expires_at)});
    TRAVIO_RETURN_IF_ERROR(Conflict(result.status(), reasons::kInvitePending,
                                    "That email has a newer pending invite; re-send that one."));
    return result->affected_rows > 0;
  }

  absl::Status InsertRefreshToken(const RefreshTokenRecord& token) override {
    return tx_
        .Execute(std::string("INSERT INTO identity_refresh_tokens (") + kRefreshColumns +
                     ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {token.id, token.family_id, token.user_id, Micros(token.issued_at),
                  Micros(token.expires_at), OptionalMicros(token.spent_at),
                  OptionalMicros(token.revoked_at)})
        .status();
  }

  absl::StatusOr<std::optional<RefreshTokenRecord>> FindRefreshToken(
      std::string_view token_id) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            tx_.Execute(std::string("SELECT ") + kRefreshColumns +
                                            " FROM identity_refresh_tokens WHERE id = $1",
                                        {std::string(token_id)}));
    if (result.rows.empty()) return std::nullopt;
    return ReadRefresh(result.rows.front());
  }

  absl::Status InsertRefreshFamily(std::string_view family_id, std::string_view user_id,
                                   absl::Time at) override {
    return tx_
        .Execute(
            "INSERT INTO identity_refresh_families (id, user_id, created_at) "
            "VALUES ($1, $2, $3)",
            {std::string(family_id), std::string(user_id), Micros(at)})
        .status();
  }

  absl::StatusOr<std::optional<absl::Time>> LockLiveRefreshFamily(
      std::string_view family_id) override {
    // A write takes the row lock on PostgreSQL (SQLite already serialises writers).
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            tx_.Execute("UPDATE identity_refresh_families SET revoked_at = NULL "
                                        "WHERE id = $1 AND revoked_at IS NULL RETURNING created_at",
                                        {std::string(family_id)}));
    if (result.rows.empty()) return std::nullopt;
    return Instant(result.rows.front(), 0);
  }

  absl::StatusOr<bool> SpendRefreshToken(std::string_view token_id, absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            tx_.Execute("UPDATE identity_refresh_tokens SET spent_at = $2 "
                                        "WHERE id = $1 AND spent_at IS NULL AND revoked_at IS NULL",
                                        {std::string(token_id), Micros(at)}));
    return result.affected_rows > 0;
  }

  absl::StatusOr<int64_t> RevokeRefreshFamily(std::string_view family_id, absl::Time at) override {
    // The family row first: this waits for a refresh of the family in progress, and the token
    // statement below, which starts after, then sees the token that refresh added.
    TRAVIO_RETURN_IF_ERROR(tx_.Execute("UPDATE identity_refresh_families SET revoked_at = $2 "
                                       "WHERE id = $1 AND revoked_at IS NULL",
                                       {std::string(family_id), Micros(at)})
                               .status());
    // Every token of the family is revoked, but only those not spent yet were live.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE identity_refresh_tokens SET revoked_at = $2 "
                    "WHERE family_id = $1 AND revoked_at IS NULL RETURNING spent_at",
                    {std::string(family_id), Micros(at)}));
    int64_t live = 0;
    for (const db::Row& row : result.rows) live += row.IsNull(0) ? 1 : 0;
    return live;
  }

  absl::StatusOr<bool> RecordSigningKey(std::string_view kid, absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("INSERT INTO identity_signing_keys (kid, first_seen_at) VALUES ($1, $2) "
                    "ON CONFLICT (kid) DO NOTHING",
                    {std::string(kid), Micros(at)}));
    return result.affected_rows > 0;
  }

  absl::Status AppendEvent(const events::Event& event) override {
    return outbox_.Append(tx_, event);
  }

 private:
  absl::StatusOr<std::optional<UserRecord>> OneUser(std::string_view column,
                                                    std::string_view value) {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, tx_.Execute(std::string("SELECT ") + kUserColumns +
                                                               " FROM identity_users WHERE " +
                                                               std::string(column) + " = $1",
                                                           {std::string(value)}));
    if (result.rows.empty()) return std::nullopt;
    return ReadUser(result.rows.front());
  }

  db::Transaction& tx_;
  events::Outbox& outbox_;
};

class SqlIdentityStore final : public IdentityStore {
 public:
  SqlIdentityStore(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox) {}

  absl::Status InTransaction(const std::function<absl::Status(IdentityUnit&)>& work) override {
    return database_.InTransaction([&](db::Transaction& tx) {
      SqlIdentityUnit unit(tx, outbox_);
      return work(unit);
    });
  }

 private:
  db::Database& database_;
  events::Outbox& outbox_;
};

}  // namespace

std::unique_ptr<IdentityStore> MakeSqlIdentityStore(db::Database& database,
                                                    events::Outbox& outbox) {
  return std::make_unique<SqlIdentityStore>(database, outbox);
}

}  // namespace travio::identity
