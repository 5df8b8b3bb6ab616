//! `/`: pick the tenant to work in (`POST /bff/tenant`). A single-tenant user goes
//! straight to the dashboards. Tenants that require two-step verification are marked;
//! choosing one without it leads to setting it up on the account page.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{session as session_api, Api, ApiError};
use crate::app::Route;
use crate::components::page_title::use_page_title;
use crate::components::redirect::RedirectTo;
use crate::components::spinner::Spinner;
use crate::state::mfa::MfaPrompt;
use crate::state::session::{use_session, SessionAction};

#[component]
pub fn TenantChooserPage() -> Html {
    use_page_title("Choose a tenant".to_owned());
    let session = use_session();
    let api = use_context::<Api>();
    let navigator = use_navigator();
    let pending = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);

    // The tenant's slug, and whether the choice was made for the user (their only tenant):
    // a page the user did not ask for is replaced in the history, not stacked.
    let choose = {
        let (session, pending, error) = (session.clone(), pending.clone(), error.clone());
        Callback::from(move |(slug, automatic): (String, bool)| {
            let Some(api) = api.clone() else { return };
            if pending.is_some() {
                return;
            }
            pending.set(Some(slug.clone()));
            error.set(None);
            let tenant_name = session.tenant_name(&slug);
            let (session, pending, error, navigator) = (
                session.clone(),
                pending.clone(),
                error.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match session_api::select_tenant(&api, slug).await {
                    Ok(info) => {
                        session.dispatch(SessionAction::Established(info));
                        if let Some(navigator) = &navigator {
                            navigator.push(&Route::Dashboards);
                        }
                    }
                    Err(ApiError::Forbidden) => {
                        if let Some(navigator) = &navigator {
                            navigator.push(&Route::Forbidden);
                        }
                    }
                    Err(ApiError::MfaRequired) => {
                        if let Some(navigator) = &navigator {
                            let prompt = MfaPrompt { tenant_name };
                            if automatic {
                                navigator.replace_with_state(&Route::Account, prompt);
                            } else {
                                navigator.push_with_state(&Route::Account, prompt);
                            }
                        }
                    }
                    Err(failure) if failure.is_auth_lost() => {}
                    Err(failure) => error.set(Some(failure.message())),
                }
                pending.set(None);
            });
        })
    };

    // A single-tenant session without an active tenant selects it on its own.
    let only_tenant = session
        .info()
        .and_then(|info| match info.tenants.as_slice() {
            [only] if info.active_tenant.is_none() => Some(only.slug.clone()),
            _ => None,
        });
    {
        let choose = choose.clone();
        use_effect_with(only_tenant.clone(), move |only| {
            if let Some(slug) = only {
                choose.emit((slug.clone(), true));
            }
        });
    }

    let Some(info) = session.info() else {
        return html! {};
    };
    if info.tenants.len() == 1 {
        return match only_tenant {
            Some(_) => html! {
                <>
                    <Spinner label="Opening your workspace…" />
                    <div id="tenant-error" class="form-error" role="alert">
                        { (*error).clone().unwrap_or_default() }
                    </div>
                </>
            },
            None => html! { <RedirectTo to={Route::Dashboards} /> },
        };
    }
    let active = info.active_tenant.as_ref().map(|t| t.slug.as_str());

    html! {
        <section class="page tenant-chooser">
            <h1>{ "Choose a tenant" }</h1>
            <p class="page-description">
                { format!("Signed in as {}. Pick the organisation whose dashboards you want to see.", info.user.email) }
            </p>
            <div id="tenant-error" class="form-error" role="alert">
                { (*error).clone().unwrap_or_default() }
            </div>
            if info.tenants.is_empty() {
                <p class="empty-state">
                    { "Your account does not have access to any tenant yet. Ask an administrator to grant you access." }
                </p>
            }
            <ul class="tenant-list">
                { for info.tenants.iter().map(|tenant| {
                    let onclick = {
                        let (choose, slug) = (choose.clone(), tenant.slug.clone());
                        Callback::from(move |_: MouseEvent| choose.emit((slug.clone(), false)))
                    };
                    let is_active = active == Some(tenant.slug.as_str());
                    let is_pending = pending.as_deref() == Some(tenant.slug.as_str());
                    html! {
                        <li>
                            <button
                                type="button"
                                class={classes!("tenant-choice", is_active.then_some("active"))}
                                data-tenant-slug={tenant.slug.clone()}
                                data-mfa-required={tenant.mfa_required.then_some("true")}
                                aria-current={is_active.then_some("true")}
                                disabled={pending.is_some()}
                                {onclick}
                            >
                                <span class="tenant-choice-name">{ &tenant.name }</span>
                                if tenant.mfa_required {
                                    <span class="badge tenant-choice-mfa">{ "Requires two-step verification" }</span>
                                }
                                <span class="tenant-choice-role">{ tenant.role.as_str() }</span>
                                if is_active {
                                    <span class="tenant-choice-current">{ "current" }</span>
                                }
                                if is_pending {
                                    <span class="spinner small" aria-hidden="true"></span>
                                }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
