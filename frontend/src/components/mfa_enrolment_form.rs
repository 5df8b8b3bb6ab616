//! Setting up two-step verification: the new secret as a QR code (an image made from the
//! server's SVG) and as text to type, then a first code from the app
//! (`POST /bff/mfa/confirm`), which turns it on and returns the recovery codes.

use std::rc::Rc;

use kyros_common::api::auth::MfaEnrolment;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{mfa as mfa_api, Api};
use crate::components::focus::focus_by_id;
use crate::state::mfa::{
    authenticator_link, grouped_secret, qr_image_src, refusal_message, WRONG_CONFIRM_CODE,
};
use crate::state::sign_in::{normalise_code, ENTER_CODE};

const CODE_ID: &str = "mfa-confirm-code";

#[derive(Properties, PartialEq)]
pub struct MfaEnrolmentFormProps {
    pub enrolment: Rc<MfaEnrolment>,
    /// Two-step verification is on; the recovery codes, to show once.
    pub on_enabled: Callback<Vec<String>>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn MfaEnrolmentForm(props: &MfaEnrolmentFormProps) -> Html {
    let api = use_context::<Api>();
    let code = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    // The button that opened this is gone: start reading at the instructions.
    use_effect_with((), |_| focus_by_id("mfa-enrol-heading"));

    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| {
            code.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    let onsubmit = {
        let (code, error, busy) = (code.clone(), error.clone(), busy.clone());
        let on_enabled = props.on_enabled.clone();
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
            let (code, error, busy, on_enabled) = (
                code.clone(),
                error.clone(),
                busy.clone(),
                on_enabled.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = mfa_api::confirm(&api, typed).await;
                busy.set(false);
                match answer {
                    Ok(enabled) => on_enabled.emit(enabled.recovery_codes),
                    Err(failure) if failure.is_auth_lost() => {}
                    Err(failure) => {
                        code.set(String::new());
                        error.set(Some(refusal_message(&failure, WRONG_CONFIRM_CODE)));
                        focus_by_id(CODE_ID);
                    }
                }
            });
        })
    };

    let enrolment = &props.enrolment;
    html! {
        <div id="mfa-enrolment" class="mfa-enrolment">
            <h3 id="mfa-enrol-heading" tabindex="-1">{ "Add Kyros to your authenticator app" }</h3>
            <ol class="mfa-steps">
                <li>
                    <p>{ "Scan this QR code with an authenticator app (such as 1Password, Google Authenticator or Microsoft Authenticator)." }</p>
                    <img
                        id="mfa-qr"
                        class="mfa-qr"
                        src={qr_image_src(&enrolment.qr_svg)}
                        alt="QR code to add Kyros to your authenticator app"
                        width="200"
                        height="200"
                    />
                    <p class="field-hint">
                        { "Cannot scan it? Enter this key in the app instead:" }
                    </p>
                    <p><code id="mfa-secret" class="mfa-secret">{ grouped_secret(&enrolment.secret) }</code></p>
                    if let Some(link) = authenticator_link(&enrolment.otpauth_url) {
                        <p class="field-hint">
                            <a href={link.to_owned()}>{ "Or open it in an authenticator app on this device" }</a>
                        </p>
                    }
                </li>
                <li>
                    <form id="mfa-confirm-form" aria-busy={busy.then_some("true")} novalidate=true {onsubmit}>
                        <div id="mfa-confirm-error" class="form-error" role="alert">
                            { (*error).clone().unwrap_or_default() }
                        </div>
                        <div class="field">
                            <label for={CODE_ID}>{ "Code from the app" }</label>
                            <input
                                id={CODE_ID}
                                name="code"
                                type="text"
                                autocomplete="one-time-code"
                                inputmode="numeric"
                                maxlength="16"
                                required=true
                                aria-invalid={error.is_some().then_some("true")}
                                aria-describedby="mfa-confirm-error"
                                value={(*code).clone()}
                                oninput={on_code}
                            />
                        </div>
                        <div class="form-actions">
                            <button id="mfa-confirm" class="button primary" type="submit" disabled={*busy}>
                                { if *busy { "Checking…" } else { "Turn on" } }
                            </button>
                            <button id="mfa-enrol-cancel" class="button" type="button" onclick={cancel}>
                                { "Cancel" }
                            </button>
                        </div>
                    </form>
                </li>
            </ol>
        </div>
    }
}
