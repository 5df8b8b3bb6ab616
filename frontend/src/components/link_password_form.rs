//! The form behind an emailed link (`/invite`, `/reset-password`): the token from the
//! fragment, a new password typed twice (and, for an invitation, an optional name), then
//! a link to the sign-in page; an unknown, used or expired link says so.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{account as account_api, Api};
use crate::app::Route;
use crate::components::focus::focus_by_id;
use crate::components::link_token::use_link_token;
use crate::components::password_fields::{NewPasswordFields, NEW_PASSWORD_ID, REPEAT_PASSWORD_ID};
use crate::components::route_link::RouteLink;
use crate::state::account::{
    check_new_password, optional_name, refusal, Refusal, INVALID_INVITATION, INVALID_RESET_LINK,
};

/// Which link the form redeems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    Reset,
}

impl LinkPurpose {
    /// Prefix of the element ids (`invite-form`, `reset-done`, …).
    fn prefix(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invite",
            LinkPurpose::Reset => "reset",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "Accept your invitation",
            LinkPurpose::Reset => "Choose a new password",
        }
    }

    fn intro(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "Choose a password to finish setting up your Kyros account.",
            LinkPurpose::Reset => "Choose a new password; your other sessions will be signed out.",
        }
    }

    fn submit(self, busy: bool) -> &'static str {
        match (self, busy) {
            (LinkPurpose::Invitation, false) => "Create my account",
            (LinkPurpose::Invitation, true) => "Creating your account…",
            (LinkPurpose::Reset, false) => "Change password",
            (LinkPurpose::Reset, true) => "Changing your password…",
        }
    }

    fn done(self) -> (&'static str, &'static str) {
        match self {
            LinkPurpose::Invitation => (
                "Your account is ready",
                "Sign in with your email address and the password you just chose.",
            ),
            LinkPurpose::Reset => (
                "Your password has been changed",
                "Sign in with your email address and your new password.",
            ),
        }
    }

    fn invalid(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => INVALID_INVITATION,
            LinkPurpose::Reset => INVALID_RESET_LINK,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Editing,
    Submitting,
    Done,
    InvalidLink,
}

#[derive(Properties, PartialEq)]
pub struct LinkPasswordFormProps {
    pub purpose: LinkPurpose,
}

