//! `GET /api/dashboards/{slug}/charts?<filters>`: every chart's ECharts option.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::routes::json_body;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

pub async fn get_dashboard_charts(
    state: SharedState,
    scope: TenantScope,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    Ok(json_body(
        state
            .dashboards
            .charts(&scope, &slug, req.query_string())
            .await?,
    ))
}
