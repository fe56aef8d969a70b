#include "services/identity/storage/sql/migrations.h"

namespace travio::identity {

std::vector<db::Migration> IdentityMigrations() {
  return {
      {1, "accounts, organizations, memberships, invites, refresh tokens", R"sql(
CREATE TABLE identity_users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE identity_organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE TABLE identity_memberships (
  org_id TEXT NOT NULL REFERENCES identity_organizations (id),
  user_id TEXT NOT NULL REFERENCES identity_users (id),
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX identity_memberships_by_user ON identity_memberships (user_id);
CREATE TABLE identity_invites (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES identity_organizations (id),
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  invited_by TEXT NOT NULL,
  accepted_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX identity_invites_by_org ON identity_invites (org_id, created_at);
CREATE TABLE identity_refresh_tokens (
  id TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES identity_users (id),
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  spent_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX identity_refresh_tokens_by_family ON identity_refresh_tokens (family_id);
CREATE TABLE identity_signing_keys (
  kid TEXT PRIMARY KEY,
  first_seen_at BIGINT NOT NULL
);
)sql"},
      // A family row to lock: a refresh holds it while it adds the next token, so a logout or
      // reuse detection running at the same time waits and then revokes that token too. And
      // at most one pending invite per organization and email, enforced by the database.
      {2, "refresh families; one pending invite per email", R"sql(
CREATE TABLE identity_refresh_families (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES identity_users (id),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
INSERT INTO identity_refresh_families (id, user_id, created_at, revoked_at)
  SELECT family_id, MIN(user_id), MIN(issued_at), MAX(revoked_at)
  FROM identity_refresh_tokens GROUP BY family_id;
UPDATE identity_invites SET status = 'expired'
  WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM identity_invites newer
    WHERE newer.org_id = identity_invites.org_id AND newer.email = identity_invites.email
      AND newer.status = 'pending' AND newer.created_at > identity_invites.created_at);
CREATE UNIQUE INDEX identity_invites_one_pending ON identity_invites (org_id, email)
  WHERE status = 'pending';
)sql"},
      // Member lists are read a page at a time in joining order; invite lists show whether the
      // email went out.
      {3, "members by organization in joining order; invite delivery", R"sql(
CREATE INDEX identity_memberships_by_org ON identity_memberships (org_id, created_at, user_id);
ALTER TABLE identity_invites ADD COLUMN emailed_at BIGINT;
)sql"},
  };
}

}  // namespace travio::identity
