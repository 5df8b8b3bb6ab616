//! What a session proves. `BffUser`: a session with a valid user token. `BffTenant`:
//! additionally an active tenant whose scoped token validates (a `TenantScope`). When
//! the scoped token has expired but the user token has not, it is re-exchanged silently
//! (and the caller told, so the response can say `x-kyros-session-refreshed: 1`); when
//! the user token has expired too, the session is purged and the answer is
//! `session_expired`.

use actix_session::Session;

use super::error::BffError;
use super::service::Bff;
use super::session::{
    active_tenant, get, put, session_id, BffTenant, BffUser, TENANT_ID, TENANT_TOKEN, USER_TOKEN,
};
use crate::auth::jwt::{TokenError, UserClaims};
use crate::auth::AuthError;
use crate::tenancy::{TenancyError, TenantRef};

impl Bff {
    /// The signed-in user of a session; an invalid or expired user token, or a session
    /// ended elsewhere (sign-out of that session, a password change), ends it.
    pub async fn user(&self, session: Session) -> Result<BffUser, BffError> {
        let token = get(&session, USER_TOKEN)?.ok_or(BffError::NotSignedIn)?;
        match self.auth.user_from_token(&token).await {
            Ok(user) => {
                let live = match session_id(&session) {
                    Some(sid) if self.registry.is_live(user.user_id, &sid).await? => Some(sid),
                    _ => None,
                };
                match live {
                    Some(sid) => Ok(BffUser { user, session, sid }),
                    None => {
                        session.purge();
                        Err(BffError::NotSignedIn)
                    }
                }
            }
            Err(AuthError::Token(_)) => {
                let expired = matches!(
                    self.auth.tokens().validate::<UserClaims>(&token),
                    Err(TokenError::Expired)
                );
                session.purge();
                Err(if expired {
                    BffError::SessionExpired
                } else {
                    BffError::NotSignedIn
                })
            }
            Err(other) => Err(other.into()),
        }
    }

    /// The signed-in user's active tenant, re-exchanging an expired scoped token with the
    /// user token. The flag says whether that happened.
    pub async fn tenant(&self, session: Session) -> Result<(BffTenant, bool), BffError> {
        let BffUser { user, session, sid } = self.user(session).await?;
        let tenant_id = active_tenant(&session).ok_or(BffError::NoTenantSelected)?;
        let token = get(&session, TENANT_TOKEN)?.ok_or(BffError::NotSignedIn)?;
        match self.tenancy.scope_from_token(&token).await {
            Ok(scope) => Ok((
                BffTenant {
                    scope,
                    session,
                    sid,
                },
                false,
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
