//! The tenants a user may use, as the wire shows them.

use kyros_common::api::tenants::TenantMembership;
use kyros_common::ids::UserId;

use super::scope::Scope;
use super::service::{Tenancy, TenancyError};
use crate::store::memberships;

impl Tenancy {
    /// The active tenants of an active user, with their role and branding.
    pub async fn memberships_of(
        &self,
        user_id: UserId,
    ) -> Result<Vec<TenantMembership>, TenancyError> {
        let rows = self
            .db
            .run_scoped(Scope::User(user_id), move |conn| {
                memberships::tenants_of_user(conn, user_id)
            })
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(tenant, role)| {
                Some(TenantMembership {
                    id: tenant.tenant_id()?,
                    mfa_required: tenant
                        .config()
                        .features
                        .get(super::exchange::MFA_FEATURE)
                        .copied()
                        .unwrap_or(false),
                    branding: tenant.branding(),
                    slug: tenant.slug,
                    name: tenant.name,
                    role,
                })
            })
            .collect())
    }
}
