//! The chart cache: computed chart payloads keyed by tenant, dashboard, chart,
//! normalised filters and data version, bounded by memory (moka, weighed by the size of
//! the JSON). Whole serialised `/charts` responses live in the same cache and bound,
//! under the same kind of key.
//!
//! `ChartCacheKey` can only be built from a `TenantScope`, so no code path can look up or
//! store an entry without the tenant of a validated token; a cached chart therefore can
//! never be served to another tenant.

use std::sync::Arc;

use bytes::Bytes;
use kyros_common::api::dashboards::ChartPayload;
use kyros_common::ids::TenantId;
use moka::sync::Cache;

use crate::tenancy::TenantScope;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChartCacheKey {
    tenant: TenantId,
    dashboard: String,
    chart: String,
    filters: String,
    version: String,
}

impl ChartCacheKey {
    /// `version` must change whenever the inputs change: the data files' versions and a
    /// fingerprint of the spec and the tenant's thresholds.
    pub fn new(
        scope: &TenantScope,
        dashboard: &str,
        chart: &str,
        filters: &str,
        version: &str,
    ) -> Self {
        ChartCacheKey {
            tenant: scope.tenant_id(),
            dashboard: dashboard.to_owned(),
            chart: chart.to_owned(),
            filters: filters.to_owned(),
            version: version.to_owned(),
        }
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }
}

/// One cached value: a chart, or a whole serialised response.
#[derive(Clone)]
enum Entry {
    Chart(Arc<ChartPayload>),
    Response(Bytes),
}

#[derive(Clone)]
pub struct ChartCache {
    inner: Cache<ChartCacheKey, Entry>,
}

impl ChartCache {
    /// A cache holding at most about `max_bytes` of chart JSON.
    pub fn new(max_bytes: u64) -> Self {
        let inner = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &ChartCacheKey, value: &Entry| {
                let size = match value {
                    Entry::Chart(chart) => serde_json::to_string(chart.as_ref())
                        .map(|s| s.len())
                        .unwrap_or(1024),
                    Entry::Response(body) => body.len(),
                } + key.dashboard.len()
                    + key.chart.len()
                    + key.filters.len()
                    + key.version.len()
                    + 64;
                u32::try_from(size).unwrap_or(u32::MAX)
            })
            .build();
        ChartCache { inner }
    }

    pub fn get(&self, key: &ChartCacheKey) -> Option<Arc<ChartPayload>> {
        match self.inner.get(key)? {
            Entry::Chart(chart) => Some(chart),
            Entry::Response(_) => None,
        }
    }

    pub fn insert(&self, key: ChartCacheKey, value: Arc<ChartPayload>) {
        self.inner.insert(key, Entry::Chart(value));
    }

    pub fn response(&self, key: &ChartCacheKey) -> Option<Bytes> {
        match self.inner.get(key)? {
            Entry::Response(body) => Some(body),
            Entry::Chart(_) => None,
        }
    }

    pub fn insert_response(&self, key: ChartCacheKey, body: Bytes) {
        self.inner.insert(key, Entry::Response(body));
    }

    pub fn entry_count(&self) -> u64 {
        self.inner.run_pending_tasks();
        self.inner.entry_count()
    }
}
