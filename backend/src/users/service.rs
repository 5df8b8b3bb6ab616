//! The `Users` service and its error type.

use std::sync::Arc;

use kyros_common::email::EmailProblem;

use super::policy::PasswordPolicy;
use crate::audit::AuditLog;
use crate::auth::password::HashError;
use crate::auth::{Auth, AuthError};
use crate::config::AccountSettings;
use crate::mail::Mailer;
use crate::ratelimit::{Limits, RateLimited};
use crate::store::{Db, StoreError};
use crate::tenancy::cache::Epoch;

/// Why a request about people was refused.
#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("{0}")]
    InvalidEmail(EmailProblem),
    /// The password breaks the policy; the message says why, in words.
    #[error("{0}")]
    WeakPassword(String),
    /// An invitation or reset link that is unknown, used or expired.
    #[error("this link is invalid, has been used or has expired")]
    InvalidLink,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("managing people needs the admin role in this tenant")]
    NotAdmin,
    #[error("a tenant must keep at least one admin: make someone else an admin first")]
    LastAdmin,
    #[error("{0}")]
    Conflict(&'static str),
    #[error("the current password is incorrect")]
    WrongPassword,
    #[error(transparent)]
    RateLimited(#[from] RateLimited),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

/// What `Users` is built from.
pub struct UsersDeps {
    pub db: Db,
    pub audit: AuditLog,
    pub mailer: Arc<Mailer>,
    pub epoch: Arc<Epoch>,
    pub auth: Arc<Auth>,
    pub limits: Arc<Limits>,
    pub accounts: AccountSettings,
}

pub struct Users {
    pub(super) db: Db,
    pub(super) audit: AuditLog,
    pub(super) mailer: Arc<Mailer>,
    pub(super) epoch: Arc<Epoch>,
    pub(super) auth: Arc<Auth>,
    pub(super) limits: Arc<Limits>,
    pub(super) accounts: AccountSettings,
    pub(super) policy: PasswordPolicy,
}

impl Users {
    pub fn new(deps: UsersDeps) -> Self {
        Users {
            policy: PasswordPolicy::new(deps.accounts.password_min_chars),
            db: deps.db,
            audit: deps.audit,
            mailer: deps.mailer,
            epoch: deps.epoch,
            auth: deps.auth,
            limits: deps.limits,
            accounts: deps.accounts,
        }
    }

    pub fn policy(&self) -> &PasswordPolicy {
        &self.policy
    }

    /// Remembers the tenant the user selected (the next sign-in starts there). A failure
    /// is logged: it only costs a choice at the next sign-in.
    pub async fn remember_tenant(
        &self,
        user: kyros_common::ids::UserId,
        tenant: kyros_common::ids::TenantId,
    ) {
        let tenant = tenant.to_string();
        let outcome = self
            .db
            .run_scoped(crate::tenancy::scope::Scope::User(user), move |conn| {
                crate::store::users::set_last_tenant(conn, user, &tenant)
            })
            .await;
        if let Err(e) = outcome {
            tracing::warn!(error = %e, "remembering the selected tenant failed");
        }
    }

    /// After a change to users or memberships on this instance: forget what was
    /// remembered at once (the other instances follow within a poll interval).
    pub(super) async fn changed(&self) {
        self.epoch.refresh(&self.db).await;
    }
}

/// A display name: trimmed, at most 200 characters, no control characters.
pub(super) fn clean_name(name: Option<&str>) -> Result<String, UsersError> {
    let name = name.unwrap_or("").trim();
    if name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(UsersError::Invalid(
            "the name must be at most 200 printable characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// An email address by the shared rule (`kyros_common::email`).
pub(super) fn clean_email(email: &str) -> Result<String, UsersError> {
    kyros_common::email::normalise_email(email).map_err(UsersError::InvalidEmail)
}
