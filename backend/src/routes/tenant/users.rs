//! A tenant admin's people (`/api/tenant/{tenant_id}/users…`, scoped token, role admin).

use actix_web::{web, HttpResponse};
use kyros_common::api::users::{ChangeRole, InviteMember};

use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

/// `GET /api/tenant/{tenant_id}/users`.
pub async fn list_members(
    state: SharedState,
    scope: TenantScope,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.users.members(&scope).await?))
}

/// `POST /api/tenant/{tenant_id}/users`.
pub async fn invite_member(
    state: SharedState,
    scope: TenantScope,
    body: JsonObject<InviteMember>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(state.users.invite(&scope, body.into_inner()).await?))
}

/// `PATCH /api/tenant/{tenant_id}/users/{user_id}`.
pub async fn change_member_role(
    state: SharedState,
    scope: TenantScope,
    path: web::Path<(String, String)>,
    body: JsonObject<ChangeRole>,
) -> Result<HttpResponse, ApiError> {
    let (_, member) = path.into_inner();
    Ok(HttpResponse::Ok().json(state.users.change_role(&scope, &member, body.role).await?))
}

/// `DELETE /api/tenant/{tenant_id}/users/{user_id}`.
pub async fn remove_member(
    state: SharedState,
    scope: TenantScope,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, member) = path.into_inner();
    state.users.remove_member(&scope, &member).await?;
    Ok(HttpResponse::NoContent().finish())
}
