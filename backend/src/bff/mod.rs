//! The Backend-for-Frontend: cookie sessions that keep every token server-side.
//!
//! The browser holds one opaque, HttpOnly, SameSite=Strict `__Host-` cookie. The session
//! (in the database, or Redis) holds the user access token and the tenant-scoped token;
//! every data request re-validates the scoped token through `Tenancy`.
//!
//! - [`layer`]: the session middleware (cookie, key, lifetime, store choice);
//! - [`session`]: what a session holds; `identify`: the signed-in user and tenant it
//!   proves;
//! - [`Bff`]: the BFF's own flows (sign-in, sign-out, tenant selection, who am I);
//! - [`store`]: sessions in the metadata database.

mod account;
mod error;
mod identify;
pub mod layer;
pub mod registry;
mod service;
pub mod session;
pub mod store;

pub use error::BffError;
pub use service::{Bff, BffDeps};
pub use session::{BffTenant, BffUser};

/// Name of the session cookie (the `__Host-` prefix pins it to this host, path `/`, Secure).
pub const SESSION_COOKIE: &str = "__Host-kyros_session";
