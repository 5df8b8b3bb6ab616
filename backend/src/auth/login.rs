//! Password sign-in: checks the credentials, records the attempt and issues the user
//! access token. Unknown email, inactive user and wrong password fail the same way,
//! after the same argon2 work.

use kyros_common::ids::UserId;

use super::jwt::{IssuedToken, TokenError, UserClaims};
use super::outcome::{Authenticated, LoginOutcome, SignedIn};
use super::password::verify_password;
use super::service::{Auth, AuthError};
use super::user::UserAuth;
use crate::audit::{self, AuditEntryExt};
use crate::store::{memberships, users, widen_to_user};
use crate::tenancy::scope::Scope;

/// Longest email and password that are looked at; longer input is implausible.
const MAX_EMAIL: usize = 320;
const MAX_PASSWORD: usize = 1024;

async fn verify(password: String, hash: String) -> Result<bool, AuthError> {
    actix_web::web::block(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AuthError::Internal(e.to_string()))
}

impl Auth {
    /// Signs a user in with email and password (REST and BFF): throttled per account,
    /// audited and counted. A user with MFA gets a challenge for the code step instead of
    /// a token; otherwise the sign-in is recorded and pending memberships are joined.
    pub async fn login(&self, email: String, password: String) -> Result<LoginOutcome, AuthError> {
        let claimed: String = users::normalise_email(&email)
            .chars()
            .take(MAX_EMAIL)
            .collect();
        if let Err(e) = self.throttle.check(&claimed).await {
            let e = AuthError::from(e);
            if let AuthError::Throttled(limit) = &e {
                self.metrics.logins.with_label_values(&["throttled"]).inc();
                let entry = audit::entry("login", "throttled", claimed.clone(), claimed)
                    .detail(serde_json::json!({ "retry_after_secs": limit.retry_after_secs }));
                self.audit.record(entry).await;
            }
            return Err(e);
        }
        match self.authenticate(email, password).await {
            Ok(user) => {
                self.throttle.succeeded(&claimed).await?;
                self.second_step(user).await
            }
            Err(AuthError::InvalidCredentials) => {
                self.metrics.logins.with_label_values(&["failure"]).inc();
                let wait = self.throttle.failed(&claimed).await?;
                let e = audit::entry("login", "failure", claimed.clone(), claimed)
                    .detail(serde_json::json!({ "backoff_secs": wait.map(|w| w.as_secs()) }));
                self.audit.record(e).await;
                Err(AuthError::InvalidCredentials)
            }
            Err(other) => Err(other),
        }
    }

    /// Issues a fresh user token for a user already known to be signed in (a BFF session
    /// after a password change): the current memberships and token generation.
    pub async fn reissue_user_token(
        &self,
        user: UserId,
        email: &str,
        amr: &[String],
    ) -> Result<IssuedToken, AuthError> {
        let (tenants, status) = self
            .db
            .run_scoped(Scope::User(user), move |conn| {
                Ok((
                    memberships::tenants_of_user(conn, user)?,
                    users::status(conn, user)?,
                ))
            })
            .await?;
        let status = status.ok_or(AuthError::InvalidCredentials)?;
        let tenant_ids = tenants.iter().map(|(t, _)| t.id.clone()).collect();
        if !status.is_active {
            return Err(AuthError::InvalidCredentials);
        }
        Ok(self.tokens.issue_user(
            user.as_uuid(),
            email,
            tenant_ids,
            status.token_generation,
            amr,
        )?)
    }

