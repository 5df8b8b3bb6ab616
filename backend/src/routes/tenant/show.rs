//! `GET /api/tenant/{tenant_id}`.

use actix_web::HttpResponse;
use kyros_common::api::tenants::TenantDetail;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::{tenants, Scope};
use crate::tenancy::TenantScope;

pub async fn show_tenant(state: SharedState, scope: TenantScope) -> Result<HttpResponse, ApiError> {
    let tenant_id = scope.tenant_id();
    let tenant = state
        .db
        .run_scoped(Scope::Tenant(tenant_id), move |conn| {
            tenants::find_by_id(conn, tenant_id)
        })
        .await?
        .ok_or_else(|| ApiError::not_found("tenant not found"))?;
    Ok(HttpResponse::Ok().json(TenantDetail {
        id: tenant_id,
        branding: tenant.branding(),
        features: tenant.config().features,
        slug: tenant.slug,
        name: tenant.name,
        role: scope.role(),
    }))
}
