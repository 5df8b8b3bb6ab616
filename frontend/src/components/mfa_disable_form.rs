//! Turning two-step verification off (`POST /bff/mfa/disable`): the password and a
//! current code (or a recovery code), so that a session left open is not enough.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{mfa as mfa_api, Api};
use crate::components::focus::focus_by_id;
use crate::state::mfa::{refusal_message, ENTER_PASSWORD_AND_CODE, WRONG_DISABLE_CREDENTIALS};
use crate::state::sign_in::normalise_code;

const PASSWORD_ID: &str = "mfa-disable-password";
const CODE_ID: &str = "mfa-disable-code";

#[derive(Properties, PartialEq)]
pub struct MfaDisableFormProps {
    pub on_disabled: Callback<()>,
}

#[component]
pub fn MfaDisableForm(props: &MfaDisableFormProps) -> Html {
    let api = use_context::<Api>();
    let password = use_state(String::new);
    let code = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    let input = |field: &UseStateHandle<String>| {
        let field = field.clone();
        Callback::from(move |e: InputEvent| {
            field.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let (on_password, on_code) = (input(&password), input(&code));
    let onsubmit = {
        let (password, code, error, busy) =
            (password.clone(), code.clone(), error.clone(), busy.clone());
        let on_disabled = props.on_disabled.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(api) = api.clone() else { return };
            if *busy {
                return;
            }
            let typed = normalise_code(&code);
            if password.is_empty() || typed.is_empty() {
                error.set(Some(ENTER_PASSWORD_AND_CODE.to_owned()));
                focus_by_id(if password.is_empty() {
                    PASSWORD_ID
                } else {
                    CODE_ID
                });
                return;
            }
            busy.set(true);
            error.set(None);
            let secret = (*password).clone();
            let (password, code, error, busy, on_disabled) = (
                password.clone(),
                code.clone(),
                error.clone(),
                busy.clone(),
                on_disabled.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = mfa_api::disable(&api, secret, typed).await;
                busy.set(false);
                password.set(String::new());
                code.set(String::new());
                match answer {
                    Ok(()) => on_disabled.emit(()),
                    Err(failure) if failure.is_auth_lost() => {}
                    Err(failure) => {
                        error.set(Some(refusal_message(&failure, WRONG_DISABLE_CREDENTIALS)));
                        focus_by_id(PASSWORD_ID);
                    }
                }
            });
        })
    };

    let invalid = error.is_some().then_some("true");
    html! {
        <form id="mfa-disable-form" aria-labelledby="mfa-disable-heading" aria-busy={busy.then_some("true")} novalidate=true {onsubmit}>
            <h3 id="mfa-disable-heading">{ "Turn off two-step verification" }</h3>
            <p class="section-description">
                { "Your account is then protected by your password alone, and tenants that require two-step verification will not open." }
            </p>
            <div id="mfa-disable-error" class="form-error" role="alert">
                { (*error).clone().unwrap_or_default() }
            </div>
            <div class="field">
                <label for={PASSWORD_ID}>{ "Password" }</label>
                <input
                    id={PASSWORD_ID}
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required=true
                    aria-invalid={invalid}
                    aria-describedby="mfa-disable-error"
                    value={(*password).clone()}
                    oninput={on_password}
                />
            </div>
            <div class="field">
                <label for={CODE_ID}>{ "Code from your app, or a recovery code" }</label>
                <input
                    id={CODE_ID}
                    name="code"
                    type="text"
                    autocomplete="one-time-code"
                    autocapitalize="off"
                    spellcheck="false"
                    maxlength="64"
                    required=true
                    aria-invalid={invalid}
                    aria-describedby="mfa-disable-error"
                    value={(*code).clone()}
                    oninput={on_code}
                />
            </div>
            <button id="mfa-disable" class="button danger" type="submit" disabled={*busy}>
                { if *busy { "Turning off…" } else { "Turn off" } }
            </button>
        </form>
    }
}
