//! `POST /admin/rotate-secret`: a new active signing key. The previous key keeps verifying
//! until the longest token lifetime has passed, unless `{"revoke_previous": true}`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::auth::AdminAuth;
use crate::audit::{self, AuditEntryExt};
use crate::error::ApiError;
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
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::invalid_json(format!("invalid JSON body: {e}")))?
    };
    let keys = state.keys().clone();
    let revoke = request.revoke_previous;
    let kid = state.db.run(move |conn| keys.rotate(conn, revoke)).await?;
    let e = audit::entry("key_rotation", "success", admin.client_id, kid.clone())
        .detail(json!({ "revoke_previous": revoke }));
    audit::record(&state, e).await;
    Ok(HttpResponse::Ok().json(json!({ "kid": kid, "revoke_previous": revoke })))
}
