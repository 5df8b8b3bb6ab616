//! The Redis connection pool used when `REDIS_URL` is set: by the session store
//! (actix-session's `RedisSessionStore`), the shared rate-limit counters and `/ready`.
//!
//! deadpool bounds every wait — for a free connection, for a new one, for the health
//! check of a recycled one — by `KYROS_DEPENDENCY_TIMEOUT`, so a Redis outage turns into
//! quick 503s rather than requests that hang, and the pool reconnects by itself when
//! Redis is back.

use std::time::Duration;

use deadpool_redis::{Config, PoolConfig, Runtime, Timeouts};
use secrecy::{ExposeSecret, SecretString};

pub type RedisPool = deadpool_redis::Pool;

/// `REDIS_URL` does not describe a usable pool.
#[derive(Debug, thiserror::Error)]
#[error("invalid REDIS_URL: {0}")]
pub struct RedisConfigError(String);

/// Redis did not answer as it should.
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct RedisUnavailable(pub String);

const MAX_CONNECTIONS: usize = 32;

/// A pool for `url`; connections are opened lazily, so this does not fail when Redis is
/// down (start-up checks it separately with [`ping`]).
pub fn pool(url: &SecretString, timeout: Duration) -> Result<RedisPool, RedisConfigError> {
    let mut config = Config::from_url(url.expose_secret());
    let mut pool = PoolConfig::new(MAX_CONNECTIONS);
    pool.timeouts = Timeouts {
        wait: Some(timeout),
        create: Some(timeout),
        recycle: Some(timeout),
    };
    config.pool = Some(pool);
    config
        .create_pool(Some(Runtime::Tokio1))
        .map_err(|e| RedisConfigError(e.to_string()))
}

/// `PING`, as a readiness check.
pub async fn ping(pool: &RedisPool) -> Result<(), RedisUnavailable> {
    let unavailable = |e: &dyn std::fmt::Display| RedisUnavailable(e.to_string());
    let mut conn = pool.get().await.map_err(|e| unavailable(&e))?;
    let pong: String = redis::cmd("PING")
        .query_async(&mut conn)
        .await
        .map_err(|e| unavailable(&e))?;
    if pong != "PONG" {
        return Err(RedisUnavailable(format!("answered {pong:?} to PING")));
    }
    Ok(())
}
