//! Password login for integrations.

pub mod login;
