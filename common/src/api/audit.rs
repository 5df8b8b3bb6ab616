//! The audit trail as operators and tenant admins read it.

use serde::{Deserialize, Serialize};

/// One audit record (`GET /admin/audit`, `GET /api/tenant/{tenant_id}/audit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    /// RFC 3339, UTC.
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
