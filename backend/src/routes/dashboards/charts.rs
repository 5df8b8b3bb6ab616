//! `GET /api/dashboards/{slug}/charts?<filters>`: every chart's ECharts option.

use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::api::dashboards::DashboardCharts;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

/// Loads, filters and computes the dashboard's charts for the scope.
pub async fn dashboard_charts(
    state: &SharedState,
    scope: &TenantScope,
    slug: &str,
    query: &str,
) -> Result<DashboardCharts, ApiError> {
    let service = &state.dashboards;
    state
        .limits
        .check_tenant(&scope.tenant_id().to_string())
        .await?;
    let dashboard = service.load(&state.db, scope, slug).await?;
    let (filters, _) = service.parse_query(&dashboard, query, &[])?;
    let (charts, cached) = service.charts(scope, &dashboard, &filters).await?;
    let result = if cached { "hit" } else { "miss" };
    state
        .metrics
        .cache_requests
        .with_label_values(&[result])
        .inc();
    Ok(DashboardCharts {
        dashboard: dashboard.row.slug.clone(),
        filters: filters.to_state(),
        charts,
    })
}

pub async fn get_dashboard_charts(
    state: SharedState,
    scope: TenantScope,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let body = dashboard_charts(&state, &scope, &slug, req.query_string()).await?;
    Ok(HttpResponse::Ok().json(body))
}
