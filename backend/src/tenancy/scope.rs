//! The proofs that tenant work is allowed, as types.
//!
//! - [`TenantScope`]: a caller whose tenant-scoped token was validated and whose
//!   membership was confirmed active. Its fields are private and its only constructor is
//!   visible to `tenancy` alone, where it follows that validation
//!   (`Tenancy::scope_from_token`): tenant-scoped code cannot be handed a tenant id from
//!   anywhere else.
//! - [`Scope`]: whose rows a unit of store work may see (PostgreSQL row-level security,
//!   `store::Db::run_scoped`). Its tenant variant holds a [`TenantGrant`], which only a
//!   `TenantScope` can produce (`Scope::from(&scope)`): no handler can open a tenant
//!   transaction for a tenant id it read from input.
//!
//! A leaf: imports nothing else of the crate, so the store can name these types.

use kyros_common::api::tenants::Role;
use kyros_common::ids::{TenantId, UserId};

#[derive(Debug, Clone)]
pub struct TenantScope {
    tenant_id: TenantId,
    user_id: UserId,
    email: String,
    role: Role,
}

impl TenantScope {
    /// Only `tenancy` builds scopes, after validating a token and the membership.
    pub(super) fn confirmed(
        tenant_id: TenantId,
        user_id: UserId,
        email: String,
        role: Role,
    ) -> Self {
        TenantScope {
            tenant_id,
            user_id,
            email,
            role,
        }
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }
    pub fn user_id(&self) -> UserId {
        self.user_id
    }
    pub fn email(&self) -> &str {
        &self.email
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A tenant whose rows store work may see; made only from a [`TenantScope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantGrant(TenantId);

impl TenantGrant {
    pub fn tenant_id(&self) -> TenantId {
        self.0
    }
}

/// Whose rows a unit of request work may see (PostgreSQL row-level security).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No tenant and no user: tables without tenant rows only (sessions, keys).
    Service,
    /// One user's identity work (login, `/api/me`, token exchange, the membership check):
    /// that user's memberships and the tenants they belong to, no tenant's data.
    User(UserId),
    /// Everything of one tenant (and nothing of any other).
    Tenant(TenantGrant),
}

impl From<&TenantScope> for Scope {
    fn from(scope: &TenantScope) -> Self {
        Scope::Tenant(TenantGrant(scope.tenant_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_scope_grants_exactly_its_own_tenant() {
        let tenant = TenantId::new_random();
        let scope =
            TenantScope::confirmed(tenant, UserId::new_random(), "a@b.c".into(), Role::Viewer);
        match Scope::from(&scope) {
            Scope::Tenant(grant) => assert_eq!(grant.tenant_id(), tenant),
            other => panic!("expected a tenant scope, got {other:?}"),
        }
    }
}
