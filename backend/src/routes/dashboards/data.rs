//! `GET /api/dashboards/{slug}/data?<filters>&limit&cursor`: filtered rows, paginated.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

pub async fn get_dashboard_data(
    state: SharedState,
    scope: TenantScope,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        state
            .dashboards
            .rows(&scope, &slug, req.query_string())
            .await?,
    ))
}
