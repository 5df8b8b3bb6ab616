//! The signed-in user's own account in the browser: their sessions (list, end one) and
//! a password change that keeps this session signed in with fresh tokens.

use kyros_common::api::users::{ChangePassword, SessionSummary};

use super::error::BffError;
use super::service::Bff;
use super::session::{self, BffUser};
use crate::audit::{self, AuditEntryExt};
use crate::tenancy::{TenancyError, TenantRef};

impl Bff {
    /// `GET /bff/sessions`.
    pub async fn sessions(&self, who: &BffUser) -> Result<Vec<SessionSummary>, BffError> {
        Ok(self.registry.list(who.user.user_id, &who.sid).await?)
    }

    /// `DELETE /bff/sessions/{id}`: ends one of the user's sessions; ending the current
    /// one signs this browser out. Returns whether it was the current one.
    pub async fn end_session(&self, who: &BffUser, id: &str) -> Result<bool, BffError> {
        if !self.registry.end(who.user.user_id, id).await? {
            return Err(BffError::NoSuchSession);
        }
        let current = id == who.sid;
        let e = audit::entry(
            "session_end",
            "success",
            who.user.claims.email.clone(),
            if current { "current" } else { "other" },
        )
        .user(Some(who.user.user_id));
        self.audit.record(e).await;
        if current {
            who.session.purge();
        }
        Ok(current)
    }

    /// `POST /bff/password`: changes the password, which signs out every other session
    /// and refuses every token issued before; this session continues with new tokens
    /// (and a new session id).
    pub async fn change_password(
        &self,
        who: &BffUser,
        request: ChangePassword,
    ) -> Result<(), BffError> {
        let user = who.user.user_id;
        let email = who.user.claims.email.clone();
        self.users
            .change_password(
                user,
                &email,
                request.current_password,
                request.new_password,
                Some(who.sid.clone()),
            )
            .await?;
        let token = self.auth.reissue_user_token(user, &email).await?;
        session::replace_user_token(&who.session, &token.token)?;
        if let Some(tenant) = session::active_tenant(&who.session) {
            let fresh = self.auth.user_from_token(&token.token).await?;
            match self.tenancy.exchange(&fresh, TenantRef::Id(tenant)).await {
                Ok(exchanged) => session::select_tenant(
                    &who.session,
                    exchanged.tenant_id,
                    &exchanged.token.token,
                )?,
                Err(TenancyError::NotPermitted) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(())
    }
}
