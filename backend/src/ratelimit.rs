//! Token-bucket rate limits, per key (client IP for login and token endpoints, tenant for
//! data endpoints). Counters are per instance: with N instances the effective limit is N
//! times the configured one (see docs/operations.md).

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use moka::sync::Cache;

use crate::error::ApiError;

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
        let capacity = f64::from(per_minute.max(1));
        RateLimiter {
            capacity,
            per_second: capacity / 60.0,
            buckets: Cache::builder()
                .max_capacity(100_000)
                .time_to_idle(Duration::from_secs(600))
                .build(),
        }
    }

    /// Takes one token for `key`, or says how many seconds until one is available.
    pub fn check(&self, key: &str) -> Result<(), ApiError> {
        let bucket = self.buckets.get_with(key.to_owned(), || {
            Arc::new(Mutex::new(Bucket {
                tokens: self.capacity,
                updated: Instant::now(),
            }))
        });
        let mut bucket = bucket
            .lock()
            .map_err(|_| ApiError::internal("rate limiter poisoned"))?;
        let now = Instant::now();
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0) as u64;
            Err(ApiError::RateLimited {
                retry_after_secs: wait,
            })
        }
    }
}

/// The limits of one application.
pub struct Limits {
    pub login: RateLimiter,
    pub data: RateLimiter,
    trusted_proxies: Vec<IpAddr>,
}

impl Limits {
    pub fn new(login_per_minute: u32, data_per_minute: u32, trusted_proxies: Vec<IpAddr>) -> Self {
        Limits {
            login: RateLimiter::per_minute(login_per_minute),
            data: RateLimiter::per_minute(data_per_minute),
            trusted_proxies,
        }
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

    pub fn check_login(&self, req: &HttpRequest) -> Result<(), ApiError> {
        self.login.check(&format!("ip:{}", self.client_ip(req)))
    }

    pub fn check_tenant(&self, tenant: &str) -> Result<(), ApiError> {
        self.data.check(&format!("tenant:{tenant}"))
    }
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
            Err(ApiError::RateLimited { retry_after_secs }) => {
                assert!((1..=20).contains(&retry_after_secs))
            }
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limiter.check("b").is_ok(), "keys are independent");
    }
}
