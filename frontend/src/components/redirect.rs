//! Redirects that replace the current history entry instead of pushing a new one.
//!
//! yew-router's `Redirect` pushes: a page that only redirects (a guarded page after
//! sign-out, `/logout`, `/login` when signed in) would stay in the history, and the back
//! button would land on it again and bounce forward. Replacing it lets back move on to the
//! entry before, and a signed-out user never gets to a page with data either way.

use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::AnyRoute;

use crate::app::Route;
use crate::state::sign_in::return_to;

#[derive(Properties, PartialEq)]
pub struct RedirectToProps {
    pub to: Route,
}

#[component]
pub fn RedirectTo(props: &RedirectToProps) -> Html {
    let navigator = use_navigator();
    use_effect_with(props.to.clone(), move |to| {
        if let Some(navigator) = &navigator {
            navigator.replace(to);
        }
    });
    html! {}
}

#[derive(Properties, PartialEq)]
pub struct RedirectToPathProps {
    /// A same-origin path with its query (`next` after signing in).
    pub path: AttrValue,
}

/// [`RedirectTo`] a path that is not a [`Route`] value alone, such as
/// `/dashboards/risk-analysis?segment=SMB`.
#[component]
pub fn RedirectToPath(props: &RedirectToPathProps) -> Html {
    let navigator = use_navigator();
    use_effect_with(props.path.clone(), move |path| {
        if let Some(navigator) = &navigator {
            navigator.replace(&AnyRoute::new(path.as_str()));
        }
    });
    html! {}
}

/// To the login page, which leads back to the page the user was on once they have
/// signed in again (`/login?next=…`). Nothing happens on a public page: the user is
/// already signing in (or accepting an invitation, or resetting a password).
pub fn to_login(navigator: &Navigator) {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return;
    };
    let (Ok(path), Ok(query)) = (location.pathname(), location.search()) else {
        return;
    };
    if Route::recognize(&path).is_some_and(|route| route.is_public()) {
        return;
    }
    let sent = return_to(&format!("{path}{query}"))
        .is_some_and(|back| navigator.replace_with_query(&Route::Login, &back).is_ok());
    if !sent {
        navigator.replace(&Route::Login);
    }
}

/// [`to_login`] as a component, for route guards.
#[component]
pub fn RedirectToLogin() -> Html {
    let navigator = use_navigator();
    use_effect_with((), move |_| {
        if let Some(navigator) = &navigator {
            to_login(navigator);
        }
    });
    html! {}
}
