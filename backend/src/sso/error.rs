//! Why a single sign-on step, or a provider's configuration, was refused.

use crate::auth::AuthError;

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("no identity provider serves this address; sign in with your password")]
    NoProvider,
    #[error("this sign-in was not started here, or took too long; start again")]
    State,
    #[error("the identity provider did not sign you in ({0})")]
    Denied(String),
    /// The provider's answer did not verify; the reason is logged, not shown.
    #[error("the identity provider's answer could not be verified")]
    Rejected(String),
    #[error("your identity provider has not verified your email address")]
    EmailNotVerified,
    #[error("there is no Kyros account for you; ask your administrator for an invitation")]
    NotProvisioned,
    /// The provider could not be reached at sign-in (logged; a 503).
    #[error("the identity provider is unreachable: {0}")]
    Unreachable(String),
    /// The provider being configured could not be discovered (the operator's input).
    #[error("the identity provider could not be discovered: {0}")]
    Discovery(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("no such tenant")]
    NoSuchTenant,
    #[error("this tenant has no identity provider")]
    NotConfigured,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Auth(#[from] AuthError),
}
