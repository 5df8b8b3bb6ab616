//! Rate limits, per key (client IP for login and token endpoints, tenant for data
//! endpoints).
//!
//! With `REDIS_URL` set the counters are shared by every instance: a fixed one-minute
//! window per key in Redis (`INCR` + `EXPIRE`, atomic), so N instances still allow the
//! configured rate, not N times it. Without Redis — or while Redis cannot be reached —
//! each instance enforces the limit alone with an in-memory token bucket: a Redis outage
//! degrades the limit to per-instance rather than refusing every login.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use actix_web::HttpRequest;
use moka::sync::Cache;

use crate::redis_store::RedisPool;

/// A request over its limit, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many requests; retry after {retry_after_secs} s")]
pub struct RateLimited {
    pub retry_after_secs: u64,
}

/// Why the shared (Redis) window could not be consulted.
#[derive(Debug, thiserror::Error)]
enum SharedWindowError {
    #[error("redis pool: {0}")]
    Pool(#[from] deadpool_redis::PoolError),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("clock before 1970")]
    Clock(#[from] std::time::SystemTimeError),
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Clone)]
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Cache<String, Arc<Mutex<Bucket>>>,
}

impl RateLimiter {
    /// `per_minute` requests per minute with bursts up to the same number.
    pub fn per_minute(per_minute: u32) -> Self {
        Self::per_window(per_minute, 60)
    }

    /// `limit` requests per `window_secs` with bursts up to the same number.
    pub fn per_window(limit: u32, window_secs: u64) -> Self {
        let capacity = f64::from(limit.max(1));
        RateLimiter {
            capacity,
            per_second: capacity / window_secs.max(1) as f64,
            buckets: Cache::builder()
                .max_capacity(100_000)
                .time_to_idle(Duration::from_secs(600))
                .build(),
        }
    }

    /// Takes one token for `key`, or says how many seconds until one is available.
    pub fn check(&self, key: &str) -> Result<(), RateLimited> {
        let bucket = self.buckets.get_with(key.to_owned(), || {
            Arc::new(Mutex::new(Bucket {
                tokens: self.capacity,
                updated: Instant::now(),
            }))
        });
        // A poisoned lock only means another thread panicked mid-update; the bucket's
        // numbers are still usable.
        let mut bucket = bucket.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0) as u64;
            Err(RateLimited {
                retry_after_secs: wait,
            })
        }
    }
}

/// The limits of one application.
pub struct Limits {
    pub login: RateLimiter,
    pub data: RateLimiter,
    pub invites: RateLimiter,
    login_per_minute: u32,
    data_per_minute: u32,
    invites_per_hour: u32,
    trusted_proxies: Vec<IpAddr>,
    shared: Option<RedisPool>,
}

impl Limits {
    pub fn new(login_per_minute: u32, data_per_minute: u32, trusted_proxies: Vec<IpAddr>) -> Self {
        Limits {
            login: RateLimiter::per_minute(login_per_minute),
            data: RateLimiter::per_minute(data_per_minute),
            invites: RateLimiter::per_window(100, 3600),
            login_per_minute,
            data_per_minute,
            invites_per_hour: 100,
            trusted_proxies,
            shared: None,
        }
    }

    /// Invitations a tenant's admins may send per hour.
    pub fn with_invites_per_hour(mut self, per_hour: u32) -> Self {
        self.invites = RateLimiter::per_window(per_hour, 3600);
        self.invites_per_hour = per_hour;
        self
    }

    /// Counters shared across instances in Redis.
    pub fn shared_in(mut self, pool: Option<RedisPool>) -> Self {
        self.shared = pool;
        self
    }

    /// The client's IP: the peer address, unless the peer is a trusted proxy, in which
    /// case the last `X-Forwarded-For` hop that is not itself a trusted proxy.
    pub fn client_ip(&self, req: &HttpRequest) -> String {
        let peer = req.peer_addr().map(|a| a.ip());
        match peer {
            Some(ip) if self.trusted_proxies.contains(&ip) => req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(',')
                        .rev()
                        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
                        .find(|hop| !self.trusted_proxies.contains(hop))
                })
                .unwrap_or(ip)
                .to_string(),
            Some(ip) => ip.to_string(),
            None => "unknown".into(),
        }
    }

    pub async fn check_login(&self, req: &HttpRequest) -> Result<(), RateLimited> {
        let key = format!("ip:{}", self.client_ip(req));
        self.check(&self.login, self.login_per_minute, 60, "login", &key)
            .await
    }

    pub async fn check_tenant(&self, tenant: &str) -> Result<(), RateLimited> {
        let key = format!("tenant:{tenant}");
        self.check(&self.data, self.data_per_minute, 60, "data", &key)
            .await
    }

    pub async fn check_invites(&self, tenant: &str) -> Result<(), RateLimited> {
        let key = format!("tenant:{tenant}");
        self.check(&self.invites, self.invites_per_hour, 3600, "invites", &key)
            .await
    }

    async fn check(
        &self,
        local: &RateLimiter,
        limit: u32,
        window_secs: u64,
        kind: &str,
        key: &str,
    ) -> Result<(), RateLimited> {
        if let Some(pool) = &self.shared {
            match shared_window(pool, kind, key, limit, window_secs).await {
                Ok(verdict) => return verdict,
                Err(error) => tracing::warn!(
                    error = %error,
                    "shared rate limit unavailable; enforcing it per instance"
                ),
            }
        }
        local.check(key)
    }
}

/// One request against the key's current fixed window in Redis.
async fn shared_window(
    pool: &RedisPool,
    kind: &str,
    key: &str,
    limit: u32,
    window_secs: u64,
) -> Result<Result<(), RateLimited>, SharedWindowError> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let window_secs = window_secs.max(1);
    let window = format!("kyros:ratelimit:{kind}:{}:{key}", now / window_secs);
    let mut conn = pool.get().await?;
    let (count,): (u64,) = redis::pipe()
        .atomic()
        .incr(&window, 1u64)
        .expire(&window, (window_secs * 2) as i64)
        .ignore()
        .query_async(&mut conn)
        .await?;
    if count > u64::from(limit) {
        return Ok(Err(RateLimited {
            retry_after_secs: (window_secs - now % window_secs).max(1),
        }));
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_with_a_retry_after() {
        let limiter = RateLimiter::per_minute(3);
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
        }
        match limiter.check("a") {
            Err(RateLimited { retry_after_secs }) => {
                assert!((1..=20).contains(&retry_after_secs))
            }
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limiter.check("b").is_ok(), "keys are independent");
    }
}
