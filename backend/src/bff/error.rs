//! Why a BFF request was refused.

use crate::auth::AuthError;
use crate::tenancy::TenancyError;

#[derive(Debug, thiserror::Error)]
pub enum BffError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("your session has expired; sign in again")]
    SessionExpired,
    #[error("no tenant selected")]
    NoTenantSelected,
    #[error("you may no longer use this tenant")]
    TenantRevoked,
    #[error("the session could not be updated: {0}")]
    Session(String),
    #[error("no such session")]
    NoSuchSession,
    /// A wrong password or authenticator code in an MFA form (the session stays).
    #[error("the code (or password) is not right; try again with a new code")]
    WrongCode,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Users(#[from] crate::users::UsersError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Sso(#[from] crate::sso::SsoError),
}
