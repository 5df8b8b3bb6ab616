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
}

/// `POST /bff/tenant`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectTenantRequest {
    /// Tenant slug.
    pub tenant: String,
}
