//! Prometheus metrics, one registry per application (so tests can run many apps in one
//! process), exposed as text at `GET /metrics` on the admin listener.

use std::collections::HashSet;
use std::sync::Mutex;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// At most this many distinct tenant labels; the rest are counted as `other`.
pub const MAX_TENANT_LABELS: usize = 50;

pub struct Metrics {
    registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_latency: HistogramVec,
    pub token_exchanges: IntCounterVec,
    pub logins: IntCounterVec,
    pub cache_requests: IntCounterVec,
    pub tenant_requests: IntCounterVec,
    pub active_sessions: IntGauge,
    /// Whole-dashboard computations since start (set from the service at scrape time).
    pub dashboard_computations: IntGauge,
    tenant_labels: Mutex<HashSet<String>>,
}

fn counter(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> Result<IntCounterVec, prometheus::Error> {
    let c = IntCounterVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(c.clone()))?;
    Ok(c)
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let http_requests = counter(
            &registry,
            "kyros_http_requests_total",
            "HTTP requests by route template, method and status",
            &["route", "method", "status"],
        )?;
        let http_latency = HistogramVec::new(
            HistogramOpts::new(
                "kyros_http_request_duration_seconds",
                "HTTP request latency by route template",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route", "method"],
        )?;
        registry.register(Box::new(http_latency.clone()))?;
        let token_exchanges = counter(
            &registry,
            "kyros_token_exchanges_total",
            "Token exchanges by outcome",
            &["outcome"],
        )?;
        let logins = counter(
            &registry,
            "kyros_logins_total",
            "Logins by outcome",
            &["outcome"],
        )?;
        let cache_requests = counter(
            &registry,
            "kyros_chart_cache_requests_total",
            "Chart cache lookups by result",
            &["result"],
        )?;
        let tenant_requests = counter(
            &registry,
            "kyros_tenant_requests_total",
            "Tenant-scoped requests by tenant (first 50 tenants by id seen, then other)",
            &["tenant"],
        )?;
        let active_sessions = IntGauge::new("kyros_active_sessions", "Live BFF sessions")?;
        registry.register(Box::new(active_sessions.clone()))?;
        let dashboard_computations = IntGauge::new(
            "kyros_dashboard_computations_total",
            "Dashboards computed from tenant data since start (cache misses, coalesced)",
        )?;
        registry.register(Box::new(dashboard_computations.clone()))?;
        Ok(Metrics {
            registry,
            http_requests,
            http_latency,
            token_exchanges,
            logins,
            cache_requests,
            tenant_requests,
            active_sessions,
            dashboard_computations,
            tenant_labels: Mutex::new(HashSet::new()),
        })
    }

    /// Counts a tenant-scoped request with a bounded label set.
    pub fn tenant_request(&self, tenant: &str) {
        let label = match self.tenant_labels.lock() {
            Ok(mut labels) if labels.contains(tenant) || labels.len() < MAX_TENANT_LABELS => {
                labels.insert(tenant.to_owned());
                tenant.to_owned()
            }
            _ => "other".to_owned(),
        };
        self.tenant_requests
            .with_label_values(&[label.as_str()])
            .inc();
    }

    pub fn render(&self) -> String {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}
