//! Shell state: the session context, toasts, per-view fetch states and reducers.
//!
//! `account`, `fetch`, `filters`, `dashboard`, `mfa` and `sign_in` are pure (no browser
//! calls) and unit-tested natively.

pub mod account;
pub mod dashboard;
pub mod fetch;
pub mod filters;
pub mod mfa;
pub mod session;
pub mod sign_in;
pub mod toast;

#[cfg(test)]
mod filter_agreement;
