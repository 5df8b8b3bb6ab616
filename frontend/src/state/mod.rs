//! Shell state: the session context, toasts, per-view fetch states and reducers.
//!
//! `account`, `fetch`, `filters` and `dashboard` are pure (no browser calls) and unit-tested natively.

pub mod account;
pub mod dashboard;
pub mod fetch;
pub mod filters;
pub mod session;
pub mod toast;

#[cfg(test)]
mod filter_agreement;
