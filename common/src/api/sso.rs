//! Single sign-on over OpenID Connect: the per-tenant identity provider an operator
//! configures (`PUT /admin/tenants/{id}/identity-provider`).

use serde::{Deserialize, Serialize};

use super::tenants::Role;
use crate::ids::TenantId;

/// Just-in-time provisioning: whether someone the provider vouches for (an email in one
/// of the provider's domains) but who has no Kyros account yet gets one on first sign-in,
/// and with which role in the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JitProvisioning {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "viewer")]
    pub default_role: Role,
}

fn viewer() -> Role {
    Role::Viewer
}

impl Default for JitProvisioning {
    fn default() -> Self {
        JitProvisioning {
            enabled: false,
            default_role: Role::Viewer,
        }
    }
}

/// `PUT /admin/tenants/{id}/identity-provider`: replaces the tenant's provider.
/// `client_secret` may be left out to keep the stored one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityProviderRequest {
    /// The provider's issuer (`https://…`; its discovery document is at
    /// `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Email domains that belong to this tenant: people with such an address are sent to
    /// this provider, and the provider may only vouch for such addresses.
    pub email_domains: Vec<String>,
    #[serde(default)]
    pub jit: JitProvisioning,
}

/// A tenant's identity provider as the admin API shows it (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityProvider {
    pub id: String,
    pub tenant_id: TenantId,
    pub issuer: String,
    pub client_id: String,
    pub client_secret_set: bool,
    pub email_domains: Vec<String>,
    pub jit: JitProvisioning,
    /// The redirect URI to register at the provider (`…/bff/sso/callback`).
    pub redirect_url: String,
    pub updated_at: String,
}
