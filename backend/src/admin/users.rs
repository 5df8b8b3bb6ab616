//! Role grants and user (de)activation.

use diesel::Connection;
use kyros_common::api::tenants::Role;
use kyros_common::ids::TenantId;
use serde::Deserialize;
use serde_json::json;

use super::service::{Admin, AdminError};
use super::tenants::parse_tenant_id;
use crate::audit::{self, AuditEntryExt};
use crate::store::users::{self, UserRow};
use crate::store::{audit as audit_store, memberships, tenants, StoreError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantRole {
    pub role: Role,
}

/// A grant as it happened.
#[derive(Debug)]
pub struct RoleGranted {
    pub tenant_id: TenantId,
    pub email: String,
    pub role: Role,
    pub previous: Option<Role>,
}

fn no_such_user() -> AdminError {
    AdminError::NotFound("no such user".into())
}

impl Admin {
    async fn user_or_404(&self, email: &str) -> Result<UserRow, AdminError> {
        if email.len() > 320 || email.chars().any(char::is_control) {
            return Err(no_such_user());
        }
        let email = email.to_owned();
        self.db
            .run(move |conn| users::find_by_email(conn, &email))
            .await?
            .ok_or_else(no_such_user)
    }

    /// Grants or changes a user's role in a tenant.
    pub async fn grant_role(
        &self,
        actor: String,
        raw_tenant: &str,
        email: &str,
        role: Role,
    ) -> Result<RoleGranted, AdminError> {
        let tenant_id = parse_tenant_id(raw_tenant)?;
        let user = self.user_or_404(email).await?;
        let user_id = user.user_id().ok_or_else(no_such_user)?;
        let email = user.email.clone();
        let previous = self
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    if tenants::find_by_id(conn, tenant_id)?.is_none() {
                        return Ok(None);
                    }
                    let previous = memberships::grant(conn, user_id, tenant_id, role)?;
                    let e = audit::entry("role_grant", "success", actor, email)
                        .tenant(Some(tenant_id))
                        .user(Some(user_id))
                        .detail(json!({ "before": previous.map(|r| r.as_str()), "after": role.as_str() }));
                    audit_store::append(conn, &e)?;
                    Ok::<_, StoreError>(Some(previous))
                })
            })
            .await?
            .ok_or_else(|| AdminError::NotFound("no such tenant".into()))?;
        Ok(RoleGranted {
            tenant_id,
            email: user.email,
            role,
            previous,
        })
    }

    /// Removes a user's role in a tenant.
    pub async fn revoke_role(
        &self,
        actor: String,
        raw_tenant: &str,
        email: &str,
    ) -> Result<(), AdminError> {
        let tenant_id = parse_tenant_id(raw_tenant)?;
        let user = self.user_or_404(email).await?;
        let user_id = user.user_id().ok_or_else(no_such_user)?;
        let email = user.email.clone();
        let removed = self
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    let previous = memberships::active_role(conn, user_id, tenant_id)?;
                    let removed = memberships::revoke(conn, user_id, tenant_id)?;
                    if removed {
                        let e = audit::entry("role_revoke", "success", actor, email)
                            .tenant(Some(tenant_id))
                            .user(Some(user_id))
                            .detail(
                                json!({ "before": previous.map(|r| r.as_str()), "after": null }),
                            );
                        audit_store::append(conn, &e)?;
                    }
                    Ok::<_, StoreError>(removed)
                })
            })
            .await?;
        if removed {
            Ok(())
        } else {
            Err(AdminError::NotFound(
                "the user has no role in this tenant".into(),
            ))
        }
    }

    /// Activates or deactivates a user (by email); returns the stored email.
    pub async fn set_user_active(
        &self,
        actor: String,
        email: &str,
        active: bool,
    ) -> Result<String, AdminError> {
        let user = self.user_or_404(email).await?;
        let user_id = user.user_id().ok_or_else(no_such_user)?;
        let action = if active {
            "user_activate"
        } else {
            "user_deactivate"
        };
        let e = audit::entry(action, "success", actor, user.email.clone())
            .user(Some(user_id))
            .detail(json!({ "before": { "is_active": user.is_active }, "after": { "is_active": active } }));
        self.db
            .run(move |conn| {
                conn.transaction(|conn| {
                    users::set_active(conn, user_id, active)?;
                    audit_store::append(conn, &e)
                })
            })
            .await?;
        Ok(user.email)
    }
}
