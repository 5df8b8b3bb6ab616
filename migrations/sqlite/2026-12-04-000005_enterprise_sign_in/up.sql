-- Enterprise sign-in: the algorithm of each signing key (and its public JWK), TOTP
-- multi-factor authentication, single sign-on providers and links, and the tenant a
-- user last worked in.
ALTER TABLE signing_keys ADD COLUMN alg TEXT NOT NULL DEFAULT 'HS256';
ALTER TABLE signing_keys ADD COLUMN public_jwk TEXT NULL;

ALTER TABLE users ADD COLUMN last_tenant_id TEXT NULL;

CREATE TABLE user_mfa (
    user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret_sealed  TEXT NULL,
    pending_sealed TEXT NULL,
    enabled_at     TIMESTAMP NULL,
    last_step      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE mfa_recovery_codes (
    code_hash TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    used_at   TIMESTAMP NULL
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes(user_id);

CREATE TABLE mfa_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP NULL,
    attempts    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE identity_providers (
    id                   TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE,
    issuer               TEXT NOT NULL,
    client_id            TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    email_domains        TEXT NOT NULL DEFAULT '[]',
    jit_enabled          BOOLEAN NOT NULL DEFAULT FALSE,
    jit_role             TEXT NOT NULL DEFAULT 'viewer' CHECK (jit_role IN ('admin', 'viewer')),
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE identity_links (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX identity_links_user ON identity_links(user_id);
