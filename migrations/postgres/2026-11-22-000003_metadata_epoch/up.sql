-- One counter that every change to tenancy metadata (tenants, memberships, users,
-- dashboard assignments, tenant settings) increments. Each instance keeps recently used
-- memberships and dashboard assignments in memory and polls this counter: when it moves,
-- everything cached before is dropped (backend/src/tenancy/cache.rs).
CREATE TABLE metadata_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
INSERT INTO metadata_epoch (id, epoch) VALUES (1, 0);
GRANT SELECT ON metadata_epoch TO kyros_app;
