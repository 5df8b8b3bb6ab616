//! Role grants and user (de)activation.

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::admin::GrantRole;
use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::state::SharedState;

/// `PUT /admin/tenants/{id}/users/{email}` `{"role": "admin"|"viewer"}`.
pub async fn grant_role(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
    body: JsonObject<GrantRole>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, email) = path.into_inner();
    let granted = state
        .admin
        .grant_role(admin.client_id, &raw_id, &email, body.role)
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "tenant_id": granted.tenant_id,
        "email": granted.email,
        "role": granted.role.as_str(),
        "previous_role": granted.previous.map(|r| r.as_str()),
    })))
}

/// `DELETE /admin/tenants/{id}/users/{email}`.
pub async fn revoke_role(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, email) = path.into_inner();
    state
        .admin
        .revoke_role(admin.client_id, &raw_id, &email)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /admin/users/{email}/activate` and `…/deactivate`.
pub async fn set_user_active(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (email, action) = path.into_inner();
    let active = action == "activate";
    let email = state
        .admin
        .set_user_active(admin.client_id, &email, active)
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "email": email, "is_active": active })))
}
