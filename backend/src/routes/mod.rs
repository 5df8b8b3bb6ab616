//! The route tables of both listeners: the only place routes are declared. Handlers are
//! thin: extract, call one service, map the result.

pub mod admin;
pub mod auth;
pub mod bff;
pub mod dashboards;
pub mod health;
pub mod jwks;
pub mod me;
pub mod shell;
pub mod tenant;
pub mod token;

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::bff::layer::SessionLayer;
use crate::error::ApiError;
use crate::http::csrf::csrf_guard;
use crate::http::session_refresh::session_refresh;

/// The public listener: BFF, REST API, health.
pub fn configure(cfg: &mut web::ServiceConfig, sessions: SessionLayer) {
    cfg.service(
        web::scope("/bff")
            .wrap(from_fn(session_refresh))
            .wrap(sessions)
            .wrap(from_fn(csrf_guard))
            .service(web::resource("/login").route(web::post().to(bff::login::bff_login)))
            .service(web::resource("/login/mfa").route(web::post().to(bff::login::bff_login_mfa)))
            .service(web::resource("/mfa").route(web::get().to(bff::account::bff_mfa_status)))
            .service(
                web::resource("/mfa/enroll").route(web::post().to(bff::account::bff_mfa_enrol)),
            )
            .service(
                web::resource("/mfa/confirm").route(web::post().to(bff::account::bff_mfa_confirm)),
            )
            .service(
                web::resource("/mfa/disable").route(web::post().to(bff::account::bff_mfa_disable)),
            )
            .service(web::resource("/sso/start").route(web::get().to(bff::sso::bff_sso_start)))
            .service(
                web::resource("/sso/callback").route(web::get().to(bff::sso::bff_sso_callback)),
            )
            .service(web::resource("/logout").route(web::post().to(bff::logout::bff_logout)))
            .service(web::resource("/me").route(web::get().to(bff::me::bff_me)))
            .service(web::resource("/tenant").route(web::post().to(bff::tenant::bff_select_tenant)))
            .service(
                web::resource("/tenant/users")
                    .route(web::get().to(bff::people::bff_list_members))
                    .route(web::post().to(bff::people::bff_invite_member)),
            )
            .service(
                web::resource("/tenant/users/{user_id}")
                    .route(web::patch().to(bff::people::bff_change_member_role))
                    .route(web::delete().to(bff::people::bff_remove_member)),
            )
            .service(
                web::resource("/password").route(web::post().to(bff::account::bff_change_password)),
            )
            .service(
                web::resource("/sessions").route(web::get().to(bff::account::bff_list_sessions)),
            )
            .service(
                web::resource("/sessions/{id}")
                    .route(web::delete().to(bff::account::bff_end_session)),
            )
            .service(
                web::resource("/dashboards")
                    .route(web::get().to(bff::dashboards::bff_list_dashboards)),
            )
            .service(
                web::resource("/dashboards/{slug}")
                    .route(web::get().to(bff::dashboard::bff_show_dashboard)),
            )
            .service(
                web::resource("/dashboards/{slug}/charts")
                    .route(web::get().to(bff::dashboard::bff_dashboard_charts)),
            )
            .service(
                web::resource("/dashboards/{slug}/preferences")
                    .route(web::put().to(bff::dashboard::bff_save_preferences)),
            )
            .service(
                web::resource("/dashboards/{slug}/charts/{chart_id}/export.csv")
                    .route(web::get().to(bff::export::bff_export_csv)),
            ),
    )
    .service(web::resource("/health").route(web::get().to(health::health)))
    .service(web::resource("/ready").route(web::get().to(health::ready)))
    .service(web::resource("/.well-known/jwks.json").route(web::get().to(jwks::jwks)))
    .service(
        web::scope("/api")
            .service(web::resource("/auth/login").route(web::post().to(auth::login::login)))
            .service(web::resource("/auth/login/mfa").route(web::post().to(auth::login::login_mfa)))
            .service(
                web::resource("/auth/invitations/accept")
                    .route(web::post().to(auth::invitations::accept_invitation)),
            )
            .service(
                web::resource("/auth/password/forgot")
                    .route(web::post().to(auth::password::forgot_password)),
            )
            .service(
                web::resource("/auth/password/reset")
                    .route(web::post().to(auth::password::reset_password)),
            )
            .service(
                web::resource("/auth/password/change")
                    .route(web::post().to(auth::password::change_password)),
            )
            .service(web::resource("/me").route(web::get().to(me::show_me)))
            .service(
                web::resource("/token/exchange")
                    .route(web::post().to(token::exchange::exchange_token)),
            )
            .service(
                web::resource("/tenant/{tenant_id}")
                    .route(web::get().to(tenant::show::show_tenant)),
            )
            .service(
                web::resource("/tenant/{tenant_id}/audit")
                    .route(web::get().to(tenant::audit::tenant_audit)),
            )
            .service(
                web::resource("/tenant/{tenant_id}/users")
                    .route(web::get().to(tenant::users::list_members))
                    .route(web::post().to(tenant::users::invite_member)),
            )
            .service(
                web::resource("/tenant/{tenant_id}/users/{user_id}")
                    .route(web::patch().to(tenant::users::change_member_role))
                    .route(web::delete().to(tenant::users::remove_member)),
            )
            .service(
                web::resource("/tenant/{tenant_id}/dashboards")
                    .route(web::get().to(tenant::dashboards::list_tenant_dashboards)),
            )
            .service(
                web::resource("/dashboards/{slug}/charts")
                    .route(web::get().to(dashboards::charts::get_dashboard_charts)),
            )
            .service(
                web::resource("/dashboards/{slug}/data")
                    .route(web::get().to(dashboards::data::get_dashboard_data)),
            ),
    );
}

