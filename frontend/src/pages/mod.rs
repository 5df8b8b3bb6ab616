//! One component per route.

pub mod dashboard;
pub mod dashboards;
pub mod forbidden;
pub mod login;
pub mod logout;
pub mod not_found;
pub mod tenant_chooser;
