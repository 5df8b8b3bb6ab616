//! `POST /api/auth/login`: email + password → user access token.

use actix_web::HttpResponse;
use kyros_common::api::auth::{LoginRequest, TokenResponse};

use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn login(
    state: SharedState,
    _throttle: LoginThrottle,
    body: JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let signed_in = state.auth.login(email, password).await?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: signed_in.token.token,
        token_type: "Bearer".into(),
        expires_in: signed_in.token.expires_in,
    }))
}
