//! actix-session's `SessionStore` over the metadata database: the default session store
//! (Redis replaces it when `REDIS_URL` is set, see [`SessionBackend`]). Expired rows are
//! ignored on load and purged by a periodic task.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use rand::distr::Alphanumeric;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::store::{self, sessions, Db};
use crate::tenancy::scope::Scope;

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn row_id(key: &SessionKey) -> String {
    Sha256::digest(key.as_ref().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The user a session belongs to (its `uid` entry, a JSON string), stored beside the
/// state so that erasing a user erases their sessions.
fn owner(state: &HashMap<String, String>) -> Option<String> {
    state
        .get(super::session::USER_ID)
        .and_then(|v| serde_json::from_str::<String>(v).ok())
        .filter(|v| v.len() <= 64)
}

fn expiry(ttl: &Duration) -> chrono::NaiveDateTime {
    store::now() + chrono::Duration::seconds(ttl.whole_seconds().max(1))
}

fn new_key() -> Result<SessionKey, anyhow::Error> {
    let key: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(64)
        .map(char::from)
        .collect();
    SessionKey::try_from(key).map_err(|e| anyhow::anyhow!("{e}"))
}

impl SessionStore for DbSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let id = row_id(session_key);
        let state = self
            .db
            .run_scoped(Scope::Service, move |conn| sessions::load(conn, &id))
            .await
            .map_err(|e| LoadError::Other(e.into()))?;
        match state {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let json = serde_json::to_string(&session_state)
            .map_err(|e| SaveError::Serialization(e.into()))?;
        let key = new_key().map_err(SaveError::Other)?;
        let id = row_id(&key);
        let expires_at = expiry(ttl);
        let user = owner(&session_state);
        self.db
            .run_scoped(Scope::Service, move |conn| {
                sessions::insert(conn, &id, &json, expires_at, user.as_deref())
            })
            .await
            .map_err(|e| SaveError::Other(e.into()))?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let json = serde_json::to_string(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let id = row_id(&session_key);
        let expires_at = expiry(ttl);
        let state_json = json.clone();
        let user = owner(&session_state);
        let updated = self
            .db
            .run_scoped(Scope::Service, move |conn| {
                sessions::update(conn, &id, &state_json, expires_at, user.as_deref())
            })
            .await
            .map_err(|e| UpdateError::Other(e.into()))?;
        if updated {
            return Ok(session_key);
        }
        // The session vanished (expired or purged) meanwhile: store it under a new key.
        self.save(session_state, ttl).await.map_err(|e| match e {
            SaveError::Serialization(e) => UpdateError::Serialization(e),
            SaveError::Other(e) => UpdateError::Other(e),
        })
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &Duration,
    ) -> Result<(), anyhow::Error> {
        let id = row_id(session_key);
        let expires_at = expiry(ttl);
        self.db
            .run_scoped(Scope::Service, move |conn| {
                sessions::touch(conn, &id, expires_at)
            })
            .await?;
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let id = row_id(session_key);
        self.db
            .run_scoped(Scope::Service, move |conn| sessions::delete(conn, &id))
            .await?;
        Ok(())
    }
}

/// The session store in use: the metadata database by default, Redis (actix-session's
/// own `RedisSessionStore` over our connection pool) when `REDIS_URL` is set, so that
/// every instance behind a load balancer sees the same sessions.
#[derive(Clone)]
pub enum SessionBackend {
    Database(DbSessionStore),
    Redis(actix_session::storage::RedisSessionStore),
}

impl SessionBackend {
    pub fn kind(&self) -> &'static str {
        match self {
            SessionBackend::Database(_) => "database",
            SessionBackend::Redis(_) => "redis",
        }
    }
}

impl SessionStore for SessionBackend {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        match self {
            SessionBackend::Database(s) => s.load(session_key).await,
            SessionBackend::Redis(s) => s.load(session_key).await,
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        match self {
            SessionBackend::Database(s) => s.save(session_state, ttl).await,
            SessionBackend::Redis(s) => s.save(session_state, ttl).await,
        }
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        match self {
            SessionBackend::Database(s) => s.update(session_key, session_state, ttl).await,
            SessionBackend::Redis(s) => s.update(session_key, session_state, ttl).await,
        }
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &Duration,
    ) -> Result<(), anyhow::Error> {
        match self {
            SessionBackend::Database(s) => s.update_ttl(session_key, ttl).await,
            SessionBackend::Redis(s) => s.update_ttl(session_key, ttl).await,
        }
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        match self {
            SessionBackend::Database(s) => s.delete(session_key).await,
            SessionBackend::Redis(s) => s.delete(session_key).await,
        }
    }
}
