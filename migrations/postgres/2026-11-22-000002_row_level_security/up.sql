-- Defence in depth: row-level security on every table holding tenant rows.
--
-- Request work runs as `kyros_app` (SET LOCAL ROLE at the start of each transaction,
-- see backend/src/store/connection.rs): a role that owns no table and has no
-- BYPASSRLS. It sees a tenant's rows only when the transaction has set
-- `app.current_tenant` (set_config(..., true), transaction-local), and a user's own
-- memberships when it has set `app.current_user`. With neither set it sees nothing: the
-- policies fail closed. FORCE makes the table owner subject to RLS too; the owner's
-- explicit policy below is the separate, privileged path (start-up, admin API).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kyros_app') THEN
        BEGIN
            CREATE ROLE kyros_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created concurrently by another database's migration on this cluster
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'kyros_app', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT kyros_app TO %I', current_user);
        EXCEPTION WHEN unique_violation THEN
            NULL; -- granted concurrently
        END;
    END IF;
END
$$;

CREATE FUNCTION kyros_tenant() RETURNS TEXT LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.current_tenant', true), '') $$;
CREATE FUNCTION kyros_user() RETURNS TEXT LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.current_user', true), '') $$;

GRANT USAGE ON SCHEMA public TO kyros_app;
GRANT EXECUTE ON FUNCTION kyros_tenant(), kyros_user() TO kyros_app;
GRANT SELECT ON tenants, users, dashboards, tenant_dashboards, signing_keys TO kyros_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON user_tenants, preferences, sessions TO kyros_app;
GRANT SELECT, INSERT ON audit_logs TO kyros_app;
GRANT USAGE ON SEQUENCE audit_logs_id_seq TO kyros_app;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE user_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_dashboards ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_dashboards FORCE ROW LEVEL SECURITY;
ALTER TABLE preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE preferences FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;

-- A tenant row: the current tenant, or a tenant the current user belongs to.
CREATE POLICY app_tenants ON tenants FOR SELECT TO kyros_app
    USING (id = kyros_tenant()
           OR EXISTS (SELECT 1 FROM user_tenants m
                      WHERE m.tenant_id = tenants.id AND m.user_id = kyros_user()));
CREATE POLICY app_user_tenants ON user_tenants FOR ALL TO kyros_app
    USING (tenant_id = kyros_tenant() OR user_id = kyros_user())
    WITH CHECK (tenant_id = kyros_tenant());
CREATE POLICY app_tenant_dashboards ON tenant_dashboards FOR SELECT TO kyros_app
    USING (tenant_id = kyros_tenant());
CREATE POLICY app_preferences ON preferences FOR ALL TO kyros_app
    USING (tenant_id = kyros_tenant())
    WITH CHECK (tenant_id = kyros_tenant());
CREATE POLICY app_audit_read ON audit_logs FOR SELECT TO kyros_app
    USING (tenant_id = kyros_tenant());
-- Events without a tenant (a failed login) may be written; a tenant's events only
-- inside that tenant's scope.
CREATE POLICY app_audit_write ON audit_logs FOR INSERT TO kyros_app
    WITH CHECK (tenant_id IS NULL OR tenant_id = kyros_tenant());

-- The owner (the DATABASE_URL role that ran this migration): the explicit
-- cross-tenant path. A superuser bypasses RLS anyway.
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'user_tenants', 'tenant_dashboards', 'preferences', 'audit_logs'] LOOP
        EXECUTE format('CREATE POLICY owner_all ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    END LOOP;
END
$$;
