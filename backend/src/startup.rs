//! Building and running the application: the public listener (REST API, BFF, shell)
//! and the private admin listener. Tests build it on port 0. Wiring only: the services
//! live in `state`, the middleware in `http`, the routes in `routes`.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;

use crate::auth::keys::KeyRing;
use crate::auth::password::hash_password;
use crate::bff::layer::SessionConfig;
use crate::bff::store::SessionBackend;
use crate::config::Settings;
use crate::http::access_log::access_log;
use crate::http::body_errors::{form_error, json_error, query_error};
use crate::http::json::MAX_BODY_BYTES;
use crate::http::metadata_changes::metadata_changes;
use crate::http::problems::problems;
use crate::http::request_ids::request_ids;
use crate::http::security_headers::security_headers;
use crate::http::timeout::timeout;
use crate::http::tls::tls_config;
use crate::state::AppState;
use crate::store::{self, migrations, seed, Db};
use crate::{catalog, datagen, redis_store, routes};

const DB_POOL_SIZE: u32 = 16;

/// Every few minutes: deletes expired sessions (when they live in the database), used
/// or expired invitation and reset tokens, old session-registry rows and forgotten
/// sign-in back-off records.
fn spawn_housekeeping(db: Db, sessions_in_db: bool, session_lifetime: Duration) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(Duration::from_secs(300));
        loop {
            interval.tick().await;
            let outcome = db
                .run(move |conn| {
                    let sessions = if sessions_in_db {
                        store::sessions::purge_expired(conn)?
                    } else {
                        0
                    };
                    let lifetime = chrono::Duration::seconds(
                        i64::try_from(session_lifetime.as_secs()).unwrap_or(86_400),
                    );
                    let tokens = store::account_tokens::purge_stale(conn)?;
                    let registry =
                        store::user_sessions::purge_before(conn, store::now() - lifetime)?;
                    let forget = chrono::Duration::seconds(
                        crate::auth::throttle::FORGET_AFTER.as_secs() as i64,
                    );
                    let failures =
                        store::sign_in_failures::purge_before(conn, store::now() - forget)?;
                    Ok((sessions, tokens, registry, failures))
                })
                .await;
            match outcome {
                Ok((sessions, tokens, registry, failures))
                    if sessions + tokens + registry + failures > 0 =>
                {
                    tracing::info!(
                        sessions,
                        tokens,
                        registry,
                        failures,
                        "expired records removed"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
            }
        }
    });
}

pub struct Application {
    port: u16,
    admin_port: u16,
    server: Server,
    admin_server: Server,
}

/// Migrates, seeds an empty database, and returns the store. Blocking.
pub fn prepare_store(settings: &Settings) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create KYROS_DATA_DIR {}",
            settings.data_dir.display()
        )
    })?;
    let db = Db::new(
        &settings.database,
        DB_POOL_SIZE,
        settings.dependency_timeout,
    );
    let applied = migrations::run_pending(&db).context("migrating the metadata database")?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    let mut conn = db.conn()?;
    if store::tenants::count(&mut conn)? == 0 {
        run_seed(settings, &mut conn)?;
    }
    Ok(db)
}

/// Applies the demo seed (idempotent).
pub fn run_seed(
    settings: &Settings,
    conn: &mut store::DbConnection,
) -> anyhow::Result<seed::SeedReport> {
    let hash = hash_password(settings.demo_password.expose_secret())?;
    let report = seed::apply(conn, &hash, &catalog::builtin_dashboards())?;
    tracing::info!(
        tenants = report.tenants,
        users = report.users,
        dashboards = report.dashboards,
        "demo seed applied"
    );
    Ok(report)
}

