//! Tenant administration: create, configure, assign dashboards, (de)activate.

use actix_web::{web, HttpResponse};
use kyros_common::api::tenants::TenantConfig;
use serde_json::json;

use crate::admin::{AssignDashboards, CreateTenant};
use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::state::SharedState;

/// `POST /admin/tenants`.
pub async fn create_tenant(
    state: SharedState,
    admin: AdminAuth,
    body: JsonObject<CreateTenant>,
) -> Result<HttpResponse, ApiError> {
    let out = state
        .admin
        .create_tenant(admin.client_id, body.into_inner())
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// `POST /admin/tenants/{id}/metadata`: replaces the tenant's configuration.
pub async fn set_tenant_metadata(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: JsonObject<TenantConfig>,
) -> Result<HttpResponse, ApiError> {
    let out = state
        .admin
        .set_tenant_config(admin.client_id, &path, body.into_inner())
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// `POST /admin/tenants/{id}/dashboards`.
pub async fn assign_dashboards(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: JsonObject<AssignDashboards>,
) -> Result<HttpResponse, ApiError> {
    let (id, after) = state
        .admin
        .assign_dashboards(admin.client_id, &path, body.into_inner())
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "tenant_id": id, "dashboards": after })))
}

/// `POST /admin/tenants/{id}/activate` and `…/deactivate`.
pub async fn set_tenant_active(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, action) = path.into_inner();
    let active = action == "activate";
    let (id, slug) = state
        .admin
        .set_tenant_active(admin.client_id, &raw_id, active)
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "id": id, "slug": slug, "is_active": active })))
}

/// Paging parameters of `GET /admin/tenants`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantListParams {
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// `GET /admin/tenants?cursor=&limit=`.
pub async fn list_tenants(
    state: SharedState,
    _admin: AdminAuth,
    query: web::Query<TenantListParams>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        state
            .admin
            .list_tenants(query.cursor.as_deref(), query.limit)
            .await?,
    ))
}
