//! The `Auth` service and its error type.

use std::sync::Arc;

use kyros_common::ids::UserId;

use crate::audit::AuditLog;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimited;
use crate::store::users::UserStatus;
use crate::store::{Db, StoreError};
use crate::tenancy::cache::EpochCache;
use crate::tenancy::scope::Scope;

use super::jwt::{TokenError, TokenKind, Tokens};
use super::password::HashError;
use super::throttle::{SignInThrottle, ThrottleError};

/// Why a sign-in or a token was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown email, inactive user or wrong password: one answer for all three.
    #[error("email or password is incorrect")]
    InvalidCredentials,
    /// Unknown admin client or wrong secret.
    #[error("client authentication failed")]
    InvalidClient,
    /// Too many failed sign-ins of this account (or from this client): wait.
    #[error(transparent)]
    Throttled(#[from] RateLimited),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error("{0}")]
    Internal(String),
}

/// Signs users and admin clients in, issues their tokens and validates tokens.
pub struct Auth {
    pub(super) db: Db,
    pub(super) tokens: Arc<Tokens>,
    /// An argon2id hash verified when the email is unknown, so both failures cost the same.
    pub(super) dummy_password_hash: String,
    pub(super) audit: AuditLog,
    pub(super) metrics: Arc<Metrics>,
    pub(super) throttle: SignInThrottle,
    /// Seals MFA secrets at rest.
    pub(super) sealer: super::kek::Sealer,
    /// Activity and token generation of users, remembered while user metadata is
    /// unchanged (`tenancy::cache`); `None` for a user that does not exist.
    pub(super) users: EpochCache<UserId, Option<UserStatus>>,
}

impl From<ThrottleError> for AuthError {
    fn from(e: ThrottleError) -> Self {
        match e {
            ThrottleError::Limited(r) => AuthError::Throttled(r),
            ThrottleError::Store(s) => AuthError::Store(s),
        }
    }
}

/// What `Auth` is built from.
pub struct AuthDeps {
    pub db: Db,
    pub tokens: Arc<Tokens>,
    pub dummy_password_hash: String,
    pub audit: AuditLog,
    pub metrics: Arc<Metrics>,
    pub throttle: SignInThrottle,
    pub sealer: super::kek::Sealer,
    pub users: EpochCache<UserId, Option<UserStatus>>,
}

impl Auth {
    pub fn new(deps: AuthDeps) -> Self {
        Auth {
            db: deps.db,
            tokens: deps.tokens,
            dummy_password_hash: deps.dummy_password_hash,
            audit: deps.audit,
            metrics: deps.metrics,
            throttle: deps.throttle,
            sealer: deps.sealer,
            users: deps.users,
        }
    }

    /// A user's activity and token generation (remembered while unchanged).
    pub async fn user_status(&self, user: UserId) -> Result<Option<UserStatus>, AuthError> {
        Ok(self
            .users
            .get_or_load(user, || async {
                self.db
                    .run_scoped(Scope::User(user), move |conn| {
                        crate::store::users::status(conn, user)
                    })
                    .await
            })
            .await?)
    }

    pub fn tokens(&self) -> &Arc<Tokens> {
        &self.tokens
    }

    /// Validates a token of kind `C`, reloading the key ring once when the `kid` is
    /// unknown (another instance may have rotated).
    pub async fn validate<C: TokenKind + Send + 'static>(
        &self,
        token: &str,
    ) -> Result<C, TokenError> {
        match self.tokens.validate::<C>(token) {
            Err(TokenError::UnknownKey) if self.tokens.keys().reload_due() => {
                let keys = self.tokens.keys().clone();
                let reloaded = self
                    .db
                    .run_scoped(Scope::Service, move |conn| keys.reload(conn))
                    .await;
                if reloaded.is_err() {
                    return Err(TokenError::UnknownKey);
                }
                self.tokens.validate::<C>(token)
            }
            other => other,
        }
    }
}
