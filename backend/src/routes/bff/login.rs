//! `POST /bff/login`: password sign-in into a fresh server-side session (or, with MFA,
//! a request for the code); `POST /bff/login/mfa`: the code step.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse};
use kyros_common::api::auth::{LoginRequest, MfaCode};

use super::ok_json;
use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::identity;
use crate::http::json::JsonObject;
use crate::state::SharedState;

fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

pub async fn bff_login(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    session: Session,
    body: JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let (user, answer) = state
        .bff
        .login(session, email, password, &user_agent(&req))
        .await?;
    if let Some(user) = user {
        identity::record(&req, &user.claims.sub, None);
    }
    Ok(ok_json(&answer))
}

pub async fn bff_login_mfa(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    session: Session,
    body: JsonObject<MfaCode>,
) -> Result<HttpResponse, ApiError> {
    let (user, info) = state
        .bff
        .login_mfa(session, &body.code, &user_agent(&req))
        .await?;
    identity::record(&req, &user.claims.sub, None);
    Ok(ok_json(&info))
}
