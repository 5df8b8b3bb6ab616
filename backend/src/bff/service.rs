//! The `Bff` service: the browser's sign-in, sign-out, tenant selection and "who am I",
//! on top of `Auth`, `Tenancy` and the dashboards (which prefetch a selected tenant).

use std::sync::Arc;

use actix_session::Session;
use kyros_common::api::auth::MfaRequired;
use kyros_common::api::me::{LoginAnswer, SessionInfo, UserInfo};

use super::error::BffError;
use super::registry::Registry;
use super::session::{self, BffUser};
use crate::audit::{self, AuditEntryExt, AuditLog};
use crate::auth::{Auth, LoginOutcome, SignedIn, UserAuth};
use crate::dashboards::DashboardService;
use crate::sso::{Callback, Sso, SsoStart, StartHint};
use crate::tenancy::{Tenancy, TenancyError, TenantRef};
use crate::users::Users;

/// What `Bff` is built from.
pub struct BffDeps {
    pub auth: Arc<Auth>,
    pub tenancy: Arc<Tenancy>,
    pub dashboards: Arc<DashboardService>,
    pub users: Arc<Users>,
    pub sso: Arc<Sso>,
    pub audit: AuditLog,
    pub registry: Registry,
    /// `KYROS_SESSION_IDLE` and `KYROS_SESSION_MAX`.
    pub session_idle: std::time::Duration,
    pub session_max: std::time::Duration,
}

pub struct Bff {
    pub(super) auth: Arc<Auth>,
    pub(super) tenancy: Arc<Tenancy>,
    pub(super) users: Arc<Users>,
    sso: Arc<Sso>,
    pub(super) registry: Registry,
    dashboards: Arc<DashboardService>,
    pub(super) audit: AuditLog,
    pub(super) session_idle: std::time::Duration,
    pub(super) session_max: std::time::Duration,
}

/// Longest tenant slug looked up.
const MAX_SLUG: usize = 100;

impl Bff {
    pub fn new(deps: BffDeps) -> Self {
        Bff {
            auth: deps.auth,
            tenancy: deps.tenancy,
            users: deps.users,
            sso: deps.sso,
            registry: deps.registry,
            dashboards: deps.dashboards,
            audit: deps.audit,
            session_idle: deps.session_idle,
            session_max: deps.session_max,
        }
    }

    /// Password sign-in. Without MFA: a fresh, registered session. With MFA: the session
    /// holds only the challenge until `login_mfa` gets the code.
    pub async fn login(
        &self,
        session: Session,
        email: String,
        password: String,
        user_agent: &str,
    ) -> Result<(Option<UserAuth>, LoginAnswer), BffError> {
        match self.auth.login(email, password).await? {
            LoginOutcome::SignedIn(signed_in) => {
                let (user, info) = self.establish(&session, signed_in, user_agent).await?;
                Ok((Some(user), LoginAnswer::SignedIn(info)))
            }
            LoginOutcome::MfaRequired(challenge) => {
                session::await_second_factor(&session, &challenge.token)?;
                Ok((
                    None,
                    LoginAnswer::MfaRequired(MfaRequired {
                        mfa_required: true,
                        expires_in: challenge.expires_in,
                        challenge: None,
                    }),
                ))
            }
        }
    }

    /// The code step of a sign-in with MFA.
    pub async fn login_mfa(
        &self,
        session: Session,
        code: &str,
        user_agent: &str,
    ) -> Result<(UserAuth, SessionInfo), BffError> {
        let challenge = session::pending_challenge(&session).ok_or(BffError::NotSignedIn)?;
        let signed_in = self.auth.complete_mfa(&challenge, code).await?;
        self.establish(&session, signed_in, user_agent).await
    }

    /// Starts a single sign-on: where to send the browser and the pending sign-in's
    /// sealed cookie. `next` is kept only when it is a same-origin path.
    pub async fn sso_start(
        &self,
        hint: StartHint,
        next: Option<&str>,
    ) -> Result<SsoStart, BffError> {
        let next = next
            .and_then(kyros_common::navigation::safe_next)
            .unwrap_or_else(|| "/".to_owned());
        Ok(self.sso.start(hint, &next).await?)
    }

