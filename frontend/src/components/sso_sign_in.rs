//! "Sign in with your organisation": the work email address picks the organisation's
//! identity provider. The whole window goes to `/bff/sso/start` (a redirect chain through
//! the provider and back, not a `fetch`).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::paths;
use crate::components::focus::focus_by_id;
use crate::state::account::check_email;

const EMAIL_ID: &str = "sso-email";

#[derive(Properties, PartialEq)]
pub struct SsoSignInProps {
    /// The login page's `next` (kept only when it is a same-origin path).
    #[prop_or_default]
    pub next: Option<AttrValue>,
    /// The address typed in the password form, to start with.
    pub email: AttrValue,
}

#[component]
pub fn SsoSignIn(props: &SsoSignInProps) -> Html {
    let open = use_state(|| false);
    let email = use_state(String::new);
    let problem = use_state(|| None::<String>);

    {
        let open = *open;
        use_effect_with(open, |open| {
            if *open {
                focus_by_id(EMAIL_ID);
            }
        });
    }
    let toggle = {
        let (open, email, typed) = (open.clone(), email.clone(), props.email.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                email.set(typed.to_string());
            }
            open.set(!*open);
        })
    };
    let on_email = {
        let (email, problem) = (email.clone(), problem.clone());
        Callback::from(move |e: InputEvent| {
            email.set(e.target_unchecked_into::<HtmlInputElement>().value());
            problem.set(None);
        })
    };
    let onsubmit = {
        let (email, problem) = (email.clone(), problem.clone());
        let next = props.next.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match check_email(&email) {
                Ok(address) => {
                    let url = paths::sso_start(&address, next.as_deref());
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().assign(&url);
                    }
                }
                Err(why) => {
                    problem.set(Some(why));
                    focus_by_id(EMAIL_ID);
                }
            }
        })
    };

    html! {
        <div class="sso">
            <p class="divider" aria-hidden="true"><span>{ "or" }</span></p>
            <button
                id="sso-toggle"
                class="button"
                type="button"
                aria-expanded={open.to_string()}
                aria-controls="sso-form"
                onclick={toggle}
            >
                { "Sign in with your organisation" }
            </button>
            if *open {
                <form id="sso-form" class="sso-form" aria-label="Sign in with your organisation" novalidate=true {onsubmit}>
                    <div class="field">
                        <label for={EMAIL_ID}>{ "Work email" }</label>
                        <input
                            id={EMAIL_ID}
                            name="email"
                            type="email"
                            autocomplete="username"
                            required=true
                            aria-invalid={problem.is_some().then_some("true")}
                            aria-describedby="sso-email-hint sso-email-problem"
                            value={(*email).clone()}
                            oninput={on_email}
                        />
                        <p id="sso-email-hint" class="field-hint">
                            { "You will continue at your organisation's sign-in page." }
                        </p>
                        <p id="sso-email-problem" class="field-problem" role="alert">
                            { (*problem).clone().unwrap_or_default() }
                        </p>
                    </div>
                    <button id="sso-submit" class="button primary" type="submit">
                        { "Continue" }
                    </button>
                </form>
            }
        </div>
    }
}
