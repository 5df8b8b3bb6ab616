//! The route table and the shell around every page: providers, the API handle, the
//! session bootstrap (`GET /bff/me`), app bar and toasts.
//!
//! No route carries a tenant identifier: the active tenant lives in the server session.
//! Invitation and reset links carry their token in the fragment (`/invite#token=…`),
//! never in the path or query, so it reaches no server log.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{session as session_api, Api, ApiError};
use crate::components::app_bar::AppBar;
use crate::components::redirect::to_login;
use crate::components::require_session::RequireSession;
use crate::components::toasts::Toasts;
use crate::pages::account::AccountPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::dashboards::DashboardsPage;
use crate::pages::forbidden::ForbiddenPage;
use crate::pages::forgot_password::ForgotPasswordPage;
use crate::pages::invite::InvitePage;
use crate::pages::login::LoginPage;
use crate::pages::logout::LogoutPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::reset_password::ResetPasswordPage;
use crate::pages::tenant_chooser::TenantChooserPage;
use crate::state::session::{use_session, SessionAction, SessionProvider};
use crate::state::toast::{use_toasts, ToastAction, ToastKind, ToastProvider};

// yew-router 0.20 matches with route-recognizer, whose parameters are `:name`.
#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    /// Tenant chooser (skipped for single-tenant users).
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/logout")]
    Logout,
    /// Accept an invitation (`#token=…`).
    #[at("/invite")]
    Invite,
    #[at("/forgot-password")]
    ForgotPassword,
    /// Choose a new password with a reset link (`#token=…`).
    #[at("/reset-password")]
    ResetPassword,
    /// The signed-in user's password and sessions.
    #[at("/account")]
    Account,
    #[at("/dashboards")]
    Dashboards,
    #[at("/dashboards/:slug")]
    Dashboard { slug: String },
    #[at("/forbidden")]
    Forbidden,
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// Pages for people who are not signed in: a lost or missing session does not send
    /// them to the login page.
    pub fn is_public(&self) -> bool {
        matches!(
            self,
            Route::Login | Route::Invite | Route::ForgotPassword | Route::ResetPassword
        )
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Login => html! { <LoginPage /> },
        Route::Logout => html! { <LogoutPage /> },
        Route::Invite => html! { <InvitePage /> },
        Route::ForgotPassword => html! { <ForgotPasswordPage /> },
        Route::ResetPassword => html! { <ResetPasswordPage /> },
        Route::Account => html! { <RequireSession><AccountPage /></RequireSession> },
        Route::Home => html! { <RequireSession><TenantChooserPage /></RequireSession> },
        Route::Dashboards => html! {
            <RequireSession require_tenant=true><DashboardsPage /></RequireSession>
        },
        Route::Dashboard { slug } => html! {
            <RequireSession require_tenant=true><DashboardPage slug={slug} /></RequireSession>
        },
        Route::Forbidden => html! { <ForbiddenPage /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <ToastProvider>
                <SessionProvider>
                    <Shell />
                </SessionProvider>
            </ToastProvider>
        </BrowserRouter>
    }
}

/// Builds the [`Api`] handle with the shell-wide reactions, and learns who is signed in.
#[component]
fn Shell() -> Html {
    let session = use_session();
    let toasts = use_toasts();
    let navigator = use_navigator();
    let api = {
        let session = session.dispatcher();
        let toasts = toasts.dispatcher();
        use_memo((), move |_| {
            Api::new(
                Callback::from(move |()| {
                    toasts.dispatch(ToastAction::Show {
                        kind: ToastKind::Info,
                        text: "Session refreshed".to_owned(),
                    })
                }),
                // Any 401 on any page: forget the session and go to the login page, which
                // shows why (expired) or nothing (never signed in), and leads back to the
                // page once signed in. The public pages (sign-in, invitation, password
                // reset) stay where they are.
                Callback::from(move |error: ApiError| {
                    session.dispatch(SessionAction::Lost(error));
                    if let Some(navigator) = &navigator {
                        to_login(navigator);
                    }
                }),
            )
        })
    };
    {
        let api = (*api).clone();
        let session = session.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match session_api::me(&api).await {
                    Ok(info) => session.dispatch(SessionAction::Established(info)),
                    // 401s are already handled by the API handle's `on_auth_lost`.
                    Err(error) if error.is_auth_lost() => {}
                    // No answer at all: treat as signed out so the login page shows.
                    Err(error) => session.dispatch(SessionAction::Lost(error)),
                }
            });
        });
    }
    html! {
        <ContextProvider<Api> context={(*api).clone()}>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <AppBar />
            <main id="main" tabindex="-1">
                <Switch<Route> render={switch} />
            </main>
            <Toasts />
        </ContextProvider<Api>>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_recognised_as_routes() {
        assert_eq!(Route::recognize("/"), Some(Route::Home));
        assert_eq!(Route::recognize("/login"), Some(Route::Login));
        assert_eq!(Route::recognize("/logout"), Some(Route::Logout));
        assert_eq!(Route::recognize("/dashboards"), Some(Route::Dashboards));
        assert_eq!(Route::recognize("/dashboards/"), Some(Route::Dashboards));
        assert_eq!(
            Route::recognize("/dashboards/risk-analysis"),
            Some(Route::Dashboard {
                slug: "risk-analysis".into()
            })
        );
        assert_eq!(Route::recognize("/forbidden"), Some(Route::Forbidden));
        assert_eq!(Route::recognize("/invite"), Some(Route::Invite));
        assert_eq!(
            Route::recognize("/forgot-password"),
            Some(Route::ForgotPassword)
        );
        assert_eq!(
            Route::recognize("/reset-password"),
            Some(Route::ResetPassword)
        );
        assert_eq!(Route::recognize("/account"), Some(Route::Account));
    }

    #[test]
    fn only_the_sign_in_and_link_pages_are_public() {
        let public: Vec<Route> = [
            "/",
            "/login",
            "/logout",
            "/invite",
            "/forgot-password",
            "/reset-password",
            "/account",
            "/dashboards",
            "/forbidden",
            "/nowhere",
        ]
        .into_iter()
        .filter_map(Route::recognize)
        .filter(Route::is_public)
        .collect();
        assert_eq!(
            public,
            [
                Route::Login,
                Route::Invite,
                Route::ForgotPassword,
                Route::ResetPassword
            ]
        );
    }

    #[test]
    fn unknown_paths_fall_back_to_not_found() {
        assert_eq!(
            Route::recognize("/tenants/acme-corp"),
            Some(Route::NotFound)
        );
        assert_eq!(Route::recognize("/dashboards/a/b"), Some(Route::NotFound));
    }

    #[test]
    fn dashboard_slugs_are_encoded_in_paths() {
        let route = Route::Dashboard {
            slug: "a b/c".into(),
        };
        assert_eq!(route.to_path(), "/dashboards/a%20b%2Fc");
        assert_eq!(Route::recognize(&route.to_path()), Some(route));
    }

    #[test]
    fn no_route_carries_a_tenant() {
        for path in Route::routes() {
            assert!(!path.contains("tenant"), "{path} names a tenant");
        }
    }
}
