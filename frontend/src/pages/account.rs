//! `/account`: the signed-in user's password, two-step verification and sessions (no
//! tenant needed). A tenant that requires two-step verification sends the user here with
//! an [`MfaPrompt`] in the history state.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::change_password_form::ChangePasswordForm;
use crate::components::mfa_settings::MfaSettings;
use crate::components::page_title::use_page_title;
use crate::components::session_list::SessionList;
use crate::state::mfa::MfaPrompt;
use crate::state::session::use_session;

#[component]
pub fn AccountPage() -> Html {
    use_page_title("Your account".to_owned());
    let session = use_session();
    let location = use_location();
    // A password change signs the other sessions out (and renews this one): list again.
    let refresh = use_state(|| 0u32);
    let on_changed = {
        let refresh = refresh.clone();
        Callback::from(move |()| refresh.set(*refresh + 1))
    };
    let email = session.info().map(|info| info.user.email.clone());
    let prompt = location
        .and_then(|location| location.state::<MfaPrompt>())
        .map(|prompt| (*prompt).clone());
    html! {
        <section id="account" class="page account-page">
            <header class="page-header">
                <h1>{ "Your account" }</h1>
                if let Some(email) = email {
                    <p class="page-description">{ format!("Signed in as {email}") }</p>
                }
            </header>
            <div class="account-grid">
                <div class="account-column">
                    <ChangePasswordForm {on_changed} />
                    <MfaSettings {prompt} />
                </div>
                <SessionList refresh={*refresh} />
            </div>
        </section>
    }
}
