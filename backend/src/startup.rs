//! Building and running the application: the public listener (REST API, BFF, shell)
//! and the private admin listener. Tests build it on port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, QueryPayloadError, UrlencodedError};
use actix_web::middleware::from_fn;
use actix_web::middleware::Next;
use actix_web::{web, App, HttpRequest, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::SessionMiddleware;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Key, SameSite};
use sha2::{Digest, Sha512};

use crate::auth::jwt::Tokens;
use crate::auth::keys::KeyRing;
use crate::auth::password::hash_password;
use crate::bff::store::{DbSessionStore, SessionBackend};
use crate::bff::SESSION_COOKIE;
use crate::config::{Settings, TlsFiles};
use crate::dashboards::{ChartCache, DashboardService};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::ratelimit::Limits;
use crate::redis_store::{self, RedisPool};
use crate::request_context::request_context;
use crate::state::{AppState, SharedState};
use crate::store::{self, migrations, seed, Db};
use crate::tenancy::cache::{Epoch, EpochCache};
use crate::{catalog, datagen, routes};
use kyros_engine::Engine;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
const DB_POOL_SIZE: u32 = 16;

/// The session middleware of `/bff`.
pub type SessionLayer = SessionMiddleware<SessionBackend>;

/// The key that encrypts the session cookie. Derived from `KYROS_SIGNING_KEY` when set,
/// so every instance sharing that key reads every other instance's cookies; otherwise
/// random per process (single-instance development).
fn cookie_key(settings: &Settings) -> Key {
    match &settings.signing_key {
        Some(secret) => {
            let mut hasher = Sha512::new();
            hasher.update(b"kyros-session-cookie-key:");
            hasher.update(secret.expose_secret().as_bytes());
            Key::try_from(&hasher.finalize()[..]).unwrap_or_else(|_| Key::generate())
        }
        None => Key::generate(),
    }
}

/// How long session state lives: past the user token, so an expired session can be
/// told apart from no session (401 `session_expired` rather than `unauthenticated`).
fn session_ttl(settings: &Settings) -> CookieDuration {
    let secs = settings.user_token_ttl.as_secs().saturating_add(3600);
    CookieDuration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 2))
}

pub fn session_layer(store: SessionBackend, key: Key, ttl: CookieDuration) -> SessionLayer {
    SessionMiddleware::builder(store, key)
        .cookie_name(SESSION_COOKIE.to_owned())
        .cookie_secure(true)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Strict)
        .cookie_path("/".to_owned())
        .cookie_domain(None)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default().state_ttl(ttl))
        .build()
}

/// The rustls configuration of `KYROS_TLS_CERT` / `KYROS_TLS_KEY` (PEM), ring provider,
/// TLS 1.2 and 1.3.
pub fn tls_config(files: &TlsFiles) -> anyhow::Result<rustls::ServerConfig> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};

    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot read KYROS_TLS_CERT {}", files.cert.display()))?;
    anyhow::ensure!(
        !certs.is_empty(),
        "KYROS_TLS_CERT {} holds no certificate",
        files.cert.display()
    );
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("cannot read KYROS_TLS_KEY {}", files.key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("KYROS_TLS_CERT and KYROS_TLS_KEY do not form a usable certificate and key")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Sessions in Redis when a pool is given (checked with a PING: a Redis that is down at
/// start is reported and the instance starts not ready, recovering when Redis returns),
/// otherwise in the metadata database.
async fn session_backend(db: &Db, redis: Option<&RedisPool>) -> anyhow::Result<SessionBackend> {
    let Some(pool) = redis else {
        return Ok(SessionBackend::Database(DbSessionStore::new(db.clone())));
    };
    if let Err(e) = redis_store::ping(pool).await {
        tracing::warn!(error = %e, "Redis (REDIS_URL) is not answering yet; /ready reports 503 until it does");
    }
    let store = actix_session::storage::RedisSessionStore::builder_pooled(pool.clone())
        .cache_keygen(|key| format!("kyros:session:{key}"))
        .build()
        .await
        .context("building the Redis session store")?;
    Ok(SessionBackend::Redis(store))
}

/// Deletes expired sessions every few minutes.
/// After an admin request that may have changed tenancy metadata, re-reads the
/// metadata epoch so that this instance forgets what it remembered at once (the other
/// instances notice within a poll interval; see `tenancy::cache`).
async fn metadata_changes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let changes = !req.method().is_safe();
    let state = req.app_data::<SharedState>().cloned();
    let res = next.call(req).await?;
    if let (true, Some(state)) = (changes, state) {
        state.epoch.refresh(&state.db).await;
    }
    Ok(res)
}

fn spawn_session_purger(db: Db) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(Duration::from_secs(300));
        loop {
            interval.tick().await;
            match db.run(store::sessions::purge_expired).await {
                Ok(n) if n > 0 => tracing::info!(purged = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
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

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge(format!(
                "request body is larger than {MAX_BODY_BYTES} bytes"
            ))
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("expected application/json".into())
        }
        JsonPayloadError::Deserialize(e) => {
            ApiError::invalid_json(format!("invalid JSON body: {e}"))
        }
        other => ApiError::invalid_json(format!("invalid JSON body: {other}")),
    };
    api.into()
}

fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        UrlencodedError::Overflow { .. } => {
            ApiError::PayloadTooLarge("request body is too large".into())
        }
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
        let (db, keys) =
            actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<(Db, KeyRing)> {
                let db = prepare_store(&prepared)?;
                let keys = KeyRing::load(
                    db.clone(),
                    prepared.signing_key.as_ref(),
                    prepared.longest_token_ttl(),
                )
                .context("loading the signing key ring")?;
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

        let tls = settings.tls.as_ref().map(tls_config).transpose()?;
        let key = cookie_key(&settings);
        let ttl = session_ttl(&settings);
        let redis = match &settings.redis_url {
            Some(url) => Some(redis_store::pool(url, settings.dependency_timeout)?),
            None => None,
        };
        let session_store = session_backend(&db, redis.as_ref()).await?;
        tracing::info!(store = session_store.kind(), "session store");
        if matches!(session_store, SessionBackend::Database(_)) {
            spawn_session_purger(db.clone());
        }
        let metrics = Metrics::new().context("registering metrics")?;
        let limits = Limits::new(
            settings.login_rate_per_minute,
            settings.data_rate_per_minute,
            settings.trusted_proxies.clone(),
        )
        .shared_in(redis.clone());
        let epoch = Epoch::new(settings.metadata_cache_ttl);
        epoch.spawn_poller(db.clone());
        let dashboards = DashboardService::new(
            Engine::with_resident_budget(settings.data_dir.clone(), settings.data_cache_bytes),
            ChartCache::new(settings.cache_bytes),
            &epoch,
        );
        let state = web::Data::new(AppState {
            memberships: EpochCache::new(&epoch),
            epoch,
            settings,
            db,
            tokens,
            dummy_password_hash,
            dashboards,
            metrics,
            limits,
            redis,
        });

        let shell_dir = routes::shell::locate(state.settings.static_dir.as_deref());
        match &shell_dir {
            Some(dir) => tracing::info!(dir = %dir.display(), "serving the shell"),
            None => tracing::warn!("no built shell found (run trunk build or set KYROS_STATIC_DIR); serving the API only"),
        }
        let public_state = state.clone();
        let server = HttpServer::new(move || {
            let sessions = session_layer(session_store.clone(), key.clone(), ttl);
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
                .wrap(from_fn(request_context))
                .configure(|cfg| routes::configure(cfg, sessions))
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
                .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
                .wrap(from_fn(metadata_changes))
                .wrap(from_fn(request_context))
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
