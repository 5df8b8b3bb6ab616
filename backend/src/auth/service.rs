//! The `Auth` service and its error type.

use std::sync::Arc;

use crate::audit::AuditLog;
use crate::metrics::Metrics;
use crate::store::{Db, StoreError};
use crate::tenancy::scope::Scope;

use super::jwt::{TokenError, TokenKind, Tokens};
use super::password::HashError;

/// Why a sign-in or a token was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown email, inactive user or wrong password: one answer for all three.
    #[error("email or password is incorrect")]
    InvalidCredentials,
    /// Unknown admin client or wrong secret.
    #[error("client authentication failed")]
    InvalidClient,
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
}

impl Auth {
    pub fn new(
        db: Db,
        tokens: Arc<Tokens>,
        dummy_password_hash: String,
        audit: AuditLog,
        metrics: Arc<Metrics>,
    ) -> Self {
        Auth {
            db,
            tokens,
            dummy_password_hash,
            audit,
            metrics,
        }
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
