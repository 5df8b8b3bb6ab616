//! Tenancy: the one door to tenant data.
//!
//! - [`scope`]: `TenantScope` (a validated tenant-scoped caller) and the row-level
//!   security `Scope` the store runs under — a tenant scope only from a `TenantScope`;
//! - [`Tenancy`]: the service that turns a scoped token into a `TenantScope` (the token
//!   validated *and* the membership confirmed active — for this request, or for an
//!   earlier one with no change to tenancy metadata since, see [`cache`]), exchanges user
//!   tokens for scoped ones, and lists a user's tenants;
//! - [`cache`]: memberships remembered while tenancy metadata is unchanged.

pub mod cache;
mod exchange;
mod memberships;
pub mod scope;
mod service;

pub use exchange::{Exchanged, TenantRef};
pub use scope::{Scope, TenantScope};
pub use service::{Tenancy, TenancyError};