#[component]
pub fn LinkPasswordForm(props: &LinkPasswordFormProps) -> Html {
    let purpose = props.purpose;
    let prefix = purpose.prefix();
    let api = use_context::<Api>();
    let token = use_link_token();
    let name = use_state(String::new);
    let password = use_state(String::new);
    let repeat = use_state(String::new);
    let submitted = use_state(|| false);
    // The server's strength verdict, until the password is edited.
    let weak = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let phase = use_state(|| {
        if token.is_some() {
            Phase::Editing
        } else {
            Phase::InvalidLink
        }
    });

    // When the form gives way to a result, focus its heading.
    use_effect_with(*phase, move |phase| {
        if matches!(phase, Phase::Done | Phase::InvalidLink) {
            focus_by_id(&format!("{prefix}-result-heading"));
        }
    });

    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
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
        let (name, password, repeat, submitted, weak, error, phase) = (
            name.clone(),
            password.clone(),
            repeat.clone(),
            submitted.clone(),
            weak.clone(),
            error.clone(),
            phase.clone(),
        );
        let token = token.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(api), Some(token)) = (api.clone(), token.clone()) else {
                return;
            };
            if *phase != Phase::Editing {
                return;
            }
            submitted.set(true);
            let problems = check_new_password(&password, &repeat, true);
            if !problems.is_empty() {
                focus_by_id(if problems.password.is_some() {
                    NEW_PASSWORD_ID
                } else {
                    REPEAT_PASSWORD_ID
                });
                return;
            }
            phase.set(Phase::Submitting);
            error.set(None);
            let (secret, display_name) = ((*password).clone(), optional_name(&name));
            let (weak, error, phase) = (weak.clone(), error.clone(), phase.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match purpose {
                    LinkPurpose::Invitation => {
                        account_api::accept_invitation(&api, token, secret, display_name).await
                    }
                    LinkPurpose::Reset => account_api::reset_password(&api, token, secret).await,
                };
                let Err(failure) = result else {
                    phase.set(Phase::Done);
                    return;
                };
                match refusal(&failure) {
                    Refusal::InvalidLink => {
                        phase.set(Phase::InvalidLink);
                        return;
                    }
                    Refusal::NewPassword(detail) => {
                        weak.set(Some(detail));
                        focus_by_id(NEW_PASSWORD_ID);
                    }
                    Refusal::SessionLost => {}
                    Refusal::Form(message) => error.set(Some(message)),
                    Refusal::CurrentPassword | Refusal::Email(_) => {
                        error.set(Some(failure.message()))
                    }
                }
                phase.set(Phase::Editing);
            });
        })
    };

    let result = |heading: &'static str, body: Html| {
        html! {
            <section class="page auth-page">
                <div id={format!("{prefix}-result")} class="auth-card" role="status">
                    <h1 id={format!("{prefix}-result-heading")} tabindex="-1">{ heading }</h1>
                    { body }
                </div>
            </section>
        }
    };
    match *phase {
        Phase::Done => {
            let (heading, text) = purpose.done();
            return result(
                heading,
                html! {
                    <>
                        <p id={format!("{prefix}-done")}>{ text }</p>
                        <RouteLink to={Route::Login} id="to-login" classes={classes!("button", "primary")}>
                            { "Sign in" }
                        </RouteLink>
                    </>
                },
            );
        }
        Phase::InvalidLink => {
            let next = match purpose {
                LinkPurpose::Invitation => html! {
                    <RouteLink to={Route::Login} id="to-login" classes={classes!("button")}>
                        { "Go to sign in" }
                    </RouteLink>
                },
                LinkPurpose::Reset => html! {
                    <RouteLink to={Route::ForgotPassword} id="to-forgot-password" classes={classes!("button", "primary")}>
                        { "Request a new link" }
                    </RouteLink>
                },
            };
            return result(
                "This link cannot be used",
                html! {
                    <>
                        <p id={format!("{prefix}-invalid")} class="notice">{ purpose.invalid() }</p>
                        { next }
                    </>
                },
            );
        }
        Phase::Editing | Phase::Submitting => {}
    }

    let busy = *phase == Phase::Submitting;
    let mut problems = check_new_password(&password, &repeat, *submitted);
    problems.password = problems.password.or_else(|| (*weak).clone());
    let heading_id = format!("{prefix}-heading");
    html! {
        <section class="page auth-page">
            <form
                id={format!("{prefix}-form")}
                class="auth-card"
                aria-labelledby={heading_id.clone()}
                aria-busy={busy.then_some("true")}
                novalidate=true
                {onsubmit}
            >
                <h1 id={heading_id}>{ purpose.heading() }</h1>
                <p class="form-intro">{ purpose.intro() }</p>
                <div id={format!("{prefix}-error")} class="form-error" role="alert">
                    { (*error).clone().unwrap_or_default() }
                </div>
                if purpose == LinkPurpose::Invitation {
                    <div class="field">
                        <label for="name">{ "Your name " }<span class="optional">{ "(optional)" }</span></label>
                        <input
                            id="name"
                            name="name"
                            type="text"
                            autocomplete="name"
                            maxlength="200"
                            value={(*name).clone()}
                            oninput={on_name}
                        />
                    </div>
                }
                <NewPasswordFields
                    password={AttrValue::from((*password).clone())}
                    repeat={AttrValue::from((*repeat).clone())}
                    {problems}
                    {on_password}
                    {on_repeat}
                    label={if purpose == LinkPurpose::Invitation { "Password" } else { "New password" }}
                />
                <button id={format!("{prefix}-submit")} class="button primary" type="submit" disabled={busy}>
                    { purpose.submit(busy) }
                </button>
            </form>
        </section>
    }
}
