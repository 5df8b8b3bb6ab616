//! Building and running the application: the public listener (REST API, BFF, shell)
//! and the private admin listener. Tests build it on port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::error::{JsonPayloadError, QueryPayloadError, UrlencodedError};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpRequest, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;

use crate::auth::jwt::Tokens;
use crate::auth::keys::KeyRing;
use crate::auth::password::hash_password;
use crate::config::Settings;
use crate::error::ApiError;
use crate::request_context::request_context;
use crate::state::AppState;
use crate::store::{self, migrations, seed, Db};
use crate::{catalog, routes};

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
const DB_POOL_SIZE: u32 = 16;
const DB_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Application {
    port: u16,
    admin_port: u16,
    server: Server,
    admin_server: Server,
}

/// Migrates, seeds an empty database, and returns the store. Blocking.
pub fn prepare_store(settings: &Settings) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create KYROS_DATA_DIR {}", settings.data_dir.display()))?;
    let db = Db::new(&settings.database, DB_POOL_SIZE, DB_TIMEOUT);
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
pub fn run_seed(settings: &Settings, conn: &mut store::DbConnection) -> anyhow::Result<seed::SeedReport> {
    let hash = hash_password(settings.demo_password.expose_secret())?;
    let report = seed::apply(conn, &hash, &catalog::builtin_dashboards())?;
    tracing::info!(tenants = report.tenants, users = report.users, dashboards = report.dashboards, "demo seed applied");
    Ok(report)
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge(format!("request body is larger than {MAX_BODY_BYTES} bytes"))
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType("expected application/json".into()),
        JsonPayloadError::Deserialize(e) => ApiError::invalid_json(format!("invalid JSON body: {e}")),
        other => ApiError::invalid_json(format!("invalid JSON body: {other}")),
    };
    api.into()
}

fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        UrlencodedError::Overflow { .. } => ApiError::PayloadTooLarge("request body is too large".into()),
        UrlencodedError::ContentType => {
            ApiError::UnsupportedMediaType("expected application/x-www-form-urlencoded".into())
        }
        other => ApiError::bad_request(format!("invalid form body: {other}")),
    };
    api.into()
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::bad_request(format!("invalid query string: {err}")).into()
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let prepared = settings.clone();
        let (db, keys) = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<(Db, KeyRing)> {
            let db = prepare_store(&prepared)?;
            let keys = KeyRing::load(db.clone(), prepared.signing_key.as_ref(), prepared.longest_token_ttl())
                .context("loading the signing key ring")?;
            Ok((db, keys))
        })
        .await
        .context("start-up task failed")??;

        let tokens = Tokens::new(
            Arc::new(keys),
            settings.issuer.clone(),
            settings.user_token_ttl,
            settings.tenant_token_ttl,
        );
        let dummy_password_hash = hash_password("kyros-timing-equaliser")?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot bind KYROS_BIND {}", settings.bind))?;
        let admin_listener = TcpListener::bind(settings.admin_bind)
            .with_context(|| format!("cannot bind KYROS_ADMIN_BIND {}", settings.admin_bind))?;
        let port = listener.local_addr()?.port();
        let admin_port = admin_listener.local_addr()?.port();

        let state = web::Data::new(AppState { settings, db, tokens, dummy_password_hash });

        let public_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(public_state.clone())
                .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES).error_handler(json_error))
                .app_data(web::FormConfig::default().limit(MAX_BODY_BYTES).error_handler(form_error))
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
                .wrap(from_fn(request_context))
                .configure(routes::configure)
                .default_service(web::to(routes::not_found))
        })
        .client_request_timeout(Duration::from_secs(10))
        .shutdown_timeout(5)
        .listen(listener)?
        .run();

        let admin_state = state;
        let admin_server = HttpServer::new(move || {
            App::new()
                .app_data(admin_state.clone())
                .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES).error_handler(json_error))
                .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
                .wrap(from_fn(request_context))
                .configure(routes::configure_admin)
                .default_service(web::to(routes::not_found))
        })
        .workers(1)
        .shutdown_timeout(5)
        .listen(admin_listener)?
        .run();

        Ok(Application { port, admin_port, server, admin_server })
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
