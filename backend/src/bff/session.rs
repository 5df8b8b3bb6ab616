//! Session-bound identities of the BFF.
//!
//! `BffUser`: a session with a valid user token. `BffTenant`: additionally an active
//! tenant whose scoped token validates (`TenantScope`). When the scoped token has expired
//! but the user token has not, it is re-exchanged silently and the response carries
//! `x-kyros-session-refreshed: 1`; when the user token has expired too, the session is
//! purged and the answer is 401 `session_expired`.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use kyros_common::error::ErrorCode;
use kyros_common::ids::TenantId;

use crate::auth::extractor::UserAuth;
use crate::auth::jwt::TokenError;
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::routes::token::exchange::{exchange_for_tenant, TenantRef};
use crate::state::SharedState;
use crate::tenancy::TenantScope;

const USER_TOKEN: &str = "user_token";
const TENANT_TOKEN: &str = "tenant_token";
const TENANT_ID: &str = "tenant_id";

/// Marks a response whose session was silently refreshed.
#[derive(Debug, Clone, Copy)]
pub struct SessionRefreshed;

pub fn session_expired() -> ApiError {
    ApiError::Unauthorized(
        ErrorCode::SessionExpired,
        "your session has expired; sign in again".into(),
    )
}

fn not_signed_in() -> ApiError {
    ApiError::unauthenticated("not signed in")
}

fn get(session: &Session, key: &str) -> Result<Option<String>, ApiError> {
    session.get::<String>(key).map_err(|_| not_signed_in())
}

fn put(session: &Session, key: &str, value: &str) -> Result<(), ApiError> {
    session.insert(key, value).map_err(ApiError::internal)
}

/// Starts a fresh session for a signed-in user (new session id: no fixation).
pub fn start(session: &Session, user_token: &str) -> Result<(), ApiError> {
    session.clear();
    session.renew();
    put(session, USER_TOKEN, user_token)
}

/// Stores the tenant selection under a new session id.
pub fn select_tenant(
    session: &Session,
    tenant_id: TenantId,
    tenant_token: &str,
) -> Result<(), ApiError> {
    session.renew();
    put(session, TENANT_ID, &tenant_id.to_string())?;
    put(session, TENANT_TOKEN, tenant_token)
}

pub fn active_tenant(session: &Session) -> Option<TenantId> {
    get(session, TENANT_ID)
        .ok()
        .flatten()
        .and_then(|t| t.parse().ok())
}

fn state_of(req: &HttpRequest) -> Result<SharedState, ApiError> {
    req.app_data::<SharedState>()
        .cloned()
        .ok_or_else(|| ApiError::internal("state missing"))
}

async fn user_from_session(state: &SharedState, session: &Session) -> Result<UserAuth, ApiError> {
    let token = get(session, USER_TOKEN)?.ok_or_else(not_signed_in)?;
    match UserAuth::from_token(state, &token).await {
        Ok(user) => Ok(user),
        Err(ApiError::Unauthorized(..)) => {
            let expired = matches!(
                state
                    .tokens
                    .validate::<crate::auth::jwt::UserClaims>(&token),
                Err(TokenError::Expired)
            );
            session.purge();
            Err(if expired {
                session_expired()
            } else {
                not_signed_in()
            })
        }
        Err(other) => Err(other),
    }
}

/// A signed-in browser session.
pub struct BffUser {
    pub user: UserAuth,
    pub session: Session,
}

impl FromRequest for BffUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let session = req.get_session();
            let user = user_from_session(&state, &session).await?;
            record_identity(
                &req,
                &user.claims.sub,
                active_tenant(&session).map(|t| t.to_string()).as_deref(),
            );
            Ok(BffUser { user, session })
        })
    }
}

/// A signed-in browser session with an active tenant.
pub struct BffTenant {
    pub scope: TenantScope,
    pub session: Session,
}

impl FromRequest for BffTenant {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let session = req.get_session();
            let user = user_from_session(&state, &session).await?;
            let tenant_id = active_tenant(&session).ok_or_else(|| {
                ApiError::BadRequest(ErrorCode::BadRequest, "no tenant selected".into())
            })?;
            let token = get(&session, TENANT_TOKEN)?.ok_or_else(not_signed_in)?;
            let scope = match TenantScope::from_token(&state, &token).await {
                Ok(scope) => scope,
                Err(ApiError::Unauthorized(..)) => {
                    // Scoped token expired (or membership changed): re-exchange with the user token.
                    let granted =
                        exchange_for_tenant(&state, &user, TenantRef::Id(tenant_id)).await?;
                    let Some((_, _, _, issued)) = granted else {
                        let _ = session.remove(TENANT_ID);
                        let _ = session.remove(TENANT_TOKEN);
                        return Err(ApiError::forbidden("you may no longer use this tenant"));
                    };
                    put(&session, TENANT_TOKEN, &issued.token)?;
                    req.extensions_mut().insert(SessionRefreshed);
                    TenantScope::from_token(&state, &issued.token).await?
                }
                Err(other) => return Err(other),
            };
            record_identity(&req, &user.claims.sub, Some(&scope.tenant_id().to_string()));
            state.metrics.tenant_request(&scope.tenant_id().to_string());
            Ok(BffTenant { scope, session })
        })
    }
}
