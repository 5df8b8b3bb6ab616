//! Tenancy metadata remembered between requests: memberships and dashboard assignments.
//!
//! Every scoped request needs "is this membership still active?" and "is this
//! dashboard assigned to this tenant, with which settings?". Asking the database each
//! time costs two transactions per request; on a busy instance that is most of the cost
//! of a cached chart. So the answers are remembered, under one rule: **an answer is only
//! used while the metadata it came from is known not to have changed**.
//!
//! - Every writer of tenancy metadata increments `metadata_epoch` in the same
//!   transaction (`store::epoch`). Each instance polls that counter every
//!   [`POLL_INTERVAL`], and the admin listener re-reads it after every successful
//!   change, so the instance that made a change forgets at once and the others within a
//!   poll interval.
//! - Each remembered answer is stamped with the local *generation* read before the
//!   database was asked; every observed change (and every recovery from a failed poll)
//!   moves the generation, so an answer read before a change is never used after it,
//!   even when it is stored after it.
//! - While the counter cannot be read (database unreachable), nothing remembered is
//!   used: requests go to the database, and fail with it (503).
//! - Answers also expire after `KYROS_METADATA_CACHE_SECS` (default 30; 0 turns the
//!   cache off), and the caches are bounded in entries.

use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;

use crate::store::{epoch, Db};
use crate::tenancy::scope::Scope;

/// How often each instance reads `metadata_epoch`.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Entries per cache.
const CAPACITY: u64 = 100_000;

/// What the caches share: the local generation and whether it can be trusted.
#[derive(Debug)]
pub struct Epoch {
    generation: AtomicU64,
    /// Last value read from `metadata_epoch`; -1 before the first read.
    observed: AtomicI64,
    trusted: AtomicBool,
    ttl: Option<Duration>,
}

impl Epoch {
    /// `ttl` = how long an answer may be used at most; `None` turns caching off.
    pub fn new(ttl: Option<Duration>) -> Arc<Self> {
        Arc::new(Epoch {
            generation: AtomicU64::new(0),
            observed: AtomicI64::new(-1),
            trusted: AtomicBool::new(false),
            ttl,
        })
    }

    pub fn enabled(&self) -> bool {
        self.ttl.is_some()
    }

    /// The generation answers are stamped with, while remembered answers may be used.
    fn current(&self) -> Option<u64> {
        self.trusted
            .load(Ordering::Acquire)
            .then(|| self.generation.load(Ordering::Acquire))
    }

    /// A successful read of the counter.
    fn observe(&self, value: i64) {
        let changed = self.observed.swap(value, Ordering::AcqRel) != value;
        let was_trusted = self.trusted.load(Ordering::Acquire);
        if changed || !was_trusted {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        self.trusted.store(true, Ordering::Release);
    }

    /// A failed read: stop using remembered answers until a read succeeds.
    fn distrust(&self) {
        self.trusted.store(false, Ordering::Release);
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Reads the counter now (after a change made here, and from the poller).
    pub async fn refresh(&self, db: &Db) {
        if !self.enabled() {
            return;
        }
        match db.run_scoped(Scope::Service, epoch::current).await {
            Ok(value) => self.observe(value),
            Err(e) => {
                if self.trusted.load(Ordering::Acquire) {
                    tracing::warn!(error = %e, "metadata epoch unreadable; cache suspended");
                }
                self.distrust();
            }
        }
    }

    /// Polls the counter every [`POLL_INTERVAL`] on the current runtime.
    pub fn spawn_poller(self: &Arc<Self>, db: Db) {
        if !self.enabled() {
            return;
        }
        let epoch = Arc::clone(self);
        actix_web::rt::spawn(async move {
            let mut interval = actix_web::rt::time::interval(POLL_INTERVAL);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                epoch.refresh(&db).await;
            }
        });
    }
}

/// Answers by key, each used only within the generation it was read in.
pub struct EpochCache<K, V> {
    epoch: Arc<Epoch>,
    inner: Option<Cache<K, (u64, V)>>,
}

impl<K, V> EpochCache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(epoch: &Arc<Epoch>) -> Self {
        let inner = epoch.ttl.map(|ttl| {
            Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(ttl)
                .build()
        });
        EpochCache {
            epoch: Arc::clone(epoch),
            inner,
        }
    }

