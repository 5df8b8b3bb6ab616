-- Users a customer can run (see the SQLite migration of the same name for the tables).
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP NULL;
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;

ALTER TABLE user_tenants ADD COLUMN joined_at TIMESTAMP NULL;
UPDATE user_tenants SET joined_at = (now() AT TIME ZONE 'utc');

CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    tenant_id   TEXT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP NULL
);
CREATE INDEX account_tokens_user ON account_tokens(user_id);

CREATE TABLE user_sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ended_at     TIMESTAMP NULL
);
CREATE INDEX user_sessions_user ON user_sessions(user_id);

ALTER TABLE sessions ADD COLUMN user_id TEXT NULL;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE sign_in_failures (
    account_key   TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    blocked_until TIMESTAMP NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'logged', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at    TIMESTAMP NULL
);
CREATE INDEX outbox_status ON outbox(status, created_at);

-- Request work (kyros_app): tenant admins invite people (new users, memberships in
-- their own tenant, invitation tokens for their own tenant) and users manage their own
-- sessions and password. Invitation and reset tokens can be *written* by request work
-- but read only through the owner path that consumes them (no SELECT for kyros_app);
-- the outbox likewise.
GRANT INSERT, UPDATE ON users TO kyros_app;
GRANT INSERT ON account_tokens TO kyros_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions, sign_in_failures TO kyros_app;
GRANT INSERT ON outbox TO kyros_app;
-- Writers of users and memberships bump the metadata epoch in the same transaction.
GRANT UPDATE ON metadata_epoch TO kyros_app;

-- account_tokens carries a tenant: row-level security like every tenant table. An
-- invitation is written only inside its tenant's scope; reset tokens (no tenant) only
-- by the owner path.
ALTER TABLE account_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY app_account_tokens_write ON account_tokens FOR INSERT TO kyros_app
    WITH CHECK (tenant_id = kyros_tenant());
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_all ON account_tokens TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
