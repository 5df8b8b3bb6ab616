//! `GET /api/dashboards/{slug}/charts?<filters>`: every chart's ECharts option.

use actix_web::http::header::ContentType;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

/// Loads, filters and computes the dashboard's charts for the scope: the JSON body of
/// a `DashboardCharts` (`kyros_common::api::dashboards`), cached whole.
pub async fn dashboard_charts(
    state: &SharedState,
    scope: &TenantScope,
    slug: &str,
    query: &str,
) -> Result<Bytes, ApiError> {
    let service = &state.dashboards;
    state
        .limits
        .check_tenant(&scope.tenant_id().to_string())
        .await?;
    let dashboard = service.load(&state.db, scope, slug).await?;
    let (filters, _) = service.parse_query(&dashboard, query, &[])?;
    let (body, cached) = service.charts_response(scope, &dashboard, &filters).await?;
    let result = if cached { "hit" } else { "miss" };
    state
        .metrics
        .cache_requests
        .with_label_values(&[result])
        .inc();
    Ok(body)
}

/// A 200 with a JSON body serialised earlier.
pub fn json_body(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body)
}

pub async fn get_dashboard_charts(
    state: SharedState,
    scope: TenantScope,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let body = dashboard_charts(&state, &scope, &slug, req.query_string()).await?;
    Ok(json_body(body))
}
