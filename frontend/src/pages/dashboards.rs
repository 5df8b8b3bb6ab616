//! `/dashboards`: the active tenant's dashboards as tiles.

use std::cell::Cell;
use std::rc::Rc;

use kyros_common::api::dashboards::DashboardSummary;
use yew::prelude::*;

use crate::api::{dashboards as dashboards_api, Api, ApiError};
use crate::app::Route;
use crate::components::error_state::ErrorState;
use crate::components::page_title::use_page_title;
use crate::components::redirect::RedirectTo;
use crate::components::route_link::RouteLink;
use crate::components::spinner::Spinner;
use crate::pages::forbidden::ForbiddenPage;
use crate::state::fetch::FetchState;
use crate::state::session::use_session;

#[component]
pub fn DashboardsPage() -> Html {
    use_page_title("Dashboards".to_owned());
    let session = use_session();
    let api = use_context::<Api>();
    let list = use_state(|| FetchState::<Vec<DashboardSummary>>::Loading);
    let attempt = use_state(|| 0u32);

    {
        let list = list.clone();
        use_effect_with((session.tenant_epoch, *attempt), move |_| {
            list.set(FetchState::Loading);
            // Set when the tenant changes (or the page goes) before the answer arrives.
            let stale = Rc::new(Cell::new(false));
            if let Some(api) = api {
                let stale = stale.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = dashboards_api::list(&api).await;
                    if !stale.get() {
                        list.set(FetchState::from_result(result));
                    }
                });
            }
            move || stale.set(true)
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |()| attempt.set(*attempt + 1))
    };

    let tenant_name = session
        .active_tenant()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let body = match &*list {
        FetchState::Loading => html! { <Spinner label="Loading dashboards…" /> },
        FetchState::Failed(error) if error.is_missing_tenant() => {
            html! { <RedirectTo to={Route::Home} /> }
        }
        FetchState::Failed(error) if error.is_auth_lost() => html! { <Spinner /> },
        FetchState::Failed(ApiError::Forbidden) => html! { <ForbiddenPage /> },
        FetchState::Failed(error) => {
            html! { <ErrorState error={error.clone()} on_retry={retry} /> }
        }
        FetchState::Ready(items) if items.is_empty() => html! {
            <p class="empty-state">{ format!("No dashboards are available for {tenant_name} yet.") }</p>
        },
        FetchState::Ready(items) => html! {
            <ul id="dashboard-tiles" class="dashboard-tiles">
                { for items.iter().map(|d| html! {
                    <li>
                        <RouteLink
                            to={Route::Dashboard { slug: d.slug.clone() }}
                            classes={classes!("dashboard-tile")}
                            slug={AttrValue::from(d.slug.clone())}
                        >
                            <h2 class="tile-title">{ &d.title }</h2>
                            <p class="tile-description">{ &d.description }</p>
                        </RouteLink>
                    </li>
                }) }
            </ul>
        },
    };

    html! {
        <section class="page dashboards-page">
            <header class="page-header">
                <h1>{ "Dashboards" }</h1>
                if !tenant_name.is_empty() {
                    <p class="page-description">{ format!("Analytics for {tenant_name}") }</p>
                }
            </header>
            { body }
        </section>
    }
}
