//! The password step of the login page (`POST /bff/login`): signed in, or — for a user
//! with two-step verification — on to the code step.

use kyros_common::api::me::LoginAnswer;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{session as session_api, Api};
use crate::app::Route;
use crate::components::route_link::RouteLink;
use crate::state::session::{use_session, SessionAction};

#[derive(Properties, PartialEq)]
pub struct PasswordSignInProps {
    /// The email address (kept by the page: single sign-on starts with it).
    pub email: AttrValue,
    pub on_email: Callback<String>,
    /// The password was right and a code is needed; the seconds the server waits for it.
    pub on_code_needed: Callback<u64>,
}

#[component]
pub fn PasswordSignIn(props: &PasswordSignInProps) -> Html {
    let session = use_session();
    let api = use_context::<Api>();
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submitting = use_state(|| false);

    let on_email = {
        let on_email = props.on_email.clone();
        Callback::from(move |e: InputEvent| {
            on_email.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            password.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (password, error, submitting) = (password.clone(), error.clone(), submitting.clone());
        let email = props.email.clone();
        let on_code_needed = props.on_code_needed.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(api) = api.clone() else { return };
            if *submitting {
                return;
            }
            let address = email.trim().to_owned();
            if address.is_empty() || password.is_empty() {
                error.set(Some("Enter your email address and password.".to_owned()));
                return;
            }
            submitting.set(true);
            error.set(None);
            let secret = (*password).clone();
            let (password, error, submitting, session, on_code_needed) = (
                password.clone(),
                error.clone(),
                submitting.clone(),
                session.clone(),
                on_code_needed.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = session_api::login(&api, address, secret).await;
                submitting.set(false);
                match answer {
                    Ok(LoginAnswer::SignedIn(info)) => {
                        session.dispatch(SessionAction::Established(info))
                    }
                    Ok(LoginAnswer::MfaRequired(step)) => on_code_needed.emit(step.expires_in),
                    Err(failure) => {
                        password.set(String::new());
                        error.set(Some(failure.message()));
                    }
                }
            });
        })
    };

    let invalid = error.is_some().then_some("true");
    html! {
        <form id="login-form" aria-labelledby="login-heading" novalidate=true {onsubmit}>
            <div id="login-error" class="form-error" role="alert">
                { (*error).clone().unwrap_or_default() }
            </div>
            <div class="field">
                <label for="email">{ "Email" }</label>
                <input
                    id="email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    required=true
                    autofocus=true
                    aria-invalid={invalid}
                    aria-describedby="login-error"
                    value={props.email.clone()}
                    oninput={on_email}
                />
            </div>
            <div class="field">
                <label for="password">{ "Password" }</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required=true
                    aria-invalid={invalid}
                    aria-describedby="login-error"
                    value={(*password).clone()}
                    oninput={on_password}
                />
            </div>
            <button id="login-submit" class="button primary" type="submit" disabled={*submitting}>
                { if *submitting { "Signing in…" } else { "Sign in" } }
            </button>
            <p class="form-links">
                <RouteLink to={Route::ForgotPassword} id="forgot-password-link">
                    { "Forgot your password?" }
                </RouteLink>
            </p>
        </form>
    }
}
