//! The session as the shell knows it (from `GET /bff/me`, login and tenant selection),
//! shared through a context. Pages never hold a token: only this view of the session.

use std::rc::Rc;

use kyros_common::api::me::SessionInfo;
use kyros_common::api::tenants::TenantMembership;
use yew::prelude::*;

use crate::api::ApiError;

pub const EXPIRED_NOTICE: &str = "Your session has expired, please sign in again.";
pub const SIGNED_OUT_NOTICE: &str = "You have been signed out.";

#[derive(Debug, Clone, PartialEq)]
pub enum SessionStatus {
    /// `GET /bff/me` has not answered yet.
    Checking,
    SignedOut,
    SignedIn(Rc<SessionInfo>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionState {
    pub status: SessionStatus,
    /// A message for the login page ("your session has expired").
    pub notice: Option<String>,
    /// Bumped whenever the active tenant may have changed, so views refetch.
    pub tenant_epoch: u32,
}

impl Default for SessionState {
    fn default() -> Self {
        Self {
            status: SessionStatus::Checking,
            notice: None,
            tenant_epoch: 0,
        }
    }
}

impl SessionState {
    pub fn info(&self) -> Option<&SessionInfo> {
        match &self.status {
            SessionStatus::SignedIn(info) => Some(info),
            _ => None,
        }
    }

    pub fn active_tenant(&self) -> Option<&TenantMembership> {
        self.info().and_then(|info| info.active_tenant.as_ref())
    }

    /// The name of one of the user's tenants, for messages; the slug when it is unknown.
    pub fn tenant_name(&self, slug: &str) -> String {
        self.info()
            .and_then(|info| info.tenants.iter().find(|t| t.slug == slug))
            .map_or_else(|| slug.to_owned(), |t| t.name.clone())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum SessionAction {
    /// A session from `/bff/me`, `/bff/login` or `/bff/tenant`.
    Established(SessionInfo),
    /// The user signed out.
    SignedOut,
    /// The BFF answered 401 (no session, or an expired one), or the session could not
    /// be checked at all.
    Lost(ApiError),
}

impl SessionState {
    /// The pure transition; [`Reducible::reduce`] wraps it.
    pub fn next(self, action: SessionAction) -> Self {
        match action {
            SessionAction::Established(info) => {
                let tenant_changed =
                    self.active_tenant().map(|t| t.id) != info.active_tenant.as_ref().map(|t| t.id);
                Self {
                    status: SessionStatus::SignedIn(Rc::new(info)),
                    notice: None,
                    tenant_epoch: self.tenant_epoch + u32::from(tenant_changed),
                }
            }
            SessionAction::SignedOut => Self {
                status: SessionStatus::SignedOut,
                notice: Some(SIGNED_OUT_NOTICE.to_owned()),
                tenant_epoch: self.tenant_epoch + 1,
            },
            SessionAction::Lost(error) => {
                let notice = match error {
                    ApiError::SessionExpired => Some(EXPIRED_NOTICE.to_owned()),
                    // Already signed out: keep what the login page shows.
                    ApiError::Unauthenticated if self.status == SessionStatus::SignedOut => {
                        self.notice
                    }
                    ApiError::Unauthenticated => None,
                    // The session could not be checked at all (network, server).
                    other => Some(other.message()),
                };
                Self {
                    status: SessionStatus::SignedOut,
                    notice,
                    tenant_epoch: self.tenant_epoch + 1,
                }
            }
        }
    }
}

impl Reducible for SessionState {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let next = (*self).clone().next(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

pub type SessionContext = UseReducerHandle<SessionState>;

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

/// Holds the session state for everything below it.
#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let session = use_reducer(SessionState::default);
    html! {
        <ContextProvider<SessionContext> context={session}>
            { props.children.clone() }
        </ContextProvider<SessionContext>>
    }
}

/// The session context; [`SessionProvider`] is mounted at the root by the app.
#[hook]
pub fn use_session() -> SessionContext {
    use_context::<SessionContext>().expect("SessionProvider is mounted at the root of the app")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyros_common::api::me::UserInfo;
    use kyros_common::api::tenants::{Branding, Role};
    use kyros_common::ids::{TenantId, UserId};

    fn tenant(slug: &str) -> TenantMembership {
        TenantMembership {
            id: TenantId::new_random(),
            slug: slug.into(),
            name: slug.to_uppercase(),
            role: Role::Viewer,
            branding: Branding::default(),
            mfa_required: false,
        }
    }

    fn info(active: Option<TenantMembership>) -> SessionInfo {
        SessionInfo {
            user: UserInfo {
                id: UserId::new_random(),
                email: "a@b.c".into(),
            },
            tenants: active.iter().cloned().collect(),
            active_tenant: active,
            mfa_enabled: false,
            second_factor: false,
        }
    }

    #[test]
    fn an_expired_session_signs_out_with_the_expiry_message() {
        let state = SessionState::default()
            .next(SessionAction::Established(info(Some(tenant("acme-corp")))))
            .next(SessionAction::Lost(ApiError::SessionExpired));
        assert_eq!(state.status, SessionStatus::SignedOut);
        assert_eq!(state.notice.as_deref(), Some(EXPIRED_NOTICE));
    }

    #[test]
    fn an_unauthenticated_answer_signs_out_without_a_message() {
        let state = SessionState::default().next(SessionAction::Lost(ApiError::Unauthenticated));
        assert_eq!(state.status, SessionStatus::SignedOut);
        assert_eq!(state.notice, None);
    }

    #[test]
    fn an_unreachable_server_at_start_says_so_on_the_login_page() {
        let state = SessionState::default().next(SessionAction::Lost(ApiError::Network));
        assert_eq!(state.status, SessionStatus::SignedOut);
        assert_eq!(state.notice, Some(ApiError::Network.message()));
    }

    #[test]
    fn signing_in_clears_the_notice() {
        let state = SessionState::default()
            .next(SessionAction::Lost(ApiError::SessionExpired))
            .next(SessionAction::Established(info(None)));
        assert_eq!(state.notice, None);
        assert!(state.info().is_some());
    }

    #[test]
    fn tenants_are_named_by_their_name_and_unknown_ones_by_their_slug() {
        let state =
            SessionState::default().next(SessionAction::Established(info(Some(tenant("acme")))));
        assert_eq!(state.tenant_name("acme"), "ACME");
        assert_eq!(state.tenant_name("beta-ind"), "beta-ind");
    }

    #[test]
    fn switching_tenant_bumps_the_epoch_but_refreshing_the_same_tenant_does_not() {
        let acme = tenant("acme-corp");
        let state =
            SessionState::default().next(SessionAction::Established(info(Some(acme.clone()))));
        let epoch = state.tenant_epoch;
        let state = state.next(SessionAction::Established(info(Some(acme))));
        assert_eq!(state.tenant_epoch, epoch);
        let state = state.next(SessionAction::Established(info(Some(tenant("beta-ind")))));
        assert_eq!(state.tenant_epoch, epoch + 1);
        assert_eq!(
            state.active_tenant().map(|t| t.slug.as_str()),
            Some("beta-ind")
        );
    }
}
