DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'user_tenants', 'tenant_dashboards', 'preferences', 'audit_logs'] LOOP
        EXECUTE format('DROP POLICY IF EXISTS owner_all ON %I', t);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
DROP POLICY IF EXISTS app_tenants ON tenants;
DROP POLICY IF EXISTS app_user_tenants ON user_tenants;
DROP POLICY IF EXISTS app_tenant_dashboards ON tenant_dashboards;
DROP POLICY IF EXISTS app_preferences ON preferences;
DROP POLICY IF EXISTS app_audit_read ON audit_logs;
DROP POLICY IF EXISTS app_audit_write ON audit_logs;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM kyros_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM kyros_app;
REVOKE ALL ON SCHEMA public FROM kyros_app;
DROP FUNCTION IF EXISTS kyros_tenant();
DROP FUNCTION IF EXISTS kyros_user();
-- The role is cluster-wide and may serve other databases: it is left in place.
