//! Per-account sign-in back-off. After `KYROS_SIGNIN_BACKOFF_AFTER` failed sign-ins of
//! one email, each further attempt must wait: 1 s, then doubling with every failure, at
//! most [`MAX_WAIT`] — never a lock-out that an attacker could use to keep the real
//! user out for longer than that. A success clears the record; a quiet
//! [`FORGET_AFTER`] does too. Records are keyed by a hash of the normalised email, so
//! unknown and known emails are treated alike and no address is stored. The records
//! live in the metadata database, so every instance applies the same back-off.

use std::time::Duration;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use crate::ratelimit::RateLimited;
use crate::store::sign_in_failures::{self, Failures};
use crate::store::{self, Db, StoreError};
use crate::tenancy::scope::Scope;

/// The longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failures older than this are forgotten.
pub const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

/// The key of an account in `sign_in_failures`.
pub fn account_key(email: &str) -> String {
    let digest = Sha256::digest(
        format!("kyros-sign-in:{}", store::users::normalise_email(email)).as_bytes(),
    );
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The wait after the `failures`-th consecutive failure, when `free` failures are allowed.
pub fn wait_after(failures: i32, free: u32) -> Option<Duration> {
    let over = i64::from(failures) - i64::from(free);
    if over < 0 {
        return None;
    }
    let secs = 1u64.checked_shl(over.min(20) as u32).unwrap_or(u64::MAX);
    Some(Duration::from_secs(secs).min(MAX_WAIT))
}

#[derive(Clone)]
pub struct SignInThrottle {
    db: Db,
    free: u32,
}

fn seconds(d: Duration) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2))
}

fn fresh(record: Option<Failures>, now: NaiveDateTime) -> Option<Failures> {
    record.filter(|f| now - f.updated_at < seconds(FORGET_AFTER))
}

impl SignInThrottle {
    pub fn new(db: Db, free: u32) -> Self {
        SignInThrottle { db, free }
    }

    /// Refuses while the account is held back.
    pub async fn check(&self, email: &str) -> Result<(), ThrottleError> {
        let key = account_key(email);
        let record = self
            .db
            .run_scoped(Scope::Service, move |conn| {
                sign_in_failures::get(conn, &key)
            })
            .await?;
        let now = store::now();
        match fresh(record, now).and_then(|f| f.blocked_until) {
            Some(until) if until > now => Err(ThrottleError::Limited(RateLimited {
                retry_after_secs: u64::try_from((until - now).num_seconds())
                    .unwrap_or(0)
                    .max(1),
            })),
            _ => Ok(()),
        }
    }

    /// Records a failure; returns the wait it imposes, if any.
    pub async fn failed(&self, email: &str) -> Result<Option<Duration>, ThrottleError> {
        let key = account_key(email);
        let free = self.free;
        let wait = self
            .db
            .run_scoped(Scope::Service, move |conn| {
                store::begin_write(conn)?;
                let now = store::now();
                let count =
                    fresh(sign_in_failures::get(conn, &key)?, now).map_or(0, |f| f.count) + 1;
                let wait = wait_after(count, free);
                let record = Failures {
                    count,
                    blocked_until: wait.map(|w| now + seconds(w)),
                    updated_at: now,
                };
                sign_in_failures::put(conn, &key, &record)?;
                Ok(wait)
            })
            .await?;
        Ok(wait)
    }

    /// Clears the record after a successful sign-in.
    pub async fn succeeded(&self, email: &str) -> Result<(), ThrottleError> {
        let key = account_key(email);
        self.db
            .run_scoped(Scope::Service, move |conn| {
                sign_in_failures::clear(conn, &key)
            })
            .await?;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    #[error(transparent)]
    Limited(RateLimited),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_failures_and_is_capped() {
        assert_eq!(wait_after(4, 5), None);
        assert_eq!(wait_after(5, 5), Some(Duration::from_secs(1)));
        assert_eq!(wait_after(6, 5), Some(Duration::from_secs(2)));
        assert_eq!(wait_after(9, 5), Some(Duration::from_secs(16)));
        assert_eq!(wait_after(50, 5), Some(MAX_WAIT));
        assert_eq!(wait_after(i32::MAX, 0), Some(MAX_WAIT));
    }

    #[test]
    fn accounts_are_keyed_by_a_hash_of_the_normalised_email() {
        assert_eq!(account_key("Ana@Acme.com "), account_key("ana@acme.com"));
        assert_ne!(account_key("ana@acme.com"), account_key("bob@acme.com"));
        assert!(!account_key("ana@acme.com").contains("acme"));
    }
}
