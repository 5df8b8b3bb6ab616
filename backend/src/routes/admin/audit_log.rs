//! Reading the audit trail: `GET /admin/audit?tenant=&since=&limit=` (all tenants) and
//! `GET /api/tenant/{tenant_id}/audit` (a tenant admin, own tenant only). Newest first.

use actix_web::{web, HttpResponse};
use kyros_common::ids::TenantId;
use serde::{Deserialize, Serialize};

use super::auth::AdminAuth;
use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::audit::{self, AuditRow};
use crate::tenancy::TenantScope;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct AuditOut {
    pub id: i64,
    pub at: String,
    pub tenant_id: Option<String>,
    pub user_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub request_id: String,
    pub detail: serde_json::Value,
}

impl From<AuditRow> for AuditOut {
    fn from(r: AuditRow) -> Self {
        AuditOut {
            id: r.id,
            at: r.at.and_utc().to_rfc3339(),
            tenant_id: r.tenant_id,
            user_id: r.user_id,
            actor: r.actor,
            action: r.action,
            target: r.target,
            outcome: r.outcome,
            request_id: r.request_id,
            detail: serde_json::from_str(&r.detail_json).unwrap_or(serde_json::Value::Null),
        }
    }
}

fn parse_since(raw: &str) -> Result<chrono::NaiveDateTime, ApiError> {
    if let Ok(ts) = raw.parse::<i64>() {
        return chrono::DateTime::from_timestamp(ts, 0)
            .map(|d| d.naive_utc())
            .ok_or_else(|| ApiError::bad_request("since is out of range"));
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|d| d.naive_utc())
        .map_err(|_| ApiError::bad_request("since must be RFC 3339 or seconds since the epoch"))
}

fn parse_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    match limit {
        None => Ok(100),
        Some(n) if (1..=1000).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_request("limit must be between 1 and 1000")),
    }
}

async fn list(
    state: &SharedState,
    tenant: Option<TenantId>,
    since: Option<&str>,
    limit: Option<i64>,
) -> Result<Vec<AuditOut>, ApiError> {
    let since = since.map(parse_since).transpose()?;
    let limit = parse_limit(limit)?;
    let rows = state
        .db
        .run(move |conn| audit::list(conn, tenant, since, limit))
        .await?;
    Ok(rows.into_iter().map(AuditOut::from).collect())
}

/// `GET /admin/audit`.
pub async fn admin_audit(
    state: SharedState,
    _admin: AdminAuth,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = query
        .tenant
        .as_deref()
        .map(|t| {
            t.parse::<TenantId>()
                .map_err(|_| ApiError::bad_request("tenant must be a UUID"))
        })
        .transpose()?;
    Ok(HttpResponse::Ok().json(list(&state, tenant, query.since.as_deref(), query.limit).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantAuditQuery {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// `GET /api/tenant/{tenant_id}/audit`: role `admin` in that tenant required.
pub async fn tenant_audit(
    state: SharedState,
    scope: TenantScope,
    query: web::Query<TenantAuditQuery>,
) -> Result<HttpResponse, ApiError> {
    scope.require_admin()?;
    Ok(HttpResponse::Ok().json(
        list(
            &state,
            Some(scope.tenant_id()),
            query.since.as_deref(),
            query.limit,
        )
        .await?,
    ))
}
