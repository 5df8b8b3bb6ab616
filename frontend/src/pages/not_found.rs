//! Any unknown path (and any 404 from the BFF).

use yew::prelude::*;

use crate::app::Route;
use crate::components::page_title::use_page_title;
use crate::components::route_link::RouteLink;

#[component]
pub fn NotFoundPage() -> Html {
    use_page_title("Not found".to_owned());
    html! {
        <section id="not-found" class="page status-page">
            <h1>{ "Page not found" }</h1>
            <p>{ "This page does not exist, or is not available for the active tenant." }</p>
            <p>
                <RouteLink to={Route::Dashboards} classes={classes!("button")}>{ "Go to dashboards" }</RouteLink>
            </p>
        </section>
    }
}
