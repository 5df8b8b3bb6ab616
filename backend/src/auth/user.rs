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
    /// Validates a user access token.
    pub async fn user_from_token(&self, token: &str) -> Result<UserAuth, AuthError> {
        let claims: UserClaims = self.validate(token).await?;
        let user_id = claims
            .sub
            .parse()
            .map_err(|_| TokenError::Invalid("bad subject"))?;
        Ok(UserAuth { user_id, claims })
    }
}
