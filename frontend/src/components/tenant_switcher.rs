//! Switch the active tenant of the session (`POST /bff/tenant`); views reload through
//! the session's tenant epoch, so branding and charts follow. A tenant that requires
//! two-step verification this sign-in lacks leads to setting it up on the account page.

use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{session as session_api, Api, ApiError};
use crate::app::Route;
use crate::state::mfa::MfaPrompt;
use crate::state::session::{use_session, SessionAction};
use crate::state::toast::{use_toasts, ToastAction, ToastKind};

#[component]
pub fn TenantSwitcher() -> Html {
    let session = use_session();
    let toasts = use_toasts();
    let api = use_context::<Api>();
    let navigator = use_navigator();
    let select = use_node_ref();
    let busy = use_state(|| false);

    let active_slug = session
        .active_tenant()
        .map(|t| t.slug.clone())
        .unwrap_or_default();

    // The DOM selection follows the session (also after a refused switch).
    {
        let select = select.clone();
        use_effect_with((active_slug.clone(), *busy), move |(slug, _)| {
            if let Some(select) = select.cast::<HtmlSelectElement>() {
                select.set_value(slug);
            }
        });
    }

    let onchange = {
        let session = session.clone();
        let busy = busy.clone();
        let active_slug = active_slug.clone();
        Callback::from(move |event: Event| {
            let slug = event.target_unchecked_into::<HtmlSelectElement>().value();
            let Some(api) = api.clone() else { return };
            if slug.is_empty() || slug == active_slug {
                return;
            }
            busy.set(true);
            let tenant_name = session.tenant_name(&slug);
            let (session, toasts, navigator, busy) = (
                session.clone(),
                toasts.clone(),
                navigator.clone(),
                busy.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match session_api::select_tenant(&api, slug).await {
                    Ok(info) => {
                        if let Some(tenant) = &info.active_tenant {
                            toasts.dispatch(ToastAction::Show {
                                kind: ToastKind::Info,
                                text: format!("Switched to {}", tenant.name),
                            });
                        }
                        session.dispatch(SessionAction::Established(info));
                    }
                    Err(ApiError::Forbidden) => {
                        if let Some(navigator) = &navigator {
                            navigator.push(&Route::Forbidden);
                        }
                    }
                    Err(ApiError::MfaRequired) => {
                        if let Some(navigator) = &navigator {
                            navigator.push_with_state(&Route::Account, MfaPrompt { tenant_name });
                        }
                    }
                    Err(error) if error.is_auth_lost() => {}
                    Err(error) => toasts.dispatch(ToastAction::Show {
                        kind: ToastKind::Error,
                        text: error.message(),
                    }),
                }
                busy.set(false);
            });
        })
    };

    // After every hook: hooks must run in the same order on every render.
    let Some(info) = session.info() else {
        return html! {};
    };
    html! {
        <div class="tenant-switcher">
            <label for="tenant-switcher" class="visually-hidden">{ "Active tenant" }</label>
            <select id="tenant-switcher" ref={select} disabled={*busy} {onchange}>
                if info.active_tenant.is_none() {
                    <option value="" selected=true disabled=true>{ "Choose a tenant…" }</option>
                }
                { for info.tenants.iter().map(|t| {
                    let label = if t.mfa_required && !info.second_factor {
                        format!("{} (requires two-step verification)", t.name)
                    } else {
                        t.name.clone()
                    };
                    html! {
                        <option value={t.slug.clone()} selected={t.slug == active_slug}>{ label }</option>
                    }
                }) }
            </select>
        </div>
    }
}
