//! `/login`: email and password against `POST /bff/login`; a link for a forgotten password.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{session as session_api, Api};
use crate::app::Route;
use crate::components::page_title::use_page_title;
use crate::components::redirect::RedirectTo;
use crate::components::route_link::RouteLink;
use crate::state::session::{use_session, SessionAction, SessionStatus};

#[component]
pub fn LoginPage() -> Html {
    use_page_title("Sign in".to_owned());
    let session = use_session();
    let api = use_context::<Api>();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submitting = use_state(|| false);

    if let SessionStatus::SignedIn(_) = session.status {
        return html! { <RedirectTo to={Route::Home} /> };
    }

    let on_email = {
        let email = email.clone();
        Callback::from(move |e: InputEvent| {
            email.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            password.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (email, password, error, submitting) = (
            email.clone(),
            password.clone(),
            error.clone(),
            submitting.clone(),
        );
        let session = session.clone();
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
            let (password, error, submitting, session) = (
                password.clone(),
                error.clone(),
                submitting.clone(),
                session.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match session_api::login(&api, address, secret).await {
                    Ok(info) => session.dispatch(SessionAction::Established(info)),
                    Err(failure) => {
                        password.set(String::new());
                        error.set(Some(failure.message()));
                    }
                }
                submitting.set(false);
            });
        })
    };

    let invalid = error.is_some().then_some("true");
    html! {
        <section class="page login-page">
            <form id="login-form" class="login-card" aria-labelledby="login-heading" novalidate=true {onsubmit}>
                <h1 id="login-heading">{ "Sign in to Kyros" }</h1>
                if let Some(notice) = &session.notice {
                    <p id="login-notice" class="notice" role="status">{ notice }</p>
                }
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
                        value={(*email).clone()}
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
        </section>
    }
}