    /// The remembered answer for `key`, or `load`'s (remembered when it may be).
    pub async fn get_or_load<F, Fut, E>(&self, key: K, load: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let (Some(inner), Some(generation)) = (&self.inner, self.epoch.current()) else {
            return load().await;
        };
        if let Some((stamp, value)) = inner.get(&key) {
            if stamp == generation {
                return Ok(value);
            }
        }
        let value = load().await?;
        inner.insert(key, (generation, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn lookup(cache: &EpochCache<u32, u32>, loads: &AtomicUsize, answer: u32) -> u32 {
        cache
            .get_or_load(1, || async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok::<_, String>(answer)
            })
            .await
            .expect("answer")
    }

    #[actix_web::test]
    async fn answers_are_used_only_within_their_generation() {
        let epoch = Epoch::new(Some(Duration::from_secs(60)));
        let cache = EpochCache::new(&epoch);
        let loads = AtomicUsize::new(0);

        // Before the counter was ever read nothing is remembered.
        assert_eq!(lookup(&cache, &loads, 10).await, 10);
        assert_eq!(lookup(&cache, &loads, 11).await, 11);
        assert_eq!(loads.load(Ordering::SeqCst), 2);

        epoch.observe(5);
        assert_eq!(lookup(&cache, &loads, 12).await, 12);
        assert_eq!(lookup(&cache, &loads, 13).await, 12, "remembered");
        epoch.observe(5);
        assert_eq!(
            lookup(&cache, &loads, 14).await,
            12,
            "same counter: still valid"
        );
        assert_eq!(loads.load(Ordering::SeqCst), 3);

        epoch.observe(6);
        assert_eq!(lookup(&cache, &loads, 15).await, 15, "a change drops it");

        epoch.distrust();
        assert_eq!(
            lookup(&cache, &loads, 16).await,
            16,
            "unreadable counter: load"
        );
        assert_eq!(lookup(&cache, &loads, 17).await, 17);
        epoch.observe(6);
        assert_eq!(
            lookup(&cache, &loads, 18).await,
            18,
            "after a failed read nothing older is trusted, even with the same counter"
        );
        assert_eq!(lookup(&cache, &loads, 19).await, 18);
    }

    #[actix_web::test]
    async fn an_answer_read_before_a_change_is_not_used_after_it() {
        let epoch = Epoch::new(Some(Duration::from_secs(60)));
        let cache = EpochCache::new(&epoch);
        epoch.observe(1);
        // The load runs across a change: its (old) answer is stored with the old stamp.
        let stale = cache
            .get_or_load(1, || async {
                epoch.observe(2);
                Ok::<_, String>(100)
            })
            .await
            .expect("answer");
        assert_eq!(stale, 100);
        let loads = AtomicUsize::new(0);
        assert_eq!(lookup(&cache, &loads, 200).await, 200);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[actix_web::test]
    async fn a_disabled_cache_always_loads() {
        let epoch = Epoch::new(None);
        epoch.observe(1);
        let cache = EpochCache::new(&epoch);
        let loads = AtomicUsize::new(0);
        for answer in 0..3 {
            assert_eq!(lookup(&cache, &loads, answer).await, answer);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }

    #[actix_web::test]
    async fn failed_loads_are_not_remembered() {
        let epoch = Epoch::new(Some(Duration::from_secs(60)));
        epoch.observe(1);
        let cache: EpochCache<u32, u32> = EpochCache::new(&epoch);
        let failed = cache
            .get_or_load(1, || async { Err::<u32, _>("down".to_owned()) })
            .await;
        assert!(failed.is_err());
        let loads = AtomicUsize::new(0);
        assert_eq!(lookup(&cache, &loads, 7).await, 7);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }
}
