//! The `Tenancy` service: scoped tokens to `TenantScope`s, and the tenant they name.

use std::sync::Arc;

use kyros_common::api::tenants::{Role, TenantDetail};
use kyros_common::ids::{TenantId, UserId};

use super::cache::EpochCache;
use super::scope::{Scope, TenantScope};
use crate::audit::{self, AuditEntryExt, AuditLog};
use crate::auth::jwt::{TenantClaims, TokenError};
use crate::auth::{Auth, AuthError};
use crate::metrics::Metrics;
use crate::store::{memberships, tenants, Db, StoreError};

/// Why tenant access was refused.
#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    /// The user may not use the tenant (or it does not exist: the same answer).
    #[error("you may not use this tenant")]
    NotPermitted,
    /// The scoped token's membership, user or tenant is no longer active.
    #[error("the token's tenant membership is no longer active")]
    MembershipInactive,
    /// The tenant requires a second factor, and this sign-in had none (`amr` without `otp`
    /// or `ext`).
    #[error("this tenant requires multi-factor authentication: set up an authenticator app and sign in with it")]
    MfaRequired,
    /// A route's `{tenant_id}` differs from the token's tenant.
    #[error("the token is not scoped to this tenant")]
    WrongTenant,
    #[error("tenant not found")]
    NotFound,
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Tenancy {
    pub(super) db: Db,
    pub(super) auth: Arc<Auth>,
    pub(super) audit: AuditLog,
    pub(super) metrics: Arc<Metrics>,
    /// Active memberships: (user, tenant) → role and the user's token generation, `None`
    /// when not (or no longer) active.
    memberships: EpochCache<(UserId, TenantId), Option<(Role, i64)>>,
}

impl Tenancy {
    pub fn new(
        db: Db,
        auth: Arc<Auth>,
        audit: AuditLog,
        metrics: Arc<Metrics>,
        memberships: EpochCache<(UserId, TenantId), Option<(Role, i64)>>,
    ) -> Self {
        Tenancy {
            db,
            auth,
            audit,
            metrics,
            memberships,
        }
    }

    /// A `TenantScope` from a scoped token: the token validates, the membership, the user
    /// and the tenant are still active, and the user has not changed their password since
    /// the token was issued.
    pub async fn scope_from_token(&self, token: &str) -> Result<TenantScope, TenancyError> {
        let claims: TenantClaims = self.auth.validate(token).await?;
        let tenant_id: TenantId = claims
            .tenant_id
            .parse()
            .map_err(|_| TokenError::Invalid("bad tenant"))?;
        let user_id: UserId = claims
            .sub
            .parse()
            .map_err(|_| TokenError::Invalid("bad subject"))?;
        let (role, generation) = self
            .memberships
            .get_or_load((user_id, tenant_id), || async {
                // The user's own identity scope: their memberships and tenants only.
                self.db
                    .run_scoped(Scope::User(user_id), move |conn| {
                        memberships::active_membership(conn, user_id, tenant_id)
                    })
                    .await
            })
            .await?
            .ok_or(TenancyError::MembershipInactive)?;
        if generation != claims.gen {
            return Err(TokenError::Invalid("issued before a password change").into());
        }
        self.metrics.tenant_request(&tenant_id.to_string());
        Ok(TenantScope::confirmed(
            tenant_id,
            user_id,
            claims.email,
            role,
        ))
    }

    /// Refuses (and audits) a route whose `{tenant_id}` is not the scope's tenant.
    pub async fn confirm_route_tenant(
        &self,
        scope: &TenantScope,
        route_tenant: &str,
        path: &str,
    ) -> Result<(), TenancyError> {
        if route_tenant.parse::<TenantId>().ok() == Some(scope.tenant_id()) {
            return Ok(());
        }
        let target: String = route_tenant.chars().take(64).collect();
        let e = audit::entry("cross_tenant_access", "denied", scope.email(), target)
            .tenant(Some(scope.tenant_id()))
            .user(Some(scope.user_id()))
            .detail(serde_json::json!({ "path": path.chars().take(200).collect::<String>() }));
        self.audit.record(e).await;
        Err(TenancyError::WrongTenant)
    }

    /// The scope's tenant as its members see it.
    pub async fn tenant_detail(&self, scope: &TenantScope) -> Result<TenantDetail, TenancyError> {
        let tenant_id = scope.tenant_id();
        let tenant = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                tenants::find_by_id(conn, tenant_id)
            })
            .await?
            .ok_or(TenancyError::NotFound)?;
        Ok(TenantDetail {
            id: tenant_id,
            branding: tenant.branding(),
            features: tenant.config().features,
            slug: tenant.slug,
            name: tenant.name,
            role: scope.role(),
        })
    }
}
