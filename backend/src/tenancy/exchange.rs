//! Token exchange: a user token for a tenant-scoped token. Membership, role and
//! activity are re-read from the database every time; a tenant the user may not use is
//! refused whether or not it exists.

use kyros_common::api::tenants::Role;
use kyros_common::ids::TenantId;

use super::scope::Scope;
use super::service::{Tenancy, TenancyError};
use crate::audit::{self, AuditEntryExt};
use crate::auth::jwt::IssuedToken;
use crate::auth::UserAuth;
use crate::store::{memberships, tenants};

/// The tenant feature flag that requires a second factor of every member.
pub const MFA_FEATURE: &str = "mfa_required";

/// How the caller named the tenant: by id (JSON), or by id or slug (RFC 8693 form, BFF).
#[derive(Debug, Clone)]
pub enum TenantRef {
    Id(TenantId),
    IdOrSlug(String),
}

/// A granted exchange.
#[derive(Debug, Clone)]
pub struct Exchanged {
    pub tenant_id: TenantId,
    pub slug: String,
    pub role: Role,
    pub token: IssuedToken,
}

impl Tenancy {
    /// Validates `subject_token` as a user token, then exchanges it.
    pub async fn exchange_subject_token(
        &self,
        subject_token: &str,
        target: TenantRef,
    ) -> Result<(UserAuth, Exchanged), TenancyError> {
        let user = self.auth.user_from_token(subject_token).await?;
        let exchanged = self.exchange(&user, target).await?;
        Ok((user, exchanged))
    }

    /// Grants a scoped token when the user token names the tenant and the database still
    /// maps the user to it with both active; otherwise `NotPermitted`. Audited and
    /// counted either way.
    pub async fn exchange(
        &self,
        user: &UserAuth,
        target: TenantRef,
    ) -> Result<Exchanged, TenancyError> {
        let user_id = user.user_id;
        let requested: String = match &target {
            TenantRef::Id(id) => id.to_string(),
            TenantRef::IdOrSlug(s) => s.chars().take(100).collect(),
        };
        let resolved = self
            .db
            .run_scoped(Scope::User(user_id), move |conn| {
                let tenant = match target {
                    TenantRef::Id(id) => tenants::find_by_id(conn, id)?,
                    TenantRef::IdOrSlug(s) => match s.parse::<TenantId>() {
                        Ok(id) => tenants::find_by_id(conn, id)?,
                        Err(_) => tenants::find_by_slug(conn, &s)?,
                    },
                };
                let Some((tenant_id, slug, mfa)) = tenant.and_then(|t| {
                    let mfa = t
                        .config()
                        .features
                        .get(MFA_FEATURE)
                        .copied()
                        .unwrap_or(false);
                    Some((t.tenant_id()?, t.slug, mfa))
                }) else {
                    return Ok(None);
                };
                let role = memberships::active_role(conn, user_id, tenant_id)?;
                Ok(role.map(|role| (tenant_id, slug, role, mfa)))
            })
            .await?;
        let named_in_token = |tenant_id: &TenantId| {
            user.claims
                .tenant_ids
                .iter()
                .any(|t| t == &tenant_id.to_string())
        };
        let Some((tenant_id, slug, role, mfa_required)) =
            resolved.filter(|(t, _, _, _)| named_in_token(t))
        else {
            self.metrics
                .token_exchanges
                .with_label_values(&["denied"])
                .inc();
            let e = audit::entry(
                "token_exchange",
                "denied",
                user.claims.email.clone(),
                requested,
            )
            .user(Some(user_id));
            self.audit.record(e).await;
            return Err(TenancyError::NotPermitted);
        };
        let second_factor = user.claims.amr.iter().any(|m| m == "otp" || m == "ext");
        if mfa_required && !second_factor {
            self.metrics
                .token_exchanges
                .with_label_values(&["mfa_required"])
                .inc();
            let e = audit::entry(
                "token_exchange",
                "mfa_required",
                user.claims.email.clone(),
                slug,
            )
            .user(Some(user_id))
            .tenant(Some(tenant_id));
            self.audit.record(e).await;
            return Err(TenancyError::MfaRequired);
        }
        let token = self
            .auth
            .tokens()
            .issue_tenant(&user.claims, tenant_id.as_uuid(), role)?;
        self.metrics
            .token_exchanges
            .with_label_values(&["granted"])
            .inc();
        let e = audit::entry(
            "token_exchange",
            "granted",
            user.claims.email.clone(),
            slug.clone(),
        )
        .user(Some(user_id))
        .tenant(Some(tenant_id))
        .detail(serde_json::json!({ "role": role.as_str(), "jti": token.jti }));
        self.audit.record(e).await;
        Ok(Exchanged {
            tenant_id,
            slug,
            role,
            token,
        })
    }
}
