//! `/logout`: ends the server-side session, then back to the login page.

use yew::prelude::*;

use crate::api::{session as session_api, Api};
use crate::app::Route;
use crate::components::page_title::use_page_title;
use crate::components::redirect::RedirectTo;
use crate::components::spinner::Spinner;
use crate::state::session::{use_session, SessionAction};

#[component]
pub fn LogoutPage() -> Html {
    use_page_title("Signing out".to_owned());
    let session = use_session();
    let api = use_context::<Api>();
    let done = use_state(|| false);
    {
        let done = done.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(api) = api {
                    // Whatever the answer (already expired, network), the shell forgets the session.
                    let _ = session_api::logout(&api).await;
                }
                session.dispatch(SessionAction::SignedOut);
                done.set(true);
            });
        });
    }
    if *done {
        html! { <RedirectTo to={Route::Login} /> }
    } else {
        html! { <Spinner label="Signing out…" /> }
    }
}
