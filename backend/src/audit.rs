//! The audit trail: recording security-relevant events and reading them back.
//!
//! Events that change nothing else (a login, a denied exchange, a view) are recorded
//! through [`AuditLog::record`]; changes made by the admin API append their entry in the
//! same transaction as the change (`store::audit::append`). Entries never contain a token
//! or a password.
//!
//! Reading: operators read everything through the privileged path; a tenant admin reads
//! their tenant's slice through the tenant-scoped path, so PostgreSQL row-level security
//! guards it even if the query's own filter were wrong.

use kyros_common::api::audit::AuditRecord;
use kyros_common::ids::{TenantId, UserId};
use serde_json::Value;

use crate::request_id;
use crate::store::audit::{self as audit_store, AuditEntry, AuditRow};
use crate::store::{Db, StoreError};
use crate::tenancy::scope::{Scope, TenantScope};

/// Builds an entry stamped with the current request id.
pub fn entry(
    action: &'static str,
    outcome: &'static str,
    actor: impl Into<String>,
    target: impl Into<String>,
) -> AuditEntry {
    AuditEntry {
        tenant_id: None,
        user_id: None,
        actor: actor.into(),
        action,
        target: target.into(),
        outcome,
        request_id: request_id::current().unwrap_or_default(),
        detail: Value::Object(Default::default()),
    }
}

pub trait AuditEntryExt {
    fn tenant(self, tenant: Option<TenantId>) -> Self;
    fn user(self, user: Option<UserId>) -> Self;
    fn detail(self, detail: Value) -> Self;
}

impl AuditEntryExt for AuditEntry {
    fn tenant(mut self, tenant: Option<TenantId>) -> Self {
        self.tenant_id = tenant;
        self
    }
    fn user(mut self, user: Option<UserId>) -> Self {
        self.user_id = user;
        self
    }
    fn detail(mut self, detail: Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Why an audit read was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("this action needs the admin role in this tenant")]
    NotAdmin,
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Filters of an audit read.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub tenant: Option<String>,
    pub since: Option<String>,
    pub limit: Option<i64>,
}

/// Records and reads the audit trail.
#[derive(Clone)]
pub struct AuditLog {
    db: Db,
}

impl AuditLog {
    pub fn new(db: Db) -> Self {
        AuditLog { db }
    }

    /// Appends an entry. The writer is infrastructure, not request work, so it writes as
    /// the owner role (row-level security restricts what request work may *read*). A
    /// failure is logged, never shown to the caller.
    pub async fn record(&self, entry: AuditEntry) {
        let action = entry.action;
        let request_id = entry.request_id.clone();
        if let Err(e) = self
            .db
            .run(move |conn| audit_store::append(conn, &entry))
            .await
        {
            tracing::error!(request_id = %request_id, error = %e, action, "audit write failed");
        }
    }

    /// Every tenant's events (operators), newest first.
    pub async fn list_all(&self, query: AuditQuery) -> Result<Vec<AuditRecord>, AuditError> {
        let tenant = query
            .tenant
            .as_deref()
            .map(|t| {
                t.parse::<TenantId>()
                    .map_err(|_| AuditError::Invalid("tenant must be a UUID"))
            })
            .transpose()?;
        let since = query.since.as_deref().map(parse_since).transpose()?;
        let limit = parse_limit(query.limit)?;
        let rows = self
            .db
            .run(move |conn| audit_store::list(conn, tenant, since, limit))
            .await?;
        Ok(rows.into_iter().map(record_of).collect())
    }

    /// The scope's tenant's events (its admins only), read under row-level security,
    /// newest first.
    pub async fn list_for_tenant(
        &self,
        scope: &TenantScope,
        since: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Vec<AuditRecord>, AuditError> {
        if !scope.is_admin() {
            return Err(AuditError::NotAdmin);
        }
        let since = since.map(parse_since).transpose()?;
        let limit = parse_limit(limit)?;
        let tenant = scope.tenant_id();
        let rows = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                audit_store::list(conn, Some(tenant), since, limit)
            })
            .await?;
        Ok(rows.into_iter().map(record_of).collect())
    }
}

fn record_of(r: AuditRow) -> AuditRecord {
    AuditRecord {
        id: r.id,
        at: r.at.and_utc().to_rfc3339(),
        tenant_id: r.tenant_id,
        user_id: r.user_id,
        actor: r.actor,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        request_id: r.request_id,
        detail: serde_json::from_str(&r.detail_json).unwrap_or(Value::Null),
    }
}

fn parse_since(raw: &str) -> Result<chrono::NaiveDateTime, AuditError> {
    if let Ok(ts) = raw.parse::<i64>() {
        return chrono::DateTime::from_timestamp(ts, 0)
            .map(|d| d.naive_utc())
            .ok_or(AuditError::Invalid("since is out of range"));
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|d| d.naive_utc())
        .map_err(|_| AuditError::Invalid("since must be RFC 3339 or seconds since the epoch"))
}

fn parse_limit(limit: Option<i64>) -> Result<i64, AuditError> {
    match limit {
        None => Ok(100),
        Some(n) if (1..=1000).contains(&n) => Ok(n),
        Some(_) => Err(AuditError::Invalid("limit must be between 1 and 1000")),
    }
}
