//! Who am I: `GET /api/me` and `GET /bff/me`.

use serde::{Deserialize, Serialize};

use crate::api::tenants::TenantMembership;
use crate::ids::UserId;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: UserId,
    pub email: String,
}

/// `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeResponse {
    pub user: UserInfo,
    pub tenants: Vec<TenantMembership>,
}

/// `GET /bff/me`, `POST /bff/login`, `POST /bff/tenant`: the session as the shell sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: UserInfo,
    pub tenants: Vec<TenantMembership>,
    /// The tenant selected in this session, if any. Never in a URL.
    pub active_tenant: Option<TenantMembership>,
    /// Whether the user has multi-factor authentication on.
    #[serde(default)]
    pub mfa_enabled: bool,
    /// Whether this sign-in used a second factor (or the organisation's identity
    /// provider): tenants that require MFA need it.
    #[serde(default)]
    pub second_factor: bool,
}

/// `POST /bff/login`: the session, or (for a user with MFA) a request for the code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LoginAnswer {
    MfaRequired(crate::api::auth::MfaRequired),
    SignedIn(SessionInfo),
}

/// `POST /bff/tenant`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectTenantRequest {
    /// Tenant slug.
    pub tenant: String,
}
