//! `GET /api/tenant/{tenant_id}/dashboards`: the dashboards assigned to the tenant.

use actix_web::HttpResponse;
use kyros_common::api::dashboards::DashboardSummary;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::{dashboards, Scope};
use crate::tenancy::TenantScope;

/// Dashboards of the scope's tenant as wire summaries.
pub async fn summaries(
    state: &SharedState,
    scope: &TenantScope,
) -> Result<Vec<DashboardSummary>, ApiError> {
    let tenant_id = scope.tenant_id();
    let rows = state
        .db
        .run_scoped(Scope::Tenant(tenant_id), move |conn| {
            dashboards::for_tenant(conn, tenant_id)
        })
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|d| {
            Some(DashboardSummary {
                id: d.id.parse().ok()?,
                slug: d.slug,
                title: d.title,
                description: d.description,
            })
        })
        .collect())
}

pub async fn list_tenant_dashboards(
    state: SharedState,
    scope: TenantScope,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(summaries(&state, &scope).await?))
}
