//! The `Bff` service: the browser's sign-in, sign-out, tenant selection and "who am I",
//! on top of `Auth`, `Tenancy` and the dashboards (which prefetch a selected tenant).

use std::sync::Arc;

use actix_session::Session;
use kyros_common::api::me::{SessionInfo, UserInfo};

use super::error::BffError;
use super::registry::Registry;
use super::session::{self, BffUser};
use crate::audit::{self, AuditEntryExt, AuditLog};
use crate::auth::{Auth, UserAuth};
use crate::dashboards::DashboardService;
use crate::tenancy::{Tenancy, TenancyError, TenantRef};
use crate::users::Users;

/// What `Bff` is built from.
pub struct BffDeps {
    pub auth: Arc<Auth>,
    pub tenancy: Arc<Tenancy>,
    pub dashboards: Arc<DashboardService>,
    pub users: Arc<Users>,
    pub audit: AuditLog,
    pub registry: Registry,
}

pub struct Bff {
    pub(super) auth: Arc<Auth>,
    pub(super) tenancy: Arc<Tenancy>,
    pub(super) users: Arc<Users>,
    pub(super) registry: Registry,
    dashboards: Arc<DashboardService>,
    pub(super) audit: AuditLog,
}

/// Longest tenant slug looked up.
const MAX_SLUG: usize = 100;

impl Bff {
    pub fn new(deps: BffDeps) -> Self {
        Bff {
            auth: deps.auth,
            tenancy: deps.tenancy,
            users: deps.users,
            registry: deps.registry,
            dashboards: deps.dashboards,
            audit: deps.audit,
        }
    }

    /// Password sign-in into a fresh, registered session; a single-tenant user starts
    /// with that tenant selected.
    pub async fn login(
        &self,
        session: Session,
        email: String,
        password: String,
        user_agent: &str,
    ) -> Result<(UserAuth, SessionInfo), BffError> {
        let signed_in = self.auth.login(email, password).await?;
        let sid = self
            .registry
            .create(signed_in.user.user_id, user_agent)
            .await?;
        session::start(
            &session,
            &signed_in.token.token,
            &signed_in.user.user_id.to_string(),
            &sid,
        )?;
        let user = self.auth.user_from_token(&signed_in.token.token).await?;
        if let [only] = signed_in.user.tenant_ids.as_slice() {
            if let Ok(tenant_id) = only.parse() {
                match self.tenancy.exchange(&user, TenantRef::Id(tenant_id)).await {
                    Ok(exchanged) => session::select_tenant(
                        &session,
                        exchanged.tenant_id,
                        &exchanged.token.token,
                    )?,
                    Err(TenancyError::NotPermitted) => {}
                    Err(other) => return Err(other.into()),
                }
            }
        }
        let info = self.session_info(&user, &session).await?;
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
        })
    }
}
