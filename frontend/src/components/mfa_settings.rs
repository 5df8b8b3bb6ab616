//! "Two-step verification" on the account page (`GET /bff/mfa`): off → set it up
//! ([`MfaEnrolmentForm`]) → the recovery codes, shown once → on, with the codes left and
//! a form to turn it off ([`MfaDisableForm`]). After each change the session is fetched
//! again: whether MFA is on, and whether this sign-in now counts as two-step.

use std::cell::Cell;
use std::rc::Rc;

use kyros_common::api::auth::{MfaEnrolment, MfaStatus};
use yew::prelude::*;

use crate::api::{mfa as mfa_api, session as session_api, Api};
use crate::app::Route;
use crate::components::error_state::ErrorState;
use crate::components::focus::focus_by_id;
use crate::components::mfa_disable_form::MfaDisableForm;
use crate::components::mfa_enrolment_form::MfaEnrolmentForm;
use crate::components::route_link::RouteLink;
use crate::components::spinner::Spinner;
use crate::state::fetch::FetchState;
use crate::state::mfa::{recovery_codes_left, MfaPrompt};
use crate::state::session::{use_session, SessionAction};
use crate::state::toast::{use_toasts, ToastAction, ToastKind};

const HEADING_ID: &str = "mfa-heading";

#[derive(Properties, PartialEq)]
pub struct MfaSettingsProps {
    /// Why the user was sent here (a tenant that requires two-step verification).
    #[prop_or_default]
    pub prompt: Option<MfaPrompt>,
}

#[derive(Clone, PartialEq)]
enum Stage {
    /// On or off, as `GET /bff/mfa` says.
    Status,
    Enrolling(Rc<MfaEnrolment>),
    /// Just turned on: the recovery codes, this once.
    RecoveryCodes(Rc<Vec<String>>),
}

