//! `/forbidden` (and any 403): the user may not see this.

use yew::prelude::*;

use crate::app::Route;
use crate::components::page_title::use_page_title;
use crate::components::route_link::RouteLink;

#[component]
pub fn ForbiddenPage() -> Html {
    use_page_title("Access denied".to_owned());
    html! {
        <section id="forbidden" class="page status-page">
            <h1>{ "Access denied" }</h1>
            <p>{ "You do not have access to this page with your current tenant and role." }</p>
            <p>
                <RouteLink to={Route::Home} classes={classes!("button")}>{ "Choose a tenant" }</RouteLink>
                { " " }
                <RouteLink to={Route::Dashboards} classes={classes!("button")}>{ "Go to dashboards" }</RouteLink>
            </p>
        </section>
    }
}
