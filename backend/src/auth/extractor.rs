//! Bearer-token extractors. `UserAuth` accepts only a user access token; the tenant
//! door (`TenantScope`) lives in `tenancy`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use kyros_common::ids::UserId;

use super::jwt::{TokenError, TokenKind, UserClaims};
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::state::SharedState;
use crate::store::Scope;

/// The raw bearer token of a request, if the `Authorization` header carries one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// Validates a token of kind `C`, reloading the key ring once when the `kid` is unknown
/// (another instance may have rotated).
pub async fn validate_token<C: TokenKind + Send + 'static>(
    state: &SharedState,
    token: &str,
) -> Result<C, TokenError> {
    match state.tokens.validate::<C>(token) {
        Err(TokenError::UnknownKey) if state.keys().reload_due() => {
            let keys = state.keys().clone();
            let reloaded = state
                .db
                .run_scoped(Scope::Service, move |conn| keys.reload(conn))
                .await;
            if reloaded.is_err() {
                return Err(TokenError::UnknownKey);
            }
            state.tokens.validate::<C>(token)
        }
        other => other,
    }
}

/// A caller authenticated by a user access token.
#[derive(Debug, Clone)]
pub struct UserAuth {
    pub user_id: UserId,
    pub claims: UserClaims,
}

impl UserAuth {
    pub async fn from_token(state: &SharedState, token: &str) -> Result<Self, ApiError> {
        let claims: UserClaims = validate_token(state, token).await?;
        let user_id = claims
            .sub
            .parse()
            .map_err(|_| ApiError::from(TokenError::Invalid("bad subject")))?;
        Ok(UserAuth { user_id, claims })
    }
}

impl FromRequest for UserAuth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<SharedState>()
                .cloned()
                .ok_or_else(|| ApiError::internal("state missing"))?;
            let token = bearer_token(&req)
                .ok_or_else(|| ApiError::unauthenticated("a bearer token is required"))?;
            let auth = UserAuth::from_token(&state, &token).await?;
            record_identity(&req, &auth.claims.sub, None);
            Ok(auth)
        })
    }
}