/// A 200 with a JSON body serialised earlier.
pub fn json_body(body: bytes::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body)
}

/// Anything unmatched, whatever the method.
pub async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::not_found("no such resource"))
}

/// The private admin listener.
pub fn configure_admin(cfg: &mut web::ServiceConfig) {
    use admin::{
        audit_log, auth as admin_auth, dashboards as admin_dashboards, identity_providers, keys,
        outbox, tenants, users,
    };
    cfg.service(web::resource("/health").route(web::get().to(health::health)))
        .service(web::resource("/ready").route(web::get().to(health::ready)))
        .service(web::resource("/metrics").route(web::get().to(health::metrics)))
        .service(
            web::scope("/admin")
                .service(
                    web::resource("/token").route(web::post().to(admin_auth::issue_admin_token)),
                )
                .service(
                    web::resource("/tenants")
                        .route(web::get().to(tenants::list_tenants))
                        .route(web::post().to(tenants::create_tenant)),
                )
                .service(
                    web::resource("/users")
                        .route(web::get().to(users::list_users))
                        .route(web::post().to(users::create_user)),
                )
                .service(
                    web::resource("/users/{id}")
                        .route(web::patch().to(users::update_user))
                        .route(web::delete().to(users::erase_user)),
                )
                .service(web::resource("/outbox").route(web::get().to(outbox::list_outbox)))
                .service(
                    web::resource("/tenants/{id}/metadata")
                        .route(web::post().to(tenants::set_tenant_metadata)),
                )
                .service(
                    web::resource("/tenants/{id}/dashboards")
                        .route(web::post().to(tenants::assign_dashboards)),
                )
                .service(
                    web::resource("/tenants/{id}/identity-provider")
                        .route(web::get().to(identity_providers::get_identity_provider))
                        .route(web::put().to(identity_providers::put_identity_provider))
                        .route(web::delete().to(identity_providers::delete_identity_provider)),
                )
                .service(
                    web::resource("/tenants/{id}/{action:(activate|deactivate)}")
                        .route(web::post().to(tenants::set_tenant_active)),
                )
                .service(
                    web::resource("/tenants/{id}/users/{email}")
                        .route(web::put().to(users::grant_role))
                        .route(web::delete().to(users::revoke_role)),
                )
                .service(
                    web::resource("/users/{email}/{action:(activate|deactivate)}")
                        .route(web::post().to(users::set_user_active)),
                )
                .service(
                    web::resource("/dashboards/{slug}")
                        .route(web::put().to(admin_dashboards::put_dashboard)),
                )
                .service(web::resource("/rotate-secret").route(web::post().to(keys::rotate_secret)))
                .service(web::resource("/audit").route(web::get().to(audit_log::admin_audit))),
        );
}
