//! "Change password" on the account page (`POST /bff/password`): the current password,
//! the new one typed twice. A wrong current password is shown next to its field and
//! keeps the user signed in.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{account as account_api, Api};
use crate::components::focus::focus_by_id;
use crate::components::password_fields::{NewPasswordFields, NEW_PASSWORD_ID, REPEAT_PASSWORD_ID};
use crate::state::account::{
    check_new_password, refusal, Refusal, ENTER_CURRENT_PASSWORD, PASSWORD_CHANGED,
    WRONG_CURRENT_PASSWORD,
};
use crate::state::session::use_session;
use crate::state::toast::{use_toasts, ToastAction, ToastKind};

const CURRENT_PASSWORD_ID: &str = "current-password";

#[derive(Properties, PartialEq)]
pub struct ChangePasswordFormProps {
    /// After a change (the other sessions were signed out).
    pub on_changed: Callback<()>,
}

#[component]
pub fn ChangePasswordForm(props: &ChangePasswordFormProps) -> Html {
    let api = use_context::<Api>();
    let session = use_session();
    let toasts = use_toasts();
    let current = use_state(String::new);
    let password = use_state(String::new);
    let repeat = use_state(String::new);
    let submitted = use_state(|| false);
    let wrong_current = use_state(|| false);
    // The server's strength verdict, until the new password is edited.
    let weak = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    let on_current = {
        let (current, wrong_current) = (current.clone(), wrong_current.clone());
        Callback::from(move |e: InputEvent| {
            current.set(e.target_unchecked_into::<HtmlInputElement>().value());
            wrong_current.set(false);
        })
    };
    let on_password = {
        let (password, weak) = (password.clone(), weak.clone());
        Callback::from(move |value: String| {
            password.set(value);
            weak.set(None);
        })
    };
    let on_repeat = {
        let repeat = repeat.clone();
        Callback::from(move |value: String| repeat.set(value))
    };
    let onsubmit = {
        let (current, password, repeat, submitted, wrong_current, weak, error, busy) = (
            current.clone(),
            password.clone(),
            repeat.clone(),
            submitted.clone(),
            wrong_current.clone(),
            weak.clone(),
            error.clone(),
            busy.clone(),
        );
        let on_changed = props.on_changed.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(api) = api.clone() else { return };
            if *busy {
                return;
            }
            submitted.set(true);
            let problems = check_new_password(&password, &repeat, true);
            if current.is_empty() {
                focus_by_id(CURRENT_PASSWORD_ID);
                return;
            }
            if !problems.is_empty() {
                focus_by_id(if problems.password.is_some() {
                    NEW_PASSWORD_ID
                } else {
                    REPEAT_PASSWORD_ID
                });
                return;
            }
            busy.set(true);
            error.set(None);
            let (old_secret, new_secret) = ((*current).clone(), (*password).clone());
            let (current, password, repeat, submitted, wrong_current, weak, error, busy) = (
                current.clone(),
                password.clone(),
                repeat.clone(),
                submitted.clone(),
                wrong_current.clone(),
                weak.clone(),
                error.clone(),
                busy.clone(),
            );
            let (toasts, on_changed) = (toasts.clone(), on_changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match account_api::change_password(&api, old_secret, new_secret).await {
                    Ok(()) => {
                        for field in [&current, &password, &repeat] {
                            field.set(String::new());
                        }
                        submitted.set(false);
                        toasts.dispatch(ToastAction::Show {
                            kind: ToastKind::Info,
                            text: PASSWORD_CHANGED.to_owned(),
                        });
                        on_changed.emit(());
                    }
                    Err(failure) => match refusal(&failure) {
                        Refusal::CurrentPassword => {
                            current.set(String::new());
                            wrong_current.set(true);
                            focus_by_id(CURRENT_PASSWORD_ID);
                        }
                        Refusal::NewPassword(detail) => {
                            weak.set(Some(detail));
                            focus_by_id(NEW_PASSWORD_ID);
                        }
                        Refusal::SessionLost => {}
                        Refusal::Form(message) => error.set(Some(message)),
                        Refusal::InvalidLink | Refusal::Email(_) => {
                            error.set(Some(failure.message()))
                        }
                    },
                }
                busy.set(false);
            });
        })
    };

    let current_problem = if *wrong_current {
        Some(WRONG_CURRENT_PASSWORD)
    } else if *submitted && current.is_empty() {
        Some(ENTER_CURRENT_PASSWORD)
    } else {
        None
    };
    let mut problems = check_new_password(&password, &repeat, *submitted);
    problems.password = problems.password.or_else(|| (*weak).clone());
    let email = session
        .info()
        .map(|info| info.user.email.clone())
        .unwrap_or_default();
    html! {
        <section class="account-section" aria-labelledby="change-password-heading">
            <h2 id="change-password-heading">{ "Change password" }</h2>
            <p class="section-description">{ "Changing your password signs out your other sessions." }</p>
            <form id="change-password-form" aria-labelledby="change-password-heading" aria-busy={busy.then_some("true")} novalidate=true {onsubmit}>
                <div id="change-password-error" class="form-error" role="alert">
                    { (*error).clone().unwrap_or_default() }
                </div>
                // Lets password managers file the new password under the right account.
                <input type="email" name="username" autocomplete="username" value={email} hidden=true readonly=true />
                <div class="field">
                    <label for={CURRENT_PASSWORD_ID}>{ "Current password" }</label>
                    <input
                        id={CURRENT_PASSWORD_ID}
                        name="current-password"
                        type="password"
                        autocomplete="current-password"
                        required=true
                        aria-invalid={current_problem.is_some().then_some("true")}
                        aria-describedby="current-password-problem"
                        value={(*current).clone()}
                        oninput={on_current}
                    />
                    <p id="current-password-problem" class="field-problem" aria-live="polite">
                        { current_problem.unwrap_or_default() }
                    </p>
                </div>
                <NewPasswordFields
                    password={AttrValue::from((*password).clone())}
                    repeat={AttrValue::from((*repeat).clone())}
                    {problems}
                    {on_password}
                    {on_repeat}
                />
                <button id="change-password-submit" class="button primary" type="submit" disabled={*busy}>
                    { if *busy { "Changing…" } else { "Change password" } }
                </button>
            </form>
        </section>
    }
}
