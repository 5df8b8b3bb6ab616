//! The new-password pair of the invitation, reset and change-password forms: the field,
//! its repetition, the length hint, and the problem of each shown next to it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::account::{password_hint, PasswordProblems};

pub const NEW_PASSWORD_ID: &str = "new-password";
pub const REPEAT_PASSWORD_ID: &str = "repeat-password";

#[derive(Properties, PartialEq)]
pub struct NewPasswordFieldsProps {
    pub password: AttrValue,
    pub repeat: AttrValue,
    /// What to show next to each field (the live checks, or the server's refusal).
    pub problems: PasswordProblems,
    pub on_password: Callback<String>,
    pub on_repeat: Callback<String>,
    #[prop_or(AttrValue::Static("New password"))]
    pub label: AttrValue,
}

#[component]
pub fn NewPasswordFields(props: &NewPasswordFieldsProps) -> Html {
    let on_password = {
        let emit = props.on_password.clone();
        Callback::from(move |e: InputEvent| {
            emit.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_repeat = {
        let emit = props.on_repeat.clone();
        Callback::from(move |e: InputEvent| {
            emit.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let problems = &props.problems;
    html! {
        <>
            <div class="field">
                <label for={NEW_PASSWORD_ID}>{ props.label.clone() }</label>
                <input
                    id={NEW_PASSWORD_ID}
                    name="new-password"
                    type="password"
                    autocomplete="new-password"
                    required=true
                    aria-invalid={problems.password.is_some().then_some("true")}
                    aria-describedby="new-password-hint new-password-problem"
                    value={props.password.clone()}
                    oninput={on_password}
                />
                <p id="new-password-hint" class="field-hint">{ password_hint() }</p>
                <p id="new-password-problem" class="field-problem" aria-live="polite">
                    { problems.password.clone().unwrap_or_default() }
                </p>
            </div>
            <div class="field">
                <label for={REPEAT_PASSWORD_ID}>{ "Repeat the new password" }</label>
                <input
                    id={REPEAT_PASSWORD_ID}
                    name="repeat-password"
                    type="password"
                    autocomplete="new-password"
                    required=true
                    aria-invalid={problems.repeat.is_some().then_some("true")}
                    aria-describedby="repeat-password-problem"
                    value={props.repeat.clone()}
                    oninput={on_repeat}
                />
                <p id="repeat-password-problem" class="field-problem" aria-live="polite">
                    { problems.repeat.clone().unwrap_or_default() }
                </p>
            </div>
        </>
    }
}
