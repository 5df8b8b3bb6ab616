//! `GET /api/tenant/{tenant_id}/audit?since=&limit=`: the tenant's audit slice, for its
//! admins, newest first; read under row-level security.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::error::ApiError;
use crate::state::SharedState;
use crate::tenancy::TenantScope;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantAuditQuery {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

pub async fn tenant_audit(
    state: SharedState,
    scope: TenantScope,
    query: web::Query<TenantAuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let rows = state
        .audit
        .list_for_tenant(&scope, query.since.as_deref(), query.limit)
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}
