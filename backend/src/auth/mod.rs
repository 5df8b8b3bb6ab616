//! Authentication: passwords, the signing key ring, JWTs, and the `Auth` service that
//! signs users and operator clients in and validates their tokens.

pub mod admin_client;
pub mod jwt;
pub mod kek;
pub mod keys;
pub mod login;
pub mod mfa;
pub mod outcome;
pub mod password;
mod service;
pub mod throttle;
pub mod user;

pub use admin_client::AdminAuth;
pub use outcome::{LoginOutcome, MfaChallenge, SignedIn};
pub use service::{Auth, AuthDeps, AuthError};
pub use user::UserAuth;
