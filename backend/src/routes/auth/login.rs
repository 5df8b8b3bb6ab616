//! `POST /api/auth/login`: email + password → user access token, or (for a user with
//! MFA) a challenge; `POST /api/auth/login/mfa`: the challenge and a code → the token.

use actix_web::HttpResponse;
use kyros_common::api::auth::{LoginRequest, MfaLoginRequest, MfaRequired, TokenResponse};

use crate::auth::jwt::IssuedToken;
use crate::auth::LoginOutcome;
use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::json::JsonObject;
use crate::state::SharedState;

fn token_response(token: IssuedToken) -> HttpResponse {
    HttpResponse::Ok().json(TokenResponse {
        access_token: token.token,
        token_type: "Bearer".into(),
        expires_in: token.expires_in,
    })
}

pub async fn login(
    state: SharedState,
    _throttle: LoginThrottle,
    body: JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    Ok(match state.auth.login(email, password).await? {
        LoginOutcome::SignedIn(signed_in) => token_response(signed_in.token),
        LoginOutcome::MfaRequired(challenge) => HttpResponse::Ok().json(MfaRequired {
            mfa_required: true,
            expires_in: challenge.expires_in,
            challenge: Some(challenge.token),
        }),
    })
}

pub async fn login_mfa(
    state: SharedState,
    _throttle: LoginThrottle,
    body: JsonObject<MfaLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let signed_in = state.auth.complete_mfa(&body.challenge, &body.code).await?;
    Ok(token_response(signed_in.token))
}
