//! A dashboard as one tenant sees it: the parsed spec with the tenant's thresholds,
//! hidden charts and branding. Built from store rows, which stay inside this module.

use std::sync::Arc;

use kyros_common::api::dashboards::DashboardView;
use kyros_common::api::tenants::Branding;
use kyros_engine::{DashboardSpec, Thresholds};
use sha2::{Digest, Sha256};

use crate::store::dashboards::DashboardRow;
use crate::store::tenants::TenantRow;

pub(crate) struct LoadedDashboard {
    pub(crate) id: String,
    pub(crate) slug: String,
    pub(crate) spec: Arc<DashboardSpec>,
    pub(crate) thresholds: Thresholds,
    pub(crate) hidden: Vec<String>,
    pub(crate) branding: Branding,
    /// Changes whenever the spec or the tenant's thresholds do (part of cache keys).
    pub(crate) fingerprint: String,
}

impl LoadedDashboard {
    pub(super) fn new(
        row: DashboardRow,
        tenant: &TenantRow,
        spec: Arc<DashboardSpec>,
        spec_key: String,
    ) -> Self {
        let config = tenant.config();
        let thresholds = Thresholds::from_spec(&spec).with_overrides(&config.thresholds);
        let hidden = config
            .hidden_components
            .get(&row.slug)
            .cloned()
            .unwrap_or_default();
        let fingerprint = digest(&[&spec_key, &thresholds.cache_key()]);
        LoadedDashboard {
            id: row.id,
            slug: row.slug,
            spec,
            thresholds,
            hidden,
            branding: tenant.branding(),
            fingerprint,
        }
    }

    /// The public view of the spec, without the charts this tenant hides.
    pub(crate) fn view(&self) -> DashboardView {
        let mut view = self.spec.view(&self.slug);
        view.charts.retain(|c| !self.hidden.contains(&c.id));
        view
    }

    pub(crate) fn is_visible(&self, chart_id: &str) -> bool {
        self.spec.chart(chart_id).is_some() && !self.hidden.iter().any(|h| h == chart_id)
    }
}

/// A short hex digest of NUL-separated parts.
pub(super) fn digest(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}
