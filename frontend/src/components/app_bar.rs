//! The app bar: tenant branding (name, colour, logo), navigation, the tenant switcher
//! for multi-tenant users, the account page and sign-out.

use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::route_link::RouteLink;
use crate::components::tenant_switcher::TenantSwitcher;
use crate::state::session::use_session;
use crate::theme;

#[component]
pub fn AppBar() -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let info = session.info();
    let active = session.active_tenant();

    let brand = active
        .and_then(|t| theme::brand_color(&t.branding.primary_color))
        .unwrap_or_else(|| theme::DEFAULT_BRAND.to_owned());
    use_effect_with(brand, |brand| apply_brand(brand));

    let name = active
        .map(|t| {
            if t.branding.display_name.trim().is_empty() {
                t.name.clone()
            } else {
                t.branding.display_name.clone()
            }
        })
        .unwrap_or_else(|| "Kyros".to_owned());
    let logo = active
        .and_then(|t| theme::logo_src(&t.branding.logo_url))
        .map(str::to_owned);

    let on_logout = Callback::from(move |_: MouseEvent| {
        if let Some(navigator) = &navigator {
            navigator.push(&Route::Logout);
        }
    });

    html! {
        <header id="app-bar" class="app-bar" data-tenant-slug={active.map(|t| t.slug.clone())}>
            <div class="brand">
                if let Some(src) = logo {
                    <img id="tenant-logo" class="tenant-logo" {src} alt="" />
                }
                <span id="tenant-name" class="tenant-name">{ name }</span>
            </div>
            if let Some(info) = info {
                <nav class="app-nav" aria-label="Main">
                    if active.is_some() {
                        <RouteLink to={Route::Dashboards} id="nav-dashboards" classes={classes!("nav-link")}>
                            { "Dashboards" }
                        </RouteLink>
                    }
                    <RouteLink to={Route::Account} id="nav-account" classes={classes!("nav-link")}>
                        { "Account" }
                    </RouteLink>
                </nav>
                <div class="session-controls">
                    if info.tenants.len() > 1 {
                        <TenantSwitcher />
                    }
                    <span class="user-email" title="Signed in as">{ &info.user.email }</span>
                    <button id="logout-button" class="button on-brand" type="button" onclick={on_logout}>
                        { "Sign out" }
                    </button>
                </div>
            }
        </header>
    }
}

/// Sets `--brand` / `--brand-contrast` on `<html>` through the CSSOM; `brand` is a
/// validated `#rrggbb` colour.
fn apply_brand(brand: &str) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        let style = root.style();
        let _ = style.set_property("--brand", brand);
        let _ = style.set_property("--brand-contrast", theme::contrast_text(brand));
    }
}
