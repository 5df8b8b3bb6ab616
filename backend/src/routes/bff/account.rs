//! The signed-in user's own account: `POST /bff/password`, `GET /bff/sessions`,
//! `DELETE /bff/sessions/{id}`.

use actix_web::{web, HttpResponse};
use kyros_common::api::users::ChangePassword;

use super::ok_json;
use crate::bff::BffUser;
use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn bff_change_password(
    state: SharedState,
    who: BffUser,
    body: JsonObject<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    state.bff.change_password(&who, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn bff_list_sessions(state: SharedState, who: BffUser) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.bff.sessions(&who).await?))
}

pub async fn bff_end_session(
    state: SharedState,
    who: BffUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.bff.end_session(&who, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn bff_mfa_status(state: SharedState, who: BffUser) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.bff.mfa_status(&who).await?))
}

pub async fn bff_mfa_enrol(state: SharedState, who: BffUser) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.bff.enrol_mfa(&who).await?))
}

pub async fn bff_mfa_confirm(
    state: SharedState,
    who: BffUser,
    body: JsonObject<kyros_common::api::auth::MfaCode>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.bff.confirm_mfa(&who, &body.code).await?))
}

pub async fn bff_mfa_disable(
    state: SharedState,
    who: BffUser,
    body: JsonObject<kyros_common::api::auth::DisableMfa>,
) -> Result<HttpResponse, ApiError> {
    state.bff.disable_mfa(&who, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
