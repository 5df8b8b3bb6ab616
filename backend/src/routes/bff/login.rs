//! `POST /bff/login`: password sign-in into a fresh server-side session.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse};
use kyros_common::api::auth::LoginRequest;

use super::ok_json;
use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::identity;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn bff_login(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    session: Session,
    body: JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (user, info) = state
        .bff
        .login(session, email, password, &user_agent)
        .await?;
    identity::record(&req, &user.claims.sub, None);
    Ok(ok_json(&info))
}
