//! The admin API, served only on the private listener (`KYROS_ADMIN_BIND`).
//! Client-credentials auth: `POST /admin/token` → an admin token (its own audience);
//! user and tenant-scoped tokens are 401 here.

pub mod audit_log;
pub mod auth;
pub mod dashboards;
pub mod identity_providers;
pub mod keys;
pub mod outbox;
pub mod tenants;
pub mod users;
