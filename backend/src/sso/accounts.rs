//! Whose Kyros account a provider's identity is: the account its subject is linked to;
//! else the account with the email the provider verified (then linked), when the provider
//! may vouch for that domain; else, when the provider's tenant allows just-in-time
//! provisioning for that domain, a new account with the tenant's default role.

use diesel::Connection;
use kyros_common::ids::UserId;
use serde_json::json;

use super::error::SsoError;
use super::provider::{email_domain, Provider};
use super::service::Sso;
use crate::audit::{self, AuditEntryExt};
use crate::store::identity;
use crate::store::users::{self, UserRow};
use crate::store::{memberships, tenants, StoreError};

/// What a provider's verified ID token says about the person.
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

/// Longest name kept from a provider.
const MAX_NAME: usize = 200;

impl Sso {
    pub(super) async fn account_for(
        &self,
        provider: &Provider,
        who: &Identity,
    ) -> Result<UserId, SsoError> {
        let (issuer, subject) = (who.issuer.clone(), who.subject.clone());
        let linked = self
            .db
            .run(move |conn| identity::linked_user(conn, &issuer, &subject))
            .await?;
        if let Some(user) = linked.and_then(|u| u.parse::<UserId>().ok()) {
            return Ok(user);
        }
        let email = match (&who.email, who.email_verified) {
            (Some(email), true) => users::normalise_email(email),
            _ => return Err(SsoError::EmailNotVerified),
        };
        let domain = email_domain(&email).ok_or(SsoError::NotProvisioned)?;
        if email.len() > 320 || !self.may_vouch_for(provider, &domain).await? {
            return Err(SsoError::NotProvisioned);
        }
        let jit = provider.jit.zip(provider.tenant());
        let who = who.clone();
        let name: String = who
            .name
            .clone()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_NAME)
            .collect();
        self.db
            .run(move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    if let Some(user) = identity::linked_user(conn, &who.issuer, &who.subject)? {
                        return Ok(user.parse::<UserId>().map_err(|_| SsoError::NotProvisioned));
                    }
                    let (user, provisioned) = match users::find_by_email(conn, &email)? {
                        Some(existing) if existing.is_active => match existing.user_id() {
                            Some(id) => (id, None),
                            None => return Ok(Err(SsoError::NotProvisioned)),
                        },
                        Some(_) => return Ok(Err(SsoError::NotProvisioned)),
                        None => {
                            let Some((role, tenant)) = jit else {
                                return Ok(Err(SsoError::NotProvisioned));
                            };
                            let active =
                                tenants::find_by_id(conn, tenant)?.is_some_and(|t| t.is_active);
                            if !active {
                                return Ok(Err(SsoError::NotProvisioned));
                            }
                            let row = UserRow::new_invited(&email, &name);
                            users::insert(conn, &row)?;
                            let Some(id) = row.user_id() else {
                                return Ok(Err(SsoError::NotProvisioned));
                            };
                            memberships::grant(conn, id, tenant, role)?;
                            (id, Some((tenant, role)))
                        }
                    };
                    identity::link(conn, &who.issuer, &who.subject, user)?;
                    let action = if provisioned.is_some() {
                        "sso_provision"
                    } else {
                        "sso_link"
                    };
                    let e = audit::entry(action, "success", who.issuer.clone(), email.clone())
                        .tenant(provisioned.map(|(t, _)| t))
                        .user(Some(user))
                        .detail(json!({
                            "issuer": who.issuer,
                            "subject": who.subject,
                            "role": provisioned.map(|(_, r)| r.as_str()),
                        }));
                    crate::store::audit::append(conn, &e)?;
                    Ok::<_, StoreError>(Ok(user))
                })
            })
            .await?
    }
}
