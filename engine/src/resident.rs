//! Tenant datasets held in memory between requests, within a memory budget.
//!
//! Decoding a million-row Parquet file and turning its categorical text into codes
//! costs more than computing a whole dashboard from the decoded columns. So the first
//! dashboard request of a (tenant, dataset, data version) decodes the file once and
//! keeps the encoded frame; later computations for that tenant — other filters, other
//! dashboards over the same dataset — start from memory.
//!
//! Safety and bounds:
//! - the key holds the tenant's `Uuid`, the static dataset name and the file's version
//!   (size and modification time), and the frame is read from the path built from the
//!   same two; a frame can only be found again under the tenant it was read for, and a
//!   changed file has a new version, so it is read again;
//! - the cache is weighed by each frame's in-memory size (LRU within a byte budget,
//!   `KYROS_DATA_CACHE_MB` in the backend) and entries idle for `IDLE` are dropped; a
//!   budget of 0 turns residency off and every computation scans the file;
//! - concurrent first requests for the same frame decode it once (moka's
//!   `try_get_with`): the others wait for that result.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use moka::sync::Cache;
use polars::prelude::DataFrame;
use uuid::Uuid;

use crate::datasets::DatasetDef;
use crate::error::EngineError;
use crate::query;

/// How long an unused frame stays resident.
const IDLE: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    tenant: Uuid,
    dataset: &'static str,
    version: String,
}

/// The resident frames; cheap to clone (shared).
#[derive(Clone)]
pub(crate) struct Resident {
    cache: Option<Cache<Key, Arc<DataFrame>>>,
}

impl std::fmt::Debug for Resident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resident")
            .field("enabled", &self.cache.is_some())
            .field("frames", &self.cache.as_ref().map(|c| c.entry_count()))
            .finish()
    }
}

/// Changes whenever the file changes (size and modification time); `None` when the
/// file does not exist.
pub(crate) fn file_version(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{}-{}", meta.len(), modified.as_nanos()))
}

impl Resident {
    /// Frames up to about `budget_bytes` in all; 0 keeps nothing resident.
    pub(crate) fn new(budget_bytes: u64) -> Self {
        let cache = (budget_bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(budget_bytes)
                .weigher(|_: &Key, frame: &Arc<DataFrame>| {
                    u32::try_from(frame.estimated_size()).unwrap_or(u32::MAX)
                })
                .time_to_idle(IDLE)
                .build()
        });
        Resident { cache }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.cache.is_some()
    }

    /// The bytes the resident frames take (an estimate; pending evictions included).
    pub(crate) fn weighted_size(&self) -> u64 {
        self.cache.as_ref().map_or(0, |c| {
            c.run_pending_tasks();
            c.weighted_size()
        })
    }

    /// The tenant's whole `dataset`, decoded and encoded, from memory when resident;
    /// `None` when the tenant has no such file (or residency is off).
    pub(crate) fn frame(
        &self,
        data_dir: &Path,
        tenant: Uuid,
        dataset: &'static DatasetDef,
    ) -> Result<Option<Arc<DataFrame>>, EngineError> {
        let Some(cache) = &self.cache else {
            return Ok(None);
        };
        let path = dataset.path(data_dir, tenant);
        let Some(version) = file_version(&path) else {
            return Ok(None);
        };
        let key = Key {
            tenant,
            dataset: dataset.name,
            version,
        };
        let frame = cache
            .try_get_with(key, || {
                query::load_all(&path, dataset)
                    .map(|frame| Arc::new(frame.unwrap_or_else(DataFrame::empty)))
            })
            .map_err(EngineError::Shared)?;
        // A file that vanished between the version check and the read is "no data".
        Ok((frame.width() > 0).then_some(frame))
    }

    /// Drops every resident frame (tests and benchmarks measure first touches).
    pub(crate) fn clear(&self) {
        if let Some(cache) = &self.cache {
            cache.invalidate_all();
            cache.run_pending_tasks();
        }
    }
}
