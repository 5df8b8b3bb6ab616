//! Request and response types, one module per resource.

pub mod audit;
pub mod auth;
pub mod dashboards;
pub mod me;
pub mod sso;
pub mod tenants;
pub mod users;
