//! The Backend-for-Frontend: cookie sessions that keep every token server-side.
//!
//! The browser holds one opaque, HttpOnly, SameSite=Strict `__Host-` cookie. The session
//! (in the database, or Redis) holds the user access token and the tenant-scoped token;
//! every data request re-validates the scoped token through `TenantScope`.

pub mod csrf;
pub mod session;
pub mod store;

/// Name of the session cookie (the `__Host-` prefix pins it to this host, path `/`, Secure).
pub const SESSION_COOKIE: &str = "__Host-kyros_session";
