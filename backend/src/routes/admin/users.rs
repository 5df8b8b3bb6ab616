//! Role grants and user (de)activation.

use actix_web::{web, HttpResponse};
use diesel::Connection;
use kyros_common::api::tenants::Role;
use serde::Deserialize;
use serde_json::json;

use super::auth::AdminAuth;
use super::tenants::parse_tenant_id;
use crate::audit::{self, AuditEntryExt};
use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::users::{self, UserRow};
use crate::store::{audit as audit_store, memberships, tenants, StoreError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantRole {
    pub role: Role,
}

async fn user_or_404(state: &SharedState, email: &str) -> Result<UserRow, ApiError> {
    if email.len() > 320 || email.chars().any(char::is_control) {
        return Err(ApiError::not_found("no such user"));
    }
    let email = email.to_owned();
    state
        .db
        .run(move |conn| users::find_by_email(conn, &email))
        .await?
        .ok_or_else(|| ApiError::not_found("no such user"))
}

/// `PUT /admin/tenants/{id}/users/{email}` `{"role": "admin"|"viewer"}`.
pub async fn grant_role(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
    body: web::Json<GrantRole>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, email) = path.into_inner();
    let tenant_id = parse_tenant_id(&raw_id)?;
    let user = user_or_404(&state, &email).await?;
    let user_id = user
        .user_id()
        .ok_or_else(|| ApiError::internal("bad user id"))?;
    let role = body.role;
    let actor = admin.client_id;
    let email = user.email.clone();
    let previous = state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                if tenants::find_by_id(conn, tenant_id)?.is_none() {
                    return Ok(None);
                }
                let previous = memberships::grant(conn, user_id, tenant_id, role)?;
                let e = audit::entry("role_grant", "success", actor, email)
                    .tenant(Some(tenant_id))
                    .user(Some(user_id))
                    .detail(
                        json!({ "before": previous.map(|r| r.as_str()), "after": role.as_str() }),
                    );
                audit_store::append(conn, &e)?;
                Ok::<_, StoreError>(Some(previous))
            })
        })
        .await?
        .ok_or_else(|| ApiError::not_found("no such tenant"))?;
    Ok(HttpResponse::Ok().json(json!({
        "tenant_id": tenant_id,
        "email": user.email,
        "role": role.as_str(),
        "previous_role": previous.map(|r| r.as_str()),
    })))
}

/// `DELETE /admin/tenants/{id}/users/{email}`.
pub async fn revoke_role(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, email) = path.into_inner();
    let tenant_id = parse_tenant_id(&raw_id)?;
    let user = user_or_404(&state, &email).await?;
    let user_id = user
        .user_id()
        .ok_or_else(|| ApiError::internal("bad user id"))?;
    let actor = admin.client_id;
    let email = user.email.clone();
    let removed = state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let previous = memberships::active_role(conn, user_id, tenant_id)?;
                let removed = memberships::revoke(conn, user_id, tenant_id)?;
                if removed {
                    let e = audit::entry("role_revoke", "success", actor, email)
                        .tenant(Some(tenant_id))
                        .user(Some(user_id))
                        .detail(json!({ "before": previous.map(|r| r.as_str()), "after": null }));
                    audit_store::append(conn, &e)?;
                }
                Ok::<_, StoreError>(removed)
            })
        })
        .await?;
    if removed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("the user has no role in this tenant"))
    }
}

/// `POST /admin/users/{email}/activate` and `…/deactivate`.
pub async fn set_user_active(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (email, action) = path.into_inner();
    let active = action == "activate";
    let user = user_or_404(&state, &email).await?;
    let user_id = user
        .user_id()
        .ok_or_else(|| ApiError::internal("bad user id"))?;
    let e = audit::entry(
        if active {
            "user_activate"
        } else {
            "user_deactivate"
        },
        "success",
        admin.client_id,
        user.email.clone(),
    )
    .user(Some(user_id))
    .detail(json!({ "before": { "is_active": user.is_active }, "after": { "is_active": active } }));
    state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                users::set_active(conn, user_id, active)?;
                audit_store::append(conn, &e)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "email": user.email, "is_active": active })))
}
