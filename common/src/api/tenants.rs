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
