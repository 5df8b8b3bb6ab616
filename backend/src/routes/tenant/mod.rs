//! Tenant-scoped REST routes (`/api/tenant/{tenant_id}/…`), all behind `TenantScope`.

pub mod dashboards;
pub mod show;
