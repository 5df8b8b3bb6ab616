//! The signed-in user's own account in the browser: their sessions (list, end one) and
//! a password change that keeps this session signed in with fresh tokens.

use kyros_common::api::auth::{DisableMfa, MfaEnabled, MfaEnrolment, MfaStatus};
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
        let token = self
            .auth
            .reissue_user_token(user, &email, &who.user.claims.amr)
            .await?;
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

impl Bff {
    /// `GET /bff/mfa`.
    pub async fn mfa_status(&self, who: &BffUser) -> Result<MfaStatus, BffError> {
        let status = self.auth.mfa_status(who.user.user_id).await?;
        Ok(MfaStatus {
            enabled: status.enabled,
            recovery_codes_left: status.recovery_codes_left,
        })
    }

    /// `POST /bff/mfa/enroll`: a new secret to add to an authenticator app.
    pub async fn enrol_mfa(&self, who: &BffUser) -> Result<MfaEnrolment, BffError> {
        let enrolment = self
            .auth
            .enrol_mfa(who.user.user_id, &who.user.claims.email)
            .await?;
        Ok(MfaEnrolment {
            secret: enrolment.secret,
            otpauth_url: enrolment.otpauth_url,
            qr_svg: enrolment.qr_svg,
        })
    }

    /// `POST /bff/mfa/confirm`: a code of the new secret turns MFA on; this session now
    /// counts as signed in with a second factor (tenants that require MFA open).
    pub async fn confirm_mfa(&self, who: &BffUser, code: &str) -> Result<MfaEnabled, BffError> {
        let user = who.user.user_id;
        let email = who.user.claims.email.clone();
        let codes = self
            .auth
            .confirm_mfa(user, &email, code)
            .await?
            .ok_or(BffError::WrongCode)?;
        let token = self
            .auth
            .with_second_factor(user, &email, &who.user.claims.amr)
            .await?;
        session::replace_user_token(&who.session, &token.token)?;
        Ok(MfaEnabled {
            recovery_codes: codes,
        })
    }

    /// `POST /bff/mfa/disable`: with the password and a code.
    pub async fn disable_mfa(&self, who: &BffUser, request: DisableMfa) -> Result<(), BffError> {
        let disabled = self
            .auth
            .disable_mfa(
                who.user.user_id,
                &who.user.claims.email,
                request.password,
                &request.code,
            )
            .await?;
        if disabled {
            Ok(())
        } else {
            Err(BffError::WrongCode)
        }
    }
}
