//! `GET /api/tenant/{tenant_id}`.

use actix_web::HttpResponse;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

pub async fn show_tenant(state: SharedState, scope: TenantScope) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.tenancy.tenant_detail(&scope).await?))
}
