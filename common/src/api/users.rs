//! People: tenant members, invitations, passwords, one's own sessions, and the
//! operators' user directory.

use serde::{Deserialize, Serialize};

use crate::api::tenants::Role;
use crate::ids::{TenantId, UserId};

/// Where a member stands in a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Added or invited, and has not signed in since.
    Invited,
    Active,
    /// The account is deactivated.
    Inactive,
}

/// A member of one tenant (`GET /api/tenant/{tenant_id}/users`, `GET /bff/tenant/users`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: MemberStatus,
    /// RFC 3339; only once the member has signed in since joining this tenant.
    pub last_sign_in: Option<String>,
}

/// `POST /api/tenant/{tenant_id}/users`, `POST /bff/tenant/users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteMember {
    pub email: String,
    pub role: Role,
}

/// `PATCH /api/tenant/{tenant_id}/users/{user_id}`, `PATCH /bff/tenant/users/{user_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRole {
    pub role: Role,
}

/// `POST /api/auth/password/change`, `POST /bff/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/auth/invitations/accept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /api/auth/password/forgot`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForgotPassword {
    pub email: String,
}

/// `POST /api/auth/password/reset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    pub token: String,
    pub password: String,
}

/// A plain acknowledgement (`POST /api/auth/password/forgot` answers it whatever the
/// email, so it reveals nothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acknowledged {
    pub status: String,
    pub message: String,
}

/// One of the signed-in user's browser sessions (`GET /bff/sessions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub user_agent: String,
    pub current: bool,
}

/// A membership as operators set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipGrant {
    pub tenant_id: TenantId,
    pub role: Role,
}

/// `POST /admin/users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub memberships: Vec<MembershipGrant>,
}

/// `PATCH /admin/users/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default)]
    pub is_active: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
}

/// A user as operators see it (`GET /admin/users`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub is_active: bool,
    /// Whether a password (or an identity-provider link) lets the user sign in yet.
    pub invitation_pending: bool,
    pub created_at: String,
    pub last_sign_in: Option<String>,
    pub memberships: Vec<MembershipGrant>,
}

/// `POST /admin/users` response: the user and the one-time invitation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub user: DirectoryUser,
    pub invitation_url: String,
    pub invitation_expires_at: String,
}

/// A page of a cursor-paginated list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque; pass back as `cursor` for the next page. Absent on the last page.
    pub next_cursor: Option<String>,
}
