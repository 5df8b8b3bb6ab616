//! `GET /api/tenant/{tenant_id}/dashboards`: the dashboards assigned to the tenant.

use actix_web::HttpResponse;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

pub async fn list_tenant_dashboards(
    state: SharedState,
    scope: TenantScope,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.dashboards.list(&scope).await?))
}
