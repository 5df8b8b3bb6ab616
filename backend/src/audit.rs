//! Recording the audit trail. Entries never contain a token or a password.

use kyros_common::ids::{TenantId, UserId};
use serde_json::Value;

use crate::request_context::current_request_id;
use crate::state::SharedState;
use crate::store::audit::{self, AuditEntry};
use crate::store::Scope;

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
        request_id: current_request_id().unwrap_or_default(),
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

/// Appends an entry outside any other transaction (for events that change nothing else,
/// such as a login or a denied request). A failure is logged, never shown to the caller.
pub async fn record(state: &SharedState, entry: AuditEntry) {
    let action = entry.action;
    let request_id = entry.request_id.clone();
    // Written in the scope of the tenant the event concerns (row-level security lets
    // request work write a tenant's events only there); events without one as a service.
    let scope = entry.tenant_id.map_or(Scope::Service, Scope::Tenant);
    if let Err(e) = state
        .db
        .run_scoped(scope, move |conn| audit::append(conn, &entry))
        .await
    {
        tracing::error!(request_id = %request_id, error = %e, action, "audit write failed");
    }
}
