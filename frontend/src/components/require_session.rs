//! Route guard: pages below it only render for a signed-in user (and, when asked, one
//! with an active tenant); otherwise it redirects to the login page (which leads back
//! here after signing in) or the chooser.

use yew::prelude::*;

use crate::app::Route;
use crate::components::redirect::{RedirectTo, RedirectToLogin};
use crate::components::spinner::Spinner;
use crate::state::session::{use_session, SessionStatus};

#[derive(Properties, PartialEq)]
pub struct RequireSessionProps {
    #[prop_or_default]
    pub require_tenant: bool,
    pub children: Html,
}

#[component]
pub fn RequireSession(props: &RequireSessionProps) -> Html {
    let session = use_session();
    match &session.status {
        SessionStatus::Checking => html! { <Spinner label="Checking your session…" /> },
        SessionStatus::SignedOut => html! { <RedirectToLogin /> },
        SessionStatus::SignedIn(info) if props.require_tenant && info.active_tenant.is_none() => {
            html! { <RedirectTo to={Route::Home} /> }
        }
        SessionStatus::SignedIn(_) => props.children.clone(),
    }
}
