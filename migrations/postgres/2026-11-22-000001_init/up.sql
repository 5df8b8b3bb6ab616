-- Kyros metadata schema (PostgreSQL). Ids are UUID strings checked for shape, so the
-- same diesel code path serves SQLite and PostgreSQL (see docs/architecture.md).
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    config_json TEXT NOT NULL DEFAULT '{}' CHECK (config_json::jsonb IS NOT NULL),
    created_at  TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE TABLE user_tenants (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
    PRIMARY KEY (user_id, tenant_id)
);
CREATE INDEX user_tenants_tenant ON user_tenants(tenant_id);

CREATE TABLE dashboards (
    id          TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    spec_json   TEXT NOT NULL CHECK (spec_json::jsonb IS NOT NULL),
    created_at  TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE TABLE tenant_dashboards (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    dashboard_id TEXT NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
    PRIMARY KEY (tenant_id, dashboard_id)
);

CREATE TABLE preferences (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    dashboard_id TEXT NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
    filters_json TEXT NOT NULL CHECK (filters_json::jsonb IS NOT NULL),
    updated_at   TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    PRIMARY KEY (user_id, tenant_id, dashboard_id)
);

CREATE TABLE audit_logs (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    tenant_id   TEXT NULL,
    user_id     TEXT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    detail_json TEXT NOT NULL DEFAULT '{}' CHECK (detail_json::jsonb IS NOT NULL)
);
CREATE INDEX audit_logs_tenant_at ON audit_logs(tenant_id, at);
CREATE INDEX audit_logs_at ON audit_logs(at);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,
    material     TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    retired_at   TIMESTAMP NULL,
    verify_until TIMESTAMP NULL
);

CREATE TABLE admin_clients (
    client_id   TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);
