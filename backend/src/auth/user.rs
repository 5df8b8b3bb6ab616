//! A caller authenticated by a user access token.

use kyros_common::ids::UserId;

use super::jwt::{TokenError, UserClaims};
use super::service::{Auth, AuthError};

#[derive(Debug, Clone)]
pub struct UserAuth {
    pub user_id: UserId,
    pub claims: UserClaims,
}

impl Auth {
    /// Validates a user access token: its signature and claims, and that its user still
    /// exists, is active and has not changed their password since it was issued.
    pub async fn user_from_token(&self, token: &str) -> Result<UserAuth, AuthError> {
        let claims: UserClaims = self.validate(token).await?;
        let user_id = claims
            .sub
            .parse()
            .map_err(|_| TokenError::Invalid("bad subject"))?;
        match self.user_status(user_id).await? {
            Some(status) if status.is_active && status.token_generation == claims.gen => {
                Ok(UserAuth { user_id, claims })
            }
            Some(status) if status.is_active => {
                Err(TokenError::Invalid("issued before a password change").into())
            }
            _ => Err(TokenError::Invalid("the user is not active").into()),
        }
    }
}
