//! A redirect that replaces the current history entry instead of pushing a new one.
//!
//! yew-router's `Redirect` pushes: a page that only redirects (a guarded page after
//! sign-out, `/logout`, `/login` when signed in) would stay in the history, and the back
//! button would land on it again and bounce forward. Replacing it lets back move on to the
//! entry before, and a signed-out user never gets to a page with data either way.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

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
