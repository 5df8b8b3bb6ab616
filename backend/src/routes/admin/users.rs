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

/// Paging parameters of directory lists.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryParams {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// `GET /admin/users?email=&cursor=&limit=`.
pub async fn list_users(
    state: SharedState,
    _admin: AdminAuth,
    query: web::Query<DirectoryParams>,
) -> Result<HttpResponse, ApiError> {
    let DirectoryParams {
        email,
        cursor,
        limit,
    } = query.into_inner();
    let page = state
        .users
        .directory(crate::users::DirectoryQuery {
            email,
            cursor,
            limit,
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `POST /admin/users`: a new account with memberships and a one-time invitation link.
pub async fn create_user(
    state: SharedState,
    admin: AdminAuth,
    body: JsonObject<kyros_common::api::users::CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let created = state
        .users
        .create_user(admin.client_id, body.into_inner())
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// `PATCH /admin/users/{id}` `{"is_active"?, "name"?}`.
pub async fn update_user(
    state: SharedState,
    admin: AdminAuth,
    id: web::Path<String>,
    body: JsonObject<kyros_common::api::users::UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        state
            .users
            .update_user(admin.client_id, &id, body.into_inner())
            .await?,
    ))
}

/// `DELETE /admin/users/{id}`: erasure.
pub async fn erase_user(
    state: SharedState,
    admin: AdminAuth,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.users.erase_user(admin.client_id, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
