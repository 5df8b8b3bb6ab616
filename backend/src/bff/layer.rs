//! The session middleware of `/bff`: cookie attributes, the cookie key, how long state
//! lives and where it is stored (Redis when `REDIS_URL` is set, else the metadata
//! database).

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::SessionMiddleware;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Key, SameSite};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha512};

use super::store::{DbSessionStore, SessionBackend};
use super::SESSION_COOKIE;
use crate::config::Settings;
use crate::redis_store::{self, RedisPool};
use crate::store::Db;

/// The session middleware of `/bff`.
pub type SessionLayer = SessionMiddleware<SessionBackend>;

/// Why the session store could not be built.
#[derive(Debug, thiserror::Error)]
#[error("building the Redis session store: {0}")]
pub struct SessionStoreError(String);

/// Everything a worker needs to build its session middleware.
#[derive(Clone)]
pub struct SessionConfig {
    store: SessionBackend,
    key: Key,
    ttl: CookieDuration,
}

impl SessionConfig {
    /// Sessions in Redis when a pool is given (checked with a PING: a Redis that is down
    /// at start is reported and the instance starts not ready, recovering when Redis
    /// returns), otherwise in the metadata database.
    pub async fn new(
        settings: &Settings,
        db: &Db,
        redis: Option<&RedisPool>,
    ) -> Result<Self, SessionStoreError> {
        let store = match redis {
            None => SessionBackend::Database(DbSessionStore::new(db.clone())),
            Some(pool) => {
                if let Err(e) = redis_store::ping(pool).await {
                    tracing::warn!(error = %e, "Redis (REDIS_URL) is not answering yet; /ready reports 503 until it does");
                }
                let store = actix_session::storage::RedisSessionStore::builder_pooled(pool.clone())
                    .cache_keygen(|key| format!("kyros:session:{key}"))
                    .build()
                    .await
                    .map_err(|e| SessionStoreError(e.to_string()))?;
                SessionBackend::Redis(store)
            }
        };
        Ok(SessionConfig {
            store,
            key: cookie_key(settings),
            ttl: session_ttl(settings),
        })
    }

    pub fn store(&self) -> &SessionBackend {
        &self.store
    }

    /// The middleware, built per worker.
    pub fn layer(&self) -> SessionLayer {
        SessionMiddleware::builder(self.store.clone(), self.key.clone())
            .cookie_name(SESSION_COOKIE.to_owned())
            .cookie_secure(true)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Strict)
            .cookie_path("/".to_owned())
            .cookie_domain(None)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(BrowserSession::default().state_ttl(self.ttl))
            .build()
    }
}

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

/// How long session state lives: past the absolute session lifetime, so an expired
/// session can be told apart from no session (401 `session_expired` rather than
/// `unauthenticated`).
fn session_ttl(settings: &Settings) -> CookieDuration {
    let secs = settings.session_max.as_secs().saturating_add(3600);
    CookieDuration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 2))
}
