//! Extractors: requests to authenticated callers. Each asks one service and records the
//! caller for the access log.
//!
//! - `UserAuth`: a bearer user access token;
//! - `TenantScope`: a bearer tenant-scoped token (`Tenancy::scope_from_token`), and when
//!   the route carries `{tenant_id}`, that tenant must be the token's (403, audited);
//! - `AdminAuth`: a bearer admin token;
//! - `BffUser` / `BffTenant`: the cookie session (`Bff`);
//! - `LoginThrottle`: the per-IP limit of the sign-in and token endpoints.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::identity;
use super::session_refresh::SessionRefreshed;
use crate::auth::{AdminAuth, UserAuth};
use crate::bff::{BffTenant, BffUser};
use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

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

fn state_of(req: &HttpRequest) -> Result<SharedState, ApiError> {
    req.app_data::<SharedState>()
        .cloned()
        .ok_or_else(|| ApiError::internal("state missing"))
}

impl FromRequest for UserAuth {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let token = bearer_token(&req)
                .ok_or_else(|| ApiError::unauthenticated("a bearer token is required"))?;
            let auth = state.auth.user_from_token(&token).await?;
            identity::record(&req, &auth.claims.sub, None);
            Ok(auth)
        })
    }
}

impl FromRequest for TenantScope {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let token = bearer_token(&req).ok_or_else(|| {
                ApiError::unauthenticated("a tenant-scoped bearer token is required")
            })?;
            let scope = state.tenancy.scope_from_token(&token).await?;
            identity::record(
                &req,
                &scope.user_id().to_string(),
                Some(&scope.tenant_id().to_string()),
            );
            if let Some(route_tenant) = req.match_info().get("tenant_id") {
                state
                    .tenancy
                    .confirm_route_tenant(&scope, route_tenant, req.path())
                    .await?;
            }
            Ok(scope)
        })
    }
}

impl FromRequest for AdminAuth {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let token = bearer_token(&req)
                .ok_or_else(|| ApiError::unauthenticated("an admin bearer token is required"))?;
            let admin = state.auth.admin_from_token(&token).await?;
            identity::record(&req, &admin.client_id, None);
            Ok(admin)
        })
    }
}

impl FromRequest for BffUser {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let (who, renewed) = state.bff.user(req.get_session()).await?;
            if renewed {
                req.extensions_mut().insert(SessionRefreshed);
            }
            let tenant = crate::bff::session::active_tenant(&who.session).map(|t| t.to_string());
            identity::record(&req, &who.user.claims.sub, tenant.as_deref());
            Ok(who)
        })
    }
}

impl FromRequest for BffTenant {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            let (who, refreshed) = state.bff.tenant(req.get_session()).await?;
            if refreshed {
                req.extensions_mut().insert(SessionRefreshed);
            }
            identity::record(
                &req,
                &who.scope.user_id().to_string(),
                Some(&who.scope.tenant_id().to_string()),
            );
            Ok(who)
        })
    }
}

/// Passes when the client IP is within the sign-in rate limit (429 otherwise).
pub struct LoginThrottle;

impl FromRequest for LoginThrottle {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?;
            state.limits.check_login(&req).await?;
            Ok(LoginThrottle)
        })
    }
}
