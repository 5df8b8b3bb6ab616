//! One component per route.

pub mod account;
pub mod dashboard;
pub mod dashboards;
pub mod forbidden;
pub mod forgot_password;
pub mod invite;
pub mod login;
pub mod logout;
pub mod not_found;
pub mod reset_password;
pub mod tenant_chooser;
