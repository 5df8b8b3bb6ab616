//! `/login`: email and password, then — for a user with two-step verification — a code;
//! or "Sign in with your organisation" (single sign-on). Once signed in (or when already
//! signed in) it goes to `?next=` when that is a same-origin path, else home.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::mfa_code_form::MfaCodeForm;
use crate::components::page_title::use_page_title;
use crate::components::password_sign_in::PasswordSignIn;
use crate::components::redirect::RedirectToPath;
use crate::components::sso_sign_in::SsoSignIn;
use crate::state::session::use_session;
use crate::state::sign_in::{sso_error_message, LoginQuery};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Password,
    /// The password was right; the server waits for a code until `deadline` (ms since
    /// the epoch, by this browser's clock).
    Code {
        deadline: f64,
    },
}

#[component]
pub fn LoginPage() -> Html {
    use_page_title("Sign in".to_owned());
    let session = use_session();
    let location = use_location();
    let step = use_state(|| Step::Password);
    let email = use_state(String::new);
    // Why the code step ended (too slow, too many wrong codes), on the password step.
    let restarted = use_state(|| None::<String>);

    let query = location
        .as_ref()
        .map(|location| LoginQuery::parse(location.query_str()))
        .unwrap_or_default();
    if session.info().is_some() {
        let to = query.next().unwrap_or_else(|| Route::Home.to_path());
        return html! { <RedirectToPath path={to} /> };
    }

    let on_email = {
        let email = email.clone();
        Callback::from(move |address: String| email.set(address))
    };
    let on_code_needed = {
        let (step, restarted) = (step.clone(), restarted.clone());
        Callback::from(move |expires_in: u64| {
            restarted.set(None);
            let deadline = js_sys::Date::now() + expires_in as f64 * 1000.0;
            step.set(Step::Code { deadline });
        })
    };
    let on_start_over = {
        let (step, restarted) = (step.clone(), restarted.clone());
        Callback::from(move |reason: Option<String>| {
            restarted.set(reason);
            step.set(Step::Password);
        })
    };

    let notice = (*restarted).clone().or_else(|| session.notice.clone());
    let sso_error = query
        .sso_error
        .as_deref()
        .filter(|_| *step == Step::Password)
        .map(sso_error_message);
    let body = match *step {
        Step::Password => html! {
            <>
                <PasswordSignIn email={AttrValue::from((*email).clone())} {on_email} {on_code_needed} />
                <SsoSignIn next={query.next().map(AttrValue::from)} email={AttrValue::from((*email).clone())} />
            </>
        },
        Step::Code { deadline } => html! { <MfaCodeForm {deadline} {on_start_over} /> },
    };
    html! {
        <section class="page login-page">
            <div class="login-card">
                <h1 id="login-heading">{ "Sign in to Kyros" }</h1>
                if let (Step::Password, Some(notice)) = (*step, notice) {
                    <p id="login-notice" class="notice" role="status">{ notice }</p>
                }
                if let Some(message) = sso_error {
                    <div id="sso-error" class="form-error" role="alert">{ message }</div>
                }
                { body }
            </div>
        </section>
    }
}