    /// Renews the user token of a live browser session, even when it has expired: the
    /// token must still carry a valid signature, and its user must be active with the same
    /// token generation (no password change since). Returns the user of the new token.
    pub async fn renew_user_token(
        &self,
        token: &str,
    ) -> Result<(UserAuth, IssuedToken), AuthError> {
        let claims: UserClaims = self.tokens.validate_allowing_expiry(token)?;
        let user_id: UserId = claims
            .sub
            .parse()
            .map_err(|_| TokenError::Invalid("bad subject"))?;
        match self.user_status(user_id).await? {
            Some(status) if status.is_active && status.token_generation == claims.gen => {}
            _ => return Err(TokenError::Invalid("the user is not active").into()),
        }
        let issued = self
            .reissue_user_token(user_id, &claims.email, &claims.amr)
            .await?;
        let user = self.user_from_token(&issued.token).await?;
        Ok((user, issued))
    }

    /// Signs in a user an identity provider vouched for (single sign-on): active users
    /// only; the token says `amr: ["ext"]` (the provider did the authentication, its own
    /// second factor included).
    pub async fn sign_in_external(&self, user_id: UserId) -> Result<SignedIn, AuthError> {
        let (user, tenants) = self
            .db
            .run_scoped(Scope::Service, move |conn| {
                let user = users::find_by_id(conn, user_id)?;
                widen_to_user(conn, user_id)?;
                Ok((user, memberships::tenants_of_user(conn, user_id)?))
            })
            .await?;
        match user {
            Some(user) if user.is_active => {
                let authenticated = Authenticated {
                    user_id,
                    email: user.email,
                    tenant_ids: tenants.iter().map(|(t, _)| t.id.clone()).collect(),
                    generation: user.token_generation,
                    last_tenant: user.last_tenant_id,
                };
                self.finish_sign_in(authenticated, &["ext"]).await
            }
            _ => Err(AuthError::InvalidCredentials),
        }
    }

    async fn authenticate(
        &self,
        email: String,
        password: String,
    ) -> Result<Authenticated, AuthError> {
        let dummy = self.dummy_password_hash.clone();
        // Implausible input never reaches the database (PostgreSQL refuses NUL bytes in
        // text), but still costs one argon2 verification so it cannot be told apart.
        let plausible = email.len() <= MAX_EMAIL
            && password.len() <= MAX_PASSWORD
            && !email.chars().any(char::is_control);
        if !plausible {
            let password: String = password.chars().take(MAX_PASSWORD).collect();
            let _ = verify(password, dummy).await;
            return Err(AuthError::InvalidCredentials);
        }
        let (user, tenants) = self
            .db
            .run_scoped(Scope::Service, move |conn| {
                let user = users::find_by_email(conn, &email)?;
                let tenants = match user.as_ref().and_then(|u| u.user_id()) {
                    Some(id) => {
                        widen_to_user(conn, id)?;
                        memberships::tenants_of_user(conn, id)?
                    }
                    None => Vec::new(),
                };
                Ok((user, tenants))
            })
            .await?;
        // A user without a password (an open invitation) verifies against the dummy hash:
        // the same work, and never a match.
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .filter(|h| !h.is_empty())
            .unwrap_or(dummy);
        let matches = verify(password, hash).await?;
        match user {
            Some(user) if matches && user.is_active && !user.invitation_pending() => {
                let user_id = user
                    .user_id()
                    .ok_or_else(|| AuthError::Internal("bad user id".into()))?;
                Ok(Authenticated {
                    user_id,
                    email: user.email,
                    tenant_ids: tenants.iter().map(|(t, _)| t.id.clone()).collect(),
                    generation: user.token_generation,
                    last_tenant: user.last_tenant_id,
                })
            }
            _ => Err(AuthError::InvalidCredentials),
        }
    }

    /// Whether `password` is the user's current password (argon2 either way).
    pub async fn verify_password_of(
        &self,
        user: UserId,
        password: String,
    ) -> Result<bool, AuthError> {
        let row = self
            .db
            .run_scoped(Scope::User(user), move |conn| users::find_by_id(conn, user))
            .await?;
        let hash = row
            .map(|u| u.password_hash)
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| self.dummy_password_hash.clone());
        let matches = verify(password, hash).await?;
        Ok(matches)
    }
}
