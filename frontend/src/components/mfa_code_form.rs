//! The code step of the login page (`POST /bff/login/mfa`): a code from the user's
//! authenticator app, or one of their recovery codes, in the same field.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{session as session_api, Api, ApiError};
use crate::components::focus::focus_by_id;
use crate::state::session::{use_session, SessionAction};
use crate::state::sign_in::{code_refusal, normalise_code, CodeRefusal, ENTER_CODE};

const CODE_ID: &str = "mfa-code";

#[derive(Properties, PartialEq)]
pub struct MfaCodeFormProps {
    /// When the server stops waiting for the code (milliseconds since the epoch).
    pub deadline: f64,
    /// Back to the password step, with the reason when it is not the user's choice.
    pub on_start_over: Callback<Option<String>>,
}

#[component]
pub fn MfaCodeForm(props: &MfaCodeFormProps) -> Html {
    let session = use_session();
    let api = use_context::<Api>();
    let code = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let wrong_codes = use_state(|| 0u32);
    // A recovery code has letters: the field then asks for a text keyboard.
    let recovery = use_state(|| false);

    // The step replaces the password form: keyboard and screen-reader users land here.
    use_effect_with((), |_| focus_by_id(CODE_ID));

    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| {
            code.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let toggle_recovery = {
        let recovery = recovery.clone();
        Callback::from(move |_: MouseEvent| {
            recovery.set(!*recovery);
            focus_by_id(CODE_ID);
        })
    };
    let start_over = {
        let on_start_over = props.on_start_over.clone();
        Callback::from(move |_: MouseEvent| on_start_over.emit(None))
    };
    let onsubmit = {
        let (code, error, busy, wrong_codes) = (
            code.clone(),
            error.clone(),
            busy.clone(),
            wrong_codes.clone(),
        );
        let (deadline, on_start_over) = (props.deadline, props.on_start_over.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(api) = api.clone() else { return };
            if *busy {
                return;
            }
            let typed = normalise_code(&code);
            if typed.is_empty() {
                error.set(Some(ENTER_CODE.to_owned()));
                focus_by_id(CODE_ID);
                return;
            }
            busy.set(true);
            error.set(None);
            let (code, error, busy, wrong_codes, session, on_start_over) = (
                code.clone(),
                error.clone(),
                busy.clone(),
                wrong_codes.clone(),
                session.clone(),
                on_start_over.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = session_api::login_mfa(&api, typed).await;
                busy.set(false);
                let failure = match answer {
                    Ok(info) => {
                        session.dispatch(SessionAction::Established(info));
                        return;
                    }
                    Err(failure) => failure,
                };
                let wrong = *wrong_codes + u32::from(failure == ApiError::InvalidCredentials);
                wrong_codes.set(wrong);
                let expired = js_sys::Date::now() >= deadline;
                match code_refusal(&failure, wrong, expired) {
                    CodeRefusal::TryAgain(message) => {
                        code.set(String::new());
                        error.set(Some(message));
                        focus_by_id(CODE_ID);
                    }
                    CodeRefusal::StartOver(reason) => on_start_over.emit(Some(reason)),
                }
            });
        })
    };

    let (label, inputmode, hint, switch) = if *recovery {
        (
            "Recovery code",
            "text",
            "One of the recovery codes you saved when you set up two-step verification, such as abcde-fghjk. Each works once.",
            "Use a code from your app instead",
        )
    } else {
        (
            "Authentication code",
            "numeric",
            "The 6-digit code your authenticator app shows for Kyros.",
            "Use a recovery code",
        )
    };
    html! {
        <form id="mfa-form" aria-labelledby="mfa-heading" aria-busy={busy.then_some("true")} novalidate=true {onsubmit}>
            <h2 id="mfa-heading">{ "Two-step verification" }</h2>
            <p class="form-intro">
                { "Your account is protected with two-step verification. Enter a code to finish signing in." }
            </p>
            <div id="mfa-error" class="form-error" role="alert">
                { (*error).clone().unwrap_or_default() }
            </div>
            <div class="field">
                <label for={CODE_ID}>{ label }</label>
                <input
                    id={CODE_ID}
                    name="code"
                    type="text"
                    autocomplete="one-time-code"
                    inputmode={inputmode}
                    autocapitalize="off"
                    spellcheck="false"
                    maxlength="64"
                    required=true
                    autofocus=true
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby="mfa-code-hint mfa-error"
                    value={(*code).clone()}
                    oninput={on_code}
                />
                <p id="mfa-code-hint" class="field-hint">{ hint }</p>
            </div>
            <button id="mfa-submit" class="button primary" type="submit" disabled={*busy}>
                { if *busy { "Checking…" } else { "Verify" } }
            </button>
            <p class="form-links stacked">
                <button id="mfa-recovery-toggle" class="link-button" type="button" onclick={toggle_recovery}>
                    { switch }
                </button>
                <button id="mfa-start-over" class="link-button" type="button" onclick={start_over}>
                    { "Sign in as someone else" }
                </button>
            </p>
        </form>
    }
}
