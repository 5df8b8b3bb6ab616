//! The BFF client: one request function ([`client::Api::request`]) and one function per endpoint.

pub mod account;
pub mod client;
pub mod dashboards;
pub mod error;
pub mod mfa;
pub mod paths;
pub mod session;

pub use client::Api;
pub use error::ApiError;
