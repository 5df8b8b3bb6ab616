//! "Your sessions" on the account page (`GET /bff/sessions`): where the user is signed
//! in, with a "Sign out" per session (`DELETE /bff/sessions/{id}`). Ending this
//! browser's session signs it out and goes to the login page.

use std::cell::Cell;
use std::rc::Rc;

use kyros_common::api::users::SessionSummary;
use wasm_bindgen::JsValue;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{account as account_api, Api, ApiError};
use crate::app::Route;
use crate::components::error_state::ErrorState;
use crate::components::spinner::Spinner;
use crate::state::account::{describe_user_agent, epoch_millis, format_moment, Moment};
use crate::state::fetch::FetchState;
use crate::state::session::{use_session, SessionAction};
use crate::state::toast::{use_toasts, ToastAction, ToastKind};

#[derive(Properties, PartialEq)]
pub struct SessionListProps {
    /// Changed by the page when the list must be fetched again (after a password change).
    pub refresh: u32,
}

#[component]
pub fn SessionList(props: &SessionListProps) -> Html {
    let api = use_context::<Api>();
    let session = use_session();
    let toasts = use_toasts();
    let navigator = use_navigator();
    let list = use_state(|| FetchState::<Vec<SessionSummary>>::Loading);
    // Bumped to fetch again: "Try again", or after ending another session.
    let reload = use_state(|| 0u32);
    // The session being ended.
    let ending = use_state(|| None::<String>);

    {
        let (list, api) = (list.clone(), api.clone());
        use_effect_with((props.refresh, *reload), move |_| {
            // Set when a newer fetch starts (or the page goes) before the answer arrives.
            let stale = Rc::new(Cell::new(false));
            if let Some(api) = api {
                let stale = stale.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = account_api::sessions(&api).await;
                    if !stale.get() {
                        list.set(FetchState::from_result(result));
                    }
                });
            }
            move || stale.set(true)
        });
    }
    let retry = {
        let (list, reload) = (list.clone(), reload.clone());
        Callback::from(move |()| {
            list.set(FetchState::Loading);
            reload.set(*reload + 1);
        })
    };
    let end = {
        let (ending, reload) = (ending.clone(), reload.clone());
        Callback::from(move |(id, current): (String, bool)| {
            let Some(api) = api.clone() else { return };
            if ending.is_some() {
                return;
            }
            ending.set(Some(id.clone()));
            let (ending, reload, session, toasts, navigator) = (
                ending.clone(),
                reload.clone(),
                session.clone(),
                toasts.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let result = account_api::end_session(&api, &id).await;
                ending.set(None);
                match result {
                    Ok(()) if current => {
                        session.dispatch(SessionAction::SignedOut);
                        if let Some(navigator) = &navigator {
                            navigator.replace(&Route::Login);
                        }
                    }
                    Ok(()) => {
                        toasts.dispatch(ToastAction::Show {
                            kind: ToastKind::Info,
                            text: "The session was signed out".to_owned(),
                        });
                        reload.set(*reload + 1);
                    }
                    // Already ended (elsewhere, or it expired): show what is left.
                    Err(ApiError::NotFound) => reload.set(*reload + 1),
                    Err(error) if error.is_auth_lost() => {}
                    Err(error) => toasts.dispatch(ToastAction::Show {
                        kind: ToastKind::Error,
                        text: format!("The session could not be signed out: {}", error.message()),
                    }),
                }
            });
        })
    };

    let body = match &*list {
        FetchState::Loading => html! { <Spinner label="Loading your sessions…" /> },
        FetchState::Failed(error) if error.is_auth_lost() => html! { <Spinner /> },
        FetchState::Failed(error) => {
            html! { <ErrorState error={error.clone()} on_retry={retry} /> }
        }
        FetchState::Ready(items) if items.is_empty() => html! {
            <p class="empty-state">{ "No active sessions." }</p>
        },
        FetchState::Ready(items) => html! {
            <ul id="session-list" class="session-list">
                { for items.iter().map(|item| session_item(item, ending.as_deref(), &end)) }
            </ul>
        },
    };
    html! {
        <section class="account-section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{ "Your sessions" }</h2>
            <p class="section-description">
                { "The browsers where you are signed in. Sign out any you do not recognise, then change your password." }
            </p>
            { body }
        </section>
    }
}

fn session_item(
    item: &SessionSummary,
    ending: Option<&str>,
    end: &Callback<(String, bool)>,
) -> Html {
    let agent = describe_user_agent(&item.user_agent);
    let onclick = {
        let (end, id, current) = (end.clone(), item.id.clone(), item.current);
        Callback::from(move |_: MouseEvent| end.emit((id.clone(), current)))
    };
    let label = if item.current {
        format!("Sign out this browser ({agent})")
    } else {
        format!("Sign out the session on {agent}")
    };
    let is_ending = ending == Some(item.id.as_str());
    html! {
        <li class={classes!("session-item", item.current.then_some("current"))} data-current={item.current.to_string()}>
            <div class="session-info">
                <p class="session-agent">
                    <span title={item.user_agent.clone()}>{ agent }</span>
                    if item.current {
                        <span class="badge">{ "This browser" }</span>
                    }
                </p>
                <p class="session-times">
                    <span>{ "Signed in " }<time datetime={item.created_at.clone()}>{ local_time(&item.created_at) }</time></span>
                    <span>{ "Last seen " }<time datetime={item.last_seen_at.clone()}>{ local_time(&item.last_seen_at) }</time></span>
                </p>
            </div>
            <button
                class="button session-end"
                type="button"
                aria-label={label}
                disabled={ending.is_some()}
                {onclick}
            >
                if is_ending {
                    <span class="spinner small" aria-hidden="true"></span>
                }
                { "Sign out" }
            </button>
        </li>
    }
}

/// A server timestamp in the browser's time zone ("1 May 2024, 09:05"); the text as is
/// when it is not a timestamp.
fn local_time(timestamp: &str) -> String {
    let Some(millis) = epoch_millis(timestamp) else {
        return timestamp.to_owned();
    };
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    format_moment(Moment {
        year: i32::try_from(date.get_full_year()).unwrap_or_default(),
        month: date.get_month() + 1,
        day: date.get_date(),
        hour: date.get_hours(),
        minute: date.get_minutes(),
    })
}
