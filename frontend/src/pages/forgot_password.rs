//! `/forgot-password`: ask for a reset link by email; the answer never says whether an
//! account exists for the address.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{account as account_api, Api};
use crate::app::Route;
use crate::components::focus::focus_by_id;
use crate::components::page_title::use_page_title;
use crate::components::route_link::RouteLink;
use crate::state::account::{check_email, refusal, Refusal, FORGOT_ACKNOWLEDGEMENT};

const EMAIL_ID: &str = "forgot-email";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Editing,
    Submitting,
    Sent,
}

#[component]
pub fn ForgotPasswordPage() -> Html {
    use_page_title("Forgot your password".to_owned());
    let api = use_context::<Api>();
    let email = use_state(String::new);
    // After the first submit the address is checked as it is typed.
    let submitted = use_state(|| false);
    let refused = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let phase = use_state(|| Phase::Editing);

    use_effect_with(*phase, |phase| {
        if *phase == Phase::Sent {
            focus_by_id("forgot-sent-heading");
        }
    });

    let on_email = {
        let (email, refused) = (email.clone(), refused.clone());
        Callback::from(move |e: InputEvent| {
            email.set(e.target_unchecked_into::<HtmlInputElement>().value());
            refused.set(None);
        })
    };
    let onsubmit = {
        let (email, submitted, refused, error, phase) = (
            email.clone(),
            submitted.clone(),
            refused.clone(),
            error.clone(),
            phase.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(api) = api.clone() else { return };
            if *phase != Phase::Editing {
                return;
            }
            submitted.set(true);
            let Ok(address) = check_email(&email) else {
                focus_by_id(EMAIL_ID);
                return;
            };
            phase.set(Phase::Submitting);
            error.set(None);
            let (refused, error, phase) = (refused.clone(), error.clone(), phase.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Err(failure) = account_api::forgot_password(&api, address).await else {
                    phase.set(Phase::Sent);
                    return;
                };
                match refusal(&failure) {
                    Refusal::Email(detail) => {
                        refused.set(Some(detail));
                        focus_by_id(EMAIL_ID);
                    }
                    Refusal::Form(message) => error.set(Some(message)),
                    _ => error.set(Some(failure.message())),
                }
                phase.set(Phase::Editing);
            });
        })
    };

    if *phase == Phase::Sent {
        return html! {
            <section class="page auth-page">
                <div id="forgot-sent" class="auth-card" role="status">
                    <h1 id="forgot-sent-heading" tabindex="-1">{ "Check your email" }</h1>
                    <p>{ FORGOT_ACKNOWLEDGEMENT }</p>
                    <p class="field-hint">{ "The link works once and expires after a while. Nothing arrived? Check your spam folder, or ask again." }</p>
                    <RouteLink to={Route::Login} id="to-login" classes={classes!("button")}>
                        { "Back to sign in" }
                    </RouteLink>
                </div>
            </section>
        };
    }

    let busy = *phase == Phase::Submitting;
    let problem = (*refused).clone().or_else(|| {
        if *submitted {
            check_email(&email).err()
        } else {
            None
        }
    });
    html! {
        <section class="page auth-page">
            <form
                id="forgot-form"
                class="auth-card"
                aria-labelledby="forgot-heading"
                aria-busy={busy.then_some("true")}
                novalidate=true
                {onsubmit}
            >
                <h1 id="forgot-heading">{ "Forgot your password?" }</h1>
                <p class="form-intro">{ "Enter the email address you sign in with, and we will send you a link to choose a new password." }</p>
                <div id="forgot-error" class="form-error" role="alert">
                    { (*error).clone().unwrap_or_default() }
                </div>
                <div class="field">
                    <label for={EMAIL_ID}>{ "Email" }</label>
                    <input
                        id={EMAIL_ID}
                        name="email"
                        type="email"
                        autocomplete="username"
                        required=true
                        autofocus=true
                        aria-invalid={problem.is_some().then_some("true")}
                        aria-describedby="forgot-email-problem"
                        value={(*email).clone()}
                        oninput={on_email}
                    />
                    <p id="forgot-email-problem" class="field-problem" aria-live="polite">
                        { problem.unwrap_or_default() }
                    </p>
                </div>
                <button id="forgot-submit" class="button primary" type="submit" disabled={busy}>
                    { if busy { "Sending…" } else { "Send the link" } }
                </button>
                <p class="form-links">
                    <RouteLink to={Route::Login} id="back-to-login">{ "Back to sign in" }</RouteLink>
                </p>
            </form>
        </section>
    }
}
