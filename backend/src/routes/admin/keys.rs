//! `POST /admin/rotate-secret`: a new active signing key. The previous key keeps verifying
//! until the longest token lifetime has passed, unless `{"revoke_previous": true}`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::http::json::from_object_slice;
use crate::state::SharedState;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    #[serde(default)]
    pub revoke_previous: bool,
}

pub async fn rotate_secret(
    state: SharedState,
    admin: AdminAuth,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let request: RotateRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RotateRequest::default()
    } else {
        from_object_slice(&body)?
    };
    let kid = state
        .admin
        .rotate_key(admin.client_id, request.revoke_previous)
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "kid": kid, "revoke_previous": request.revoke_previous })))
}
