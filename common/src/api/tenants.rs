//! Tenants as users see them.

use serde::{Deserialize, Serialize};

use crate::ids::TenantId;

/// Branding shown in the shell's app bar.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Branding {
    pub display_name: String,
    /// CSS colour, `#rrggbb`.
    pub primary_color: String,
    /// URL or `data:` URI of the logo; may be empty.
    #[serde(default)]
    pub logo_url: String,
}

/// Role of a user within one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Viewer,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }
}

/// A tenant the caller may use, with their role in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantMembership {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub role: Role,
    pub branding: Branding,
    /// The tenant requires multi-factor authentication of its members.
    #[serde(default)]
    pub mfa_required: bool,
}

/// `GET /api/tenant/{tenant_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantDetail {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub role: Role,
    pub branding: Branding,
    #[serde(default)]
    pub features: std::collections::BTreeMap<String, bool>,
}

/// A tenant's configuration (`tenants.config_json`): branding, feature flags, hidden
/// charts per dashboard, threshold overrides. Validated on write, read leniently.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    #[serde(default)]
    pub branding: Option<Branding>,
    #[serde(default)]
    pub features: std::collections::BTreeMap<String, bool>,
    /// Chart ids hidden for this tenant, per dashboard slug.
    #[serde(default)]
    pub hidden_components: std::collections::BTreeMap<String, Vec<String>>,
    /// Overrides of dashboard thresholds (e.g. `clv_high`, `risk_critical`).
    #[serde(default)]
    pub thresholds: std::collections::BTreeMap<String, f64>,
}