/// The store, key ring, first admin client and demo data, prepared off the runtime.
async fn prepare(settings: &Settings) -> anyhow::Result<(Db, KeyRing)> {
    let prepared = settings.clone();
    actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<(Db, KeyRing)> {
        let db = prepare_store(&prepared)?;
        let keys =
            KeyRing::for_settings(db.clone(), &prepared).context("loading the signing key ring")?;
        if let Some((id, secret)) = &prepared.admin_client {
            let hash = hash_password(secret.expose_secret())?;
            store::admin_clients::upsert(&mut *db.conn()?, id, &hash)?;
        }
        if prepared.generate_demo_data {
            datagen::ensure_demo_data(&db, &prepared.data_dir, prepared.demo_rows)?;
        }
        Ok((db, keys))
    })
    .await
    .context("start-up task failed")?
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let (db, keys) = prepare(&settings).await?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot bind KYROS_BIND {}", settings.bind))?;
        let admin_listener = TcpListener::bind(settings.admin_bind)
            .with_context(|| format!("cannot bind KYROS_ADMIN_BIND {}", settings.admin_bind))?;
        let port = listener.local_addr()?.port();
        let admin_port = admin_listener.local_addr()?.port();
        let tls = settings.tls.as_ref().map(tls_config).transpose()?;
        let redis = match &settings.redis_url {
            Some(url) => Some(redis_store::pool(url, settings.dependency_timeout)?),
            None => None,
        };
        let sessions = SessionConfig::new(&settings, &db, redis.as_ref()).await?;
        tracing::info!(store = sessions.store().kind(), "session store");
        spawn_housekeeping(
            db.clone(),
            matches!(sessions.store(), SessionBackend::Database(_)),
            settings.session_max,
        );
        let state = web::Data::new(AppState::build(settings, db.clone(), keys, redis)?);
        state.epoch.spawn_poller(db);
        state.mailer.spawn_delivery();
        tracing::info!(
            smtp = state.mailer.delivers(),
            "mail: {}",
            if state.mailer.delivers() {
                "delivered over SMTP"
            } else {
                "no KYROS_SMTP_URL: written to the log and the outbox"
            }
        );

        let shell_dir = routes::shell::locate(state.settings.static_dir.as_deref());
        match &shell_dir {
            Some(dir) => tracing::info!(dir = %dir.display(), "serving the shell"),
            None => tracing::warn!("no built shell found (run trunk build or set KYROS_STATIC_DIR); serving the API only"),
        }
        let public_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(public_state.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(MAX_BODY_BYTES)
                        .error_handler(json_error),
                )
                .app_data(
                    web::FormConfig::default()
                        .limit(MAX_BODY_BYTES)
                        .error_handler(form_error),
                )
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
                .wrap(from_fn(timeout))
                .wrap(from_fn(problems))
                .wrap(from_fn(security_headers))
                .wrap(from_fn(access_log))
                .wrap(from_fn(request_ids))
                .configure(|cfg| routes::configure(cfg, sessions.layer()))
                .configure(|cfg| {
                    if let Some(dir) = &shell_dir {
                        cfg.service(routes::shell::service(dir.clone()));
                    }
                })
                .default_service(web::to(routes::not_found))
        })
        .client_request_timeout(Duration::from_secs(10))
        .shutdown_timeout(5);
        let server = match &tls {
            Some(config) => server.listen_rustls_0_23(listener, config.clone())?,
            None => server.listen(listener)?,
        }
        .run();

        let admin_state = state;
        let admin_server = HttpServer::new(move || {
            App::new()
                .app_data(admin_state.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(MAX_BODY_BYTES)
                        .error_handler(json_error),
                )
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
                .wrap(from_fn(metadata_changes))
                .wrap(from_fn(timeout))
                .wrap(from_fn(problems))
                .wrap(from_fn(security_headers))
                .wrap(from_fn(access_log))
                .wrap(from_fn(request_ids))
                .configure(routes::configure_admin)
                .default_service(web::to(routes::not_found))
        })
        .workers(1)
        .shutdown_timeout(5);
        let admin_server = match &tls {
            Some(config) => admin_server.listen_rustls_0_23(admin_listener, config.clone())?,
            None => admin_server.listen(admin_listener)?,
        }
        .run();

        Ok(Application {
            port,
            admin_port,
            server,
            admin_server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn admin_port(&self) -> u16 {
        self.admin_port
    }

    /// Handles to stop both listeners.
    pub fn handles(&self) -> (ServerHandle, ServerHandle) {
        (self.server.handle(), self.admin_server.handle())
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (public, admin) = futures_util::future::join(self.server, self.admin_server).await;
        public.and(admin)
    }
}