#[component]
pub fn MfaSettings(props: &MfaSettingsProps) -> Html {
    let api = use_context::<Api>();
    let session = use_session();
    let toasts = use_toasts();
    let status = use_state(|| FetchState::<MfaStatus>::Loading);
    let reload = use_state(|| 0u32);
    let stage = use_state(|| Stage::Status);
    let starting = use_state(|| false);
    let start_error = use_state(|| None::<String>);

    {
        let (status, api) = (status.clone(), api.clone());
        use_effect_with(*reload, move |_| {
            let stale = Rc::new(Cell::new(false));
            if let Some(api) = api {
                let stale = stale.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = mfa_api::status(&api).await;
                    if !stale.get() {
                        status.set(FetchState::from_result(result));
                    }
                });
            }
            move || stale.set(true)
        });
    }
    // Sent here by a tenant: the section is where the user has to act.
    use_effect_with(props.prompt.is_some(), |prompted| {
        if *prompted {
            focus_by_id(HEADING_ID);
        }
    });

    let changed = {
        let (api, session, status, reload) =
            (api.clone(), session.clone(), status.clone(), reload.clone());
        Callback::from(move |()| {
            status.set(FetchState::Loading);
            reload.set(*reload + 1);
            let Some(api) = api.clone() else { return };
            let session = session.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(info) = session_api::me(&api).await {
                    session.dispatch(SessionAction::Established(info));
                }
            });
        })
    };
    let retry = {
        let (status, reload) = (status.clone(), reload.clone());
        Callback::from(move |()| {
            status.set(FetchState::Loading);
            reload.set(*reload + 1);
        })
    };
    let enrol = {
        let (stage, starting, start_error) = (stage.clone(), starting.clone(), start_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(api) = api.clone() else { return };
            if *starting {
                return;
            }
            starting.set(true);
            start_error.set(None);
            let (stage, starting, start_error) =
                (stage.clone(), starting.clone(), start_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = mfa_api::enrol(&api).await;
                starting.set(false);
                match answer {
                    Ok(enrolment) => stage.set(Stage::Enrolling(Rc::new(enrolment))),
                    Err(failure) if failure.is_auth_lost() => {}
                    Err(failure) => start_error.set(Some(failure.message())),
                }
            });
        })
    };
    let on_enabled = {
        let (stage, changed) = (stage.clone(), changed.clone());
        Callback::from(move |codes: Vec<String>| {
            stage.set(Stage::RecoveryCodes(Rc::new(codes)));
            changed.emit(());
        })
    };
    let back_to_status = {
        let stage = stage.clone();
        Callback::from(move |()| {
            stage.set(Stage::Status);
            // What had focus is gone; the section's heading stays.
            focus_by_id(HEADING_ID);
        })
    };
    let on_disabled = {
        let changed = changed.clone();
        Callback::from(move |()| {
            toasts.dispatch(ToastAction::Show {
                kind: ToastKind::Info,
                text: "Two-step verification is off".to_owned(),
            });
            changed.emit(());
        })
    };

    let body = match (&*stage, &*status) {
        (Stage::Enrolling(enrolment), _) => html! {
            <MfaEnrolmentForm enrolment={enrolment.clone()} {on_enabled} on_cancel={back_to_status} />
        },
        (Stage::RecoveryCodes(codes), _) => html! {
            <MfaRecoveryCodes codes={codes.clone()} on_done={back_to_status} />
        },
        (Stage::Status, FetchState::Loading) => html! { <Spinner label="Loading…" /> },
        (Stage::Status, FetchState::Failed(error)) if error.is_auth_lost() => html! { <Spinner /> },
        (Stage::Status, FetchState::Failed(error)) => {
            html! { <ErrorState error={error.clone()} on_retry={retry} /> }
        }
        (Stage::Status, FetchState::Ready(status)) if status.enabled => html! {
            <>
                <p id="mfa-status" class="mfa-status" data-enabled="true">
                    <span class="badge on">{ "On" }</span>
                    { " Signing in asks for a code from your authenticator app. " }
                    { recovery_codes_left(status.recovery_codes_left) }
                </p>
                <MfaDisableForm {on_disabled} />
            </>
        },
        (Stage::Status, FetchState::Ready(_)) => html! {
            <>
                <p id="mfa-status" class="mfa-status" data-enabled="false">
                    <span class="badge">{ "Off" }</span>
                    { " Add a code from an authenticator app on your phone to your password, so a stolen password alone is not enough." }
                </p>
                <div id="mfa-enrol-error" class="form-error" role="alert">
                    { (*start_error).clone().unwrap_or_default() }
                </div>
                <button id="mfa-enrol" class="button primary" type="button" disabled={*starting} onclick={enrol}>
                    { if *starting { "Preparing…" } else { "Set up two-step verification" } }
                </button>
            </>
        },
    };
    let (mfa_enabled, second_factor) = session.info().map_or((false, false), |info| {
        (info.mfa_enabled, info.second_factor)
    });
    html! {
        <section id="mfa" class="account-section" aria-labelledby={HEADING_ID}>
            <h2 id={HEADING_ID} tabindex="-1">{ "Two-step verification" }</h2>
            if let Some(prompt) = &props.prompt {
                <p id="mfa-notice" class="notice" role="status">
                    { prompt.message(mfa_enabled, second_factor) }
                    if second_factor {
                        { " " }
                        // Home selects the only tenant, or lets the user choose it.
                        <RouteLink to={Route::Home} id="mfa-continue">
                            { format!("Continue to {}", prompt.tenant_name) }
                        </RouteLink>
                    }
                </p>
            }
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MfaRecoveryCodesProps {
    codes: Rc<Vec<String>>,
    on_done: Callback<()>,
}

#[component]
fn MfaRecoveryCodes(props: &MfaRecoveryCodesProps) -> Html {
    // The form that had focus is gone: the codes are what to read now.
    use_effect_with((), |_| focus_by_id("mfa-recovery-heading"));
    let onclick = {
        let done = props.on_done.clone();
        Callback::from(move |_: MouseEvent| done.emit(()))
    };
    html! {
        <div class="mfa-recovery">
            <h3 id="mfa-recovery-heading" tabindex="-1">{ "Two-step verification is on" }</h3>
            <p>
                { "Save these recovery codes somewhere safe, such as a password manager. If you lose your phone, each one signs you in once instead of a code from the app. " }
                <strong>{ "They are shown only now." }</strong>
            </p>
            <ol id="mfa-recovery-codes" class="recovery-codes">
                { for props.codes.iter().map(|code| html! { <li><code>{ code }</code></li> }) }
            </ol>
            <button id="mfa-recovery-done" class="button primary" type="button" {onclick}>
                { "I have saved my recovery codes" }
            </button>
        </div>
    }
}
