//! Single sign-on over OpenID Connect (authorization code + PKCE) with `openidconnect`.
//!
//! - [`provider`]: a provider as a sign-in uses it, and email domains;
//! - [`providers`]: the global provider (environment) and per-tenant providers (admin
//!   API), and which one serves an email;
//! - `discovery`: discovered clients and provider keys, cached, refreshed on rotation;
//! - [`flow`]: the browser flow through the BFF and ID tokens of integrations;
//! - `accounts`: the Kyros account of a provider's identity (link, verified email,
//!   just-in-time provisioning).

mod accounts;
mod discovery;
mod error;
pub mod flow;
pub mod provider;
pub mod providers;
mod service;

pub use error::SsoError;
pub use flow::{Callback, SsoStart, StartHint, FLOW_COOKIE, FLOW_TTL_SECS};
pub use service::{Sso, SsoDeps};
