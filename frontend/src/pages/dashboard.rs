//! `/dashboards/:slug`: saved filters restored, a filter bar, and the chart grid.

use std::cell::Cell;
use std::rc::Rc;

use kyros_common::api::dashboards::{DashboardCharts, DashboardDetail};
use yew::prelude::*;

use crate::api::{dashboards as dashboards_api, Api, ApiError};
use crate::app::Route;
use crate::components::chart_card::ChartCard;
use crate::components::error_state::ErrorState;
use crate::components::filter_bar::FilterBar;
use crate::components::page_title::use_page_title;
use crate::components::redirect::RedirectTo;
use crate::components::route_link::RouteLink;
use crate::components::spinner::Spinner;
use crate::pages::forbidden::ForbiddenPage;
use crate::pages::not_found::NotFoundPage;
use crate::state::dashboard::{DashboardAction, DashboardState};
use crate::state::fetch::FetchState;
use crate::state::session::use_session;
use crate::state::toast::{use_toasts, ToastAction, ToastKind};

#[derive(Properties, PartialEq)]
pub struct DashboardPageProps {
    pub slug: AttrValue,
}

#[component]
pub fn DashboardPage(props: &DashboardPageProps) -> Html {
    let session = use_session();
    let toasts = use_toasts();
    let api = use_context::<Api>();
    let state = use_reducer(DashboardState::default);
    let attempt = use_state(|| 0u32);

    let title = match &state.detail {
        FetchState::Ready(detail) => detail.dashboard.title.clone(),
        _ => "Dashboard".to_owned(),
    };
    use_page_title(title);

    // The spec and saved filters: on open, on another slug, after a tenant switch.
    {
        let (state, api) = (state.clone(), api.clone());
        let deps = (props.slug.clone(), session.tenant_epoch, *attempt);
        use_effect_with(deps, move |(slug, _, _)| {
            state.dispatch(DashboardAction::Reload);
            let stale = Rc::new(Cell::new(false));
            if let Some(api) = api {
                let (stale, slug) = (stale.clone(), slug.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = dashboards_api::detail(&api, &slug).await;
                    if !stale.get() {
                        state.dispatch(DashboardAction::DetailLoaded(result));
                    }
                });
            }
            move || stale.set(true)
        });
    }

    // The charts (and, after Apply/Reset, the preferences) for each new request.
    {
        let state = state.clone();
        use_effect_with(state.request.generation, move |generation| {
            let generation = *generation;
            if let (Some(api), Some(detail)) = (api, state.detail.ready()) {
                let slug = detail.dashboard.slug.clone();
                let filters = state.applied.clone();
                if state.request.save_preferences {
                    let (api, slug, filters) = (api.clone(), slug.clone(), filters.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match dashboards_api::save_preferences(&api, &slug, filters).await {
                            Err(error) if !error.is_auth_lost() => {
                                toasts.dispatch(ToastAction::Show {
                                    kind: ToastKind::Error,
                                    text: format!(
                                        "Your filters could not be saved: {}",
                                        error.message()
                                    ),
                                });
                            }
                            _ => {}
                        }
                    });
                }
                let dispatcher = state.dispatcher();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = dashboards_api::charts(&api, &slug, &filters).await;
                    dispatcher.dispatch(DashboardAction::ChartsLoaded { generation, result });
                });
            }
        });
    }

    let detail = match &state.detail {
        FetchState::Loading => return html! { <Spinner label="Loading dashboard…" /> },
        FetchState::Failed(ApiError::NotFound) => return html! { <NotFoundPage /> },
        FetchState::Failed(ApiError::Forbidden) => return html! { <ForbiddenPage /> },
        FetchState::Failed(error) if error.is_missing_tenant() => {
            return html! { <RedirectTo to={Route::Home} /> };
        }
        FetchState::Failed(error) if error.is_auth_lost() => return html! { <Spinner /> },
        FetchState::Failed(error) => {
            let retry = {
                let attempt = attempt.clone();
                Callback::from(move |()| attempt.set(*attempt + 1))
            };
            return html! {
                <section class="page dashboard-page">
                    <ErrorState error={error.clone()} on_retry={retry} />
                </section>
            };
        }
        FetchState::Ready(detail) => detail.clone(),
    };

    let dispatch = |action: fn() -> DashboardAction| {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(action()))
    };
    let on_edit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |edit| dispatcher.dispatch(DashboardAction::Edit(edit)))
    };
    let view = &detail.dashboard;

    html! {
        <section class="page dashboard-page" data-dashboard-slug={view.slug.clone()}>
            <header class="page-header">
                <nav class="breadcrumb" aria-label="Breadcrumb">
                    <RouteLink to={Route::Dashboards}>{ "\u{2190} All dashboards" }</RouteLink>
                </nav>
                <h1 id="dashboard-title">{ &view.title }</h1>
                if !view.description.is_empty() {
                    <p class="page-description">{ &view.description }</p>
                }
            </header>
            <FilterBar
                defs={view.filters.clone()}
                draft={state.draft.clone()}
                dirty={state.draft != state.applied}
                busy={state.refreshing}
                problems={state.problems.clone()}
                {on_edit}
                on_apply={dispatch(|| DashboardAction::Apply)}
                on_reset={dispatch(|| DashboardAction::Reset)}
            />
            { charts_grid(&state, &detail, dispatch(|| DashboardAction::Refresh)) }
        </section>
    }
}

fn charts_grid(
    state: &DashboardState,
    detail: &Rc<DashboardDetail>,
    on_retry: Callback<()>,
) -> Html {
    let content = match &state.charts {
        FetchState::Loading => html! { <Spinner label="Loading charts…" /> },
        FetchState::Failed(error) if error.is_auth_lost() => html! {},
        FetchState::Failed(error) => html! { <ErrorState error={error.clone()} {on_retry} /> },
        FetchState::Ready(charts) => cards(detail, charts, state),
    };
    let refreshing = state.refreshing && state.charts.ready().is_some();
    html! {
        <div
            id="charts"
            class={classes!("charts-grid", refreshing.then_some("refreshing"))}
            aria-busy={if state.refreshing { "true" } else { "false" }}
        >
            if refreshing {
                <div class="charts-refreshing"><Spinner label="Updating charts…" /></div>
            }
            { content }
        </div>
    }
}

fn cards(detail: &DashboardDetail, charts: &DashboardCharts, state: &DashboardState) -> Html {
    let slug = AttrValue::from(detail.dashboard.slug.clone());
    html! {
        { for detail.dashboard.charts.iter().map(|view| {
            let payload = charts.charts.iter().find(|c| c.id == view.id).cloned();
            html! {
                <ChartCard
                    key={view.id.clone()}
                    dashboard_slug={slug.clone()}
                    view={view.clone()}
                    {payload}
                    filters={state.applied.clone()}
                />
            }
        }) }
    }
}
