//! `GET /api/dashboards/{slug}/data?<filters>&limit&cursor`: filtered rows, paginated.

use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::error::ErrorCode;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

const DEFAULT_LIMIT: usize = 100;

pub async fn get_dashboard_data(
    state: SharedState,
    scope: TenantScope,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let service = &state.dashboards;
    state
        .limits
        .check_tenant(&scope.tenant_id().to_string())
        .await?;
    let dashboard = service.load(&state.db, &scope, &slug).await?;
    let (filters, own) =
        service.parse_query(&dashboard, req.query_string(), &["limit", "cursor"])?;
    let mut limit = DEFAULT_LIMIT;
    let mut cursor = None;
    let mut seen = std::collections::HashSet::new();
    for (key, value) in own {
        if !seen.insert(key.clone()) {
            return Err(ApiError::BadRequest(
                ErrorCode::InvalidFilter,
                format!("{key} given more than once"),
            ));
        }
        match key.as_str() {
            "limit" => {
                limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=kyros_engine::MAX_PAGE_ROWS).contains(n))
                    .ok_or_else(|| {
                        ApiError::BadRequest(
                            ErrorCode::InvalidFilter,
                            format!(
                                "limit must be between 1 and {}",
                                kyros_engine::MAX_PAGE_ROWS
                            ),
                        )
                    })?;
            }
            _ => {
                if value.len() > 512 {
                    return Err(ApiError::BadRequest(
                        ErrorCode::InvalidFilter,
                        "cursor is invalid".into(),
                    ));
                }
                cursor = Some(value);
            }
        }
    }
    let page = service
        .rows(&scope, &dashboard, filters, limit, cursor)
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
