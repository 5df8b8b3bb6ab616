//! The audit trail (`audit_logs`): append-only records of security-relevant actions.

use diesel::prelude::*;
use kyros_common::ids::{TenantId, UserId};

use super::schema::audit_logs;
use super::{DbConnection, StoreResult};

/// One audit record to append. Never holds a token or a password.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub tenant_id: Option<TenantId>,
    pub user_id: Option<UserId>,
    pub actor: String,
    pub action: &'static str,
    pub target: String,
    pub outcome: &'static str,
    pub request_id: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_logs)]
pub struct AuditRow {
    pub id: i64,
    pub at: chrono::NaiveDateTime,
    pub tenant_id: Option<String>,
    pub user_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub request_id: String,
    pub detail_json: String,
}

pub fn append(conn: &mut DbConnection, entry: &AuditEntry) -> StoreResult<()> {
    diesel::insert_into(audit_logs::table)
        .values((
            audit_logs::at.eq(super::now()),
            audit_logs::tenant_id.eq(entry.tenant_id.map(|t| t.to_string())),
            audit_logs::user_id.eq(entry.user_id.map(|u| u.to_string())),
            audit_logs::actor.eq(&entry.actor),
            audit_logs::action.eq(entry.action),
            audit_logs::target.eq(&entry.target),
            audit_logs::outcome.eq(entry.outcome),
            audit_logs::request_id.eq(&entry.request_id),
            audit_logs::detail_json.eq(entry.detail.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Newest first, optionally for one tenant and since a time.
pub fn list(
    conn: &mut DbConnection,
    tenant: Option<TenantId>,
    since: Option<chrono::NaiveDateTime>,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    let mut query = audit_logs::table.into_boxed();
    if let Some(tenant) = tenant {
        query = query.filter(audit_logs::tenant_id.eq(tenant.to_string()));
    }
    if let Some(since) = since {
        query = query.filter(audit_logs::at.ge(since));
    }
    Ok(query
        .order((audit_logs::at.desc(), audit_logs::id.desc()))
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}

/// Erasure: the user's email (and name) leave the audit trail. Entries keep the user id
/// (`user_id`, and `user:<id>` where the email was the actor or target); details that
/// mention the email are replaced.
pub fn scrub_user(conn: &mut DbConnection, user: UserId, email: &str) -> StoreResult<usize> {
    let label = format!("user:{user}");
    let mut n = diesel::update(audit_logs::table.filter(audit_logs::actor.eq(email)))
        .set(audit_logs::actor.eq(&label))
        .execute(conn)?;
    n += diesel::update(audit_logs::table.filter(audit_logs::target.eq(email)))
        .set(audit_logs::target.eq(&label))
        .execute(conn)?;
    let escaped: String = email
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    let pattern = format!("%{escaped}%");
    n += diesel::update(
        audit_logs::table.filter(audit_logs::detail_json.like(pattern).escape('\\')),
    )
    .set(audit_logs::detail_json.eq(r#"{"erased":true}"#))
    .execute(conn)?;
    Ok(n)
}
