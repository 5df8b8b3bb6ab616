//! `GET /admin/audit?tenant=&since=&limit=`: the audit trail of every tenant, newest first.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::audit::AuditQuery;
use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::state::SharedState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminAuditQuery {
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

pub async fn admin_audit(
    state: SharedState,
    _admin: AdminAuth,
    query: web::Query<AdminAuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let AdminAuditQuery {
        tenant,
        since,
        limit,
    } = query.into_inner();
    let rows = state
        .audit
        .list_all(AuditQuery {
            tenant,
            since,
            limit,
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}
