//! What a session proves. `BffUser`: a session with a valid user token. `BffTenant`:
//! additionally an active tenant whose scoped token validates (a `TenantScope`). When
//! the scoped token has expired but the user token has not, it is re-exchanged silently
//! (and the caller told, so the response can say `x-kyros-session-refreshed: 1`); when
//! the user token has expired too, the session is purged and the answer is
//! `session_expired`.

use actix_session::Session;

use super::error::BffError;
use super::service::Bff;
use std::time::Duration;

use super::session::{
    active_tenant, get, instant, put, session_id, unix_now, BffTenant, BffUser, CREATED, SEEN,
    TENANT_ID, TENANT_TOKEN, USER_TOKEN,
};
use crate::auth::jwt::{TokenError, UserClaims};
use crate::auth::AuthError;
use crate::tenancy::{TenancyError, TenantRef};

/// The last-use stamp is written at most once a minute (a quarter of the idle timeout
/// when that is shorter), so idle timeouts are that precise and a session is not
/// rewritten on every request.
fn seen_every(idle: Duration) -> i64 {
    i64::try_from(idle.as_secs() / 4).unwrap_or(60).clamp(1, 60)
}

/// Whether a user token is close enough to its end to renew it now: within five minutes,
/// or half its lifetime for short-lived tokens.
fn near_expiry(claims: &UserClaims, now: i64) -> bool {
    let lifetime = (claims.exp - claims.iat).max(1);
    claims.exp - now < (lifetime / 2).min(300)
}

impl Bff {
    /// The signed-in user of a session, and whether the session's tokens were renewed.
    ///
    /// A session ends after `KYROS_SESSION_IDLE` without use and `KYROS_SESSION_MAX`
    /// after sign-in (`session_expired`), or when it was ended elsewhere (sign-out of that
    /// session, a password change). While it lives, the BFF renews the user token itself
    /// shortly before (or after) it expires, so an active user never meets the token's
    /// lifetime.
    pub async fn user(&self, session: Session) -> Result<(BffUser, bool), BffError> {
        let now = unix_now();
        let (Some(created), Some(seen)) = (instant(&session, CREATED), instant(&session, SEEN))
        else {
            // Not signed in (yet: a sign-in waiting for its second factor keeps its state).
            return Err(BffError::NotSignedIn);
        };
        let over = |since: i64, limit: Duration| {
            now.saturating_sub(since) > i64::try_from(limit.as_secs()).unwrap_or(i64::MAX)
        };
        if over(created, self.session_max) || over(seen, self.session_idle) {
            session.purge();
            return Err(BffError::SessionExpired);
        }
        let token = get(&session, USER_TOKEN)?.ok_or(BffError::NotSignedIn)?;
        let (user, renewed) = match self.auth.user_from_token(&token).await {
            Ok(user) if !near_expiry(&user.claims, now) => (user, false),
            Ok(_) | Err(AuthError::Token(TokenError::Expired)) => {
                match self.auth.renew_user_token(&token).await {
                    Ok((user, issued)) => {
                        put(&session, USER_TOKEN, &issued.token)?;
                        (user, true)
                    }
                    Err(AuthError::Token(_) | AuthError::InvalidCredentials) => {
                        session.purge();
                        return Err(BffError::NotSignedIn);
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            Err(AuthError::Token(_)) => {
                session.purge();
                return Err(BffError::NotSignedIn);
            }
            Err(other) => return Err(other.into()),
        };
        let sid = match session_id(&session) {
            Some(sid) if self.registry.is_live(user.user_id, &sid).await? => sid,
            _ => {
                session.purge();
                return Err(BffError::NotSignedIn);
            }
        };
        if now - seen >= seen_every(self.session_idle) {
            put(&session, SEEN, &now.to_string())?;
        }
        Ok((BffUser { user, session, sid }, renewed))
    }

    /// The signed-in user's active tenant, re-exchanging an expired scoped token with the
    /// user token. The flag says whether that happened.
    pub async fn tenant(&self, session: Session) -> Result<(BffTenant, bool), BffError> {
        let (BffUser { user, session, sid }, renewed) = self.user(session).await?;
        let tenant_id = active_tenant(&session).ok_or(BffError::NoTenantSelected)?;
        let token = get(&session, TENANT_TOKEN)?.ok_or(BffError::NotSignedIn)?;
        match self.tenancy.scope_from_token(&token).await {
            Ok(scope) => Ok((
                BffTenant {
                    scope,
                    session,
                    sid,
                },
                renewed,
            )),
            Err(
                TenancyError::Token(_) | TenancyError::Auth(_) | TenancyError::MembershipInactive,
            ) => {
                // Scoped token expired (or membership changed): re-exchange with the user token.
                let exchanged = match self.tenancy.exchange(&user, TenantRef::Id(tenant_id)).await {
                    Ok(exchanged) => exchanged,
                    Err(TenancyError::NotPermitted) => {
                        let _ = session.remove(TENANT_ID);
                        let _ = session.remove(TENANT_TOKEN);
                        return Err(BffError::TenantRevoked);
                    }
                    Err(other) => return Err(other.into()),
                };
                put(&session, TENANT_TOKEN, &exchanged.token.token)?;
                let scope = self
                    .tenancy
                    .scope_from_token(&exchanged.token.token)
                    .await?;
                Ok((
                    BffTenant {
                        scope,
                        session,
                        sid,
                    },
                    true,
                ))
            }
            Err(other) => Err(other.into()),
        }
    }
}
