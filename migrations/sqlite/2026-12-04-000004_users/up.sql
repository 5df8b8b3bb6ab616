-- Users a customer can run: names, sign-in times, a token generation that a password
-- change moves (older tokens are refused), invitations (memberships not yet joined),
-- single-use invitation and reset tokens stored as hashes, a registry of browser
-- sessions per user, per-account sign-in back-off, and the mail outbox.
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP NULL;
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;

-- NULL: invited or added, and not signed in since.
ALTER TABLE user_tenants ADD COLUMN joined_at TIMESTAMP NULL;
UPDATE user_tenants SET joined_at = CURRENT_TIMESTAMP;

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

-- The owner of a stored BFF session, so that erasing a user erases their sessions.
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
