//! Operator clients (client credentials) and their admin tokens.

use std::time::Duration;

use super::jwt::{AdminClaims, IssuedToken};
use super::password::verify_password;
use super::service::{Auth, AuthError};
use crate::audit;
use crate::store::admin_clients;

/// How long an admin token lives.
pub const ADMIN_TOKEN_TTL: Duration = Duration::from_secs(300);

/// A caller holding a valid admin token.
#[derive(Debug, Clone)]
pub struct AdminAuth {
    pub client_id: String,
}

impl Auth {
    /// Checks a client's credentials and issues an admin token; audited either way.
    /// Unknown client and wrong secret cost the same argon2 work.
    pub async fn issue_admin_token(
        &self,
        client_id: String,
        secret: String,
    ) -> Result<IssuedToken, AuthError> {
        if client_id.len() > 100 || secret.len() > 1024 || client_id.chars().any(char::is_control) {
            return Err(AuthError::InvalidClient);
        }
        let lookup_id = client_id.clone();
        let hash = self
            .db
            .run(move |conn| admin_clients::secret_hash(conn, &lookup_id))
            .await?;
        let candidate = hash
            .clone()
            .unwrap_or_else(|| self.dummy_password_hash.clone());
        let matches = actix_web::web::block(move || verify_password(&secret, &candidate))
            .await
            .map_err(|e| AuthError::Internal(e.to_string()))?;
        if !(matches && hash.is_some()) {
            let e = audit::entry("admin_token", "failure", client_id.clone(), client_id);
            self.audit.record(e).await;
            return Err(AuthError::InvalidClient);
        }
        let issued = self.tokens.issue_admin(&client_id, ADMIN_TOKEN_TTL)?;
        let e = audit::entry("admin_token", "success", client_id.clone(), client_id);
        self.audit.record(e).await;
        Ok(issued)
    }

    /// Validates an admin token.
    pub async fn admin_from_token(&self, token: &str) -> Result<AdminAuth, AuthError> {
        let claims: AdminClaims = self.validate(token).await?;
        Ok(AdminAuth {
            client_id: claims.sub,
        })
    }
}
