//! Tenant-scoped REST routes (`/api/tenant/{tenant_id}/…`), all behind `TenantScope`.

pub mod audit;
pub mod dashboards;
pub mod show;
pub mod users;