    /// Finishes a single sign-on: a fresh session exactly as after a password sign-in.
    /// Returns the user and the page to go to.
    pub async fn sso_callback(
        &self,
        session: Session,
        flow_cookie: Option<&str>,
        callback: Callback,
        user_agent: &str,
    ) -> Result<(UserAuth, String), BffError> {
        let (signed_in, next) = self.sso.finish(flow_cookie, callback).await?;
        let (user, _) = self.establish(&session, signed_in, user_agent).await?;
        Ok((user, next))
    }

    /// A fresh, registered session for a signed-in user (new session id); it starts in
    /// the user's only tenant, or the one they worked in last.
    async fn establish(
        &self,
        session: &Session,
        signed_in: SignedIn,
        user_agent: &str,
    ) -> Result<(UserAuth, SessionInfo), BffError> {
        let sid = self
            .registry
            .create(signed_in.user.user_id, user_agent)
            .await?;
        session::start(
            session,
            &signed_in.token.token,
            &signed_in.user.user_id.to_string(),
            &sid,
        )?;
        let user = self.auth.user_from_token(&signed_in.token.token).await?;
        let start_in = match signed_in.user.tenant_ids.as_slice() {
            [only] => Some(only.clone()),
            many => signed_in
                .user
                .last_tenant
                .clone()
                .filter(|t| many.contains(t)),
        };
        if let Some(tenant_id) = start_in.and_then(|t| t.parse().ok()) {
            match self.tenancy.exchange(&user, TenantRef::Id(tenant_id)).await {
                Ok(exchanged) => {
                    session::select_tenant(session, exchanged.tenant_id, &exchanged.token.token)?
                }
                Err(TenancyError::NotPermitted | TenancyError::MfaRequired) => {}
                Err(other) => return Err(other.into()),
            }
        }
        let info = self.session_info(&user, session).await?;
        Ok((user, info))
    }

    /// Destroys the session and ends its registry row (audited when it belonged to a
    /// valid user).
    pub async fn logout(&self, session: Session) {
        let token = session::user_token(&session);
        let sid = session::session_id(&session);
        session.purge();
        if let Some(token) = token {
            if let Ok(user) = self.auth.user_from_token(&token).await {
                if let Some(sid) = sid {
                    if let Err(e) = self.registry.end(user.user_id, &sid).await {
                        tracing::warn!(error = %e, "ending the session's registry row failed");
                    }
                }
                let e = audit::entry(
                    "logout",
                    "success",
                    user.claims.email.clone(),
                    user.claims.email.clone(),
                )
                .user(Some(user.user_id));
                self.audit.record(e).await;
            }
        }
    }

    /// Selects (or switches) the session's tenant by slug: the token exchange happens
    /// inside the session, whose id is renewed. The tenant's data starts loading.
    pub async fn select_tenant(&self, who: &BffUser, slug: &str) -> Result<SessionInfo, BffError> {
        if slug.is_empty() || slug.len() > MAX_SLUG || slug.chars().any(char::is_control) {
            return Err(TenancyError::NotPermitted.into());
        }
        let exchanged = self
            .tenancy
            .exchange(&who.user, TenantRef::IdOrSlug(slug.to_owned()))
            .await?;
        session::select_tenant(&who.session, exchanged.tenant_id, &exchanged.token.token)?;
        self.dashboards.prefetch(exchanged.tenant_id);
        self.users
            .remember_tenant(who.user.user_id, exchanged.tenant_id)
            .await;
        let e = audit::entry(
            "tenant_switch",
            "success",
            who.user.claims.email.clone(),
            exchanged.tenant_id.to_string(),
        )
        .tenant(Some(exchanged.tenant_id))
        .user(Some(who.user.user_id));
        self.audit.record(e).await;
        self.session_info(&who.user, &who.session).await
    }

    /// The session as the shell sees it.
    pub async fn session_info(
        &self,
        user: &UserAuth,
        session: &Session,
    ) -> Result<SessionInfo, BffError> {
        let tenants = self.tenancy.memberships_of(user.user_id).await?;
        let active = session::active_tenant(session);
        let active_tenant = active.and_then(|id| tenants.iter().find(|t| t.id == id).cloned());
        Ok(SessionInfo {
            user: UserInfo {
                id: user.user_id,
                email: user.claims.email.clone(),
            },
            tenants,
            active_tenant,
            mfa_enabled: self.auth.mfa_enabled(user.user_id).await?,
            second_factor: user.claims.amr.iter().any(|m| m == "otp" || m == "ext"),
        })
    }
}
