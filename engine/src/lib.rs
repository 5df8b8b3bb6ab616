//! Kyros dashboard engine: declarative dashboard specs evaluated over each
//! tenant's Parquet files with polars, and drawn as ECharts options with charming.
//!
//! Pure and blocking — no HTTP, no database, no async runtime. The backend calls
//! [`Engine`] from a thread pool (polars must not run on a single-threaded
//! runtime). Module map:
//! - [`spec`]: the dashboard spec format and its validator, plus the built-in specs;
//! - [`filters`]: typed filter selections parsed from query pairs or saved state;
//! - [`query`] (internal): lazy scans of a tenant's files, predicates, aggregation;
//! - [`charts`]: one builder per chart kind;
//! - [`generate`]: the deterministic synthetic data generator;
//! - [`datasets`]: the static dataset schemas and the only path builder.

pub mod charts;
mod cursor;
pub mod datasets;
mod error;
mod export;
pub mod filters;
pub mod generate;
mod query;
mod resident;
mod rows;
pub mod spec;
mod thresholds;

use std::path::{Path, PathBuf};

use kyros_common::api::dashboards::ChartPayload;
use polars::prelude::{DataFrame, IntoLazy};
use uuid::Uuid;

pub use error::EngineError;
pub use filters::{parse_filters, FilterError, Filters};
pub use generate::{
    demo_profile, generate_tenant, tenant_data_present, GenerateReport, TenantProfile,
};
pub use rows::MAX_PAGE_ROWS;
pub use spec::{DashboardSpec, SpecError, BUILTIN_SPECS};
pub use thresholds::Thresholds;

use datasets::DatasetDef;
use spec::ChartSpec;

/// The default memory budget for resident tenant data: 1 GiB.
pub const DEFAULT_RESIDENT_BYTES: u64 = 1 << 30;

/// Evaluates dashboards over the tenant files under `data_dir`. Cheap to clone: clones
/// share the resident data.
#[derive(Debug, Clone)]
pub struct Engine {
    data_dir: PathBuf,
    resident: resident::Resident,
}

impl Engine {
    /// An engine reading `<data_dir>/processed/<tenant_id>/<dataset>.parquet`, keeping
    /// up to [`DEFAULT_RESIDENT_BYTES`] of decoded tenant data in memory.
    pub fn new(data_dir: impl Into<PathBuf>) -> Engine {
        Engine::with_resident_budget(data_dir, DEFAULT_RESIDENT_BYTES)
    }

    /// An engine keeping up to `budget_bytes` of decoded tenant data in memory between
    /// computations (least recently used first out); 0 scans the files every time.
    pub fn with_resident_budget(data_dir: impl Into<PathBuf>, budget_bytes: u64) -> Engine {
        Engine {
            data_dir: data_dir.into(),
            resident: resident::Resident::new(budget_bytes),
        }
    }

    /// Bytes of tenant data resident in memory now (an estimate).
    pub fn resident_bytes(&self) -> u64 {
        self.resident.weighted_size()
    }

    /// Forgets all resident data: the next computation of each tenant decodes its files
    /// again (the data itself is unchanged; for measurements and tests).
    pub fn drop_resident(&self) {
        self.resident.clear();
    }

    /// Makes the tenant's datasets resident ahead of its first dashboard (e.g. when a
    /// user selects the tenant). A no-op for data already resident, or without a budget.
    pub fn prefetch(&self, tenant_id: Uuid) -> Result<(), EngineError> {
        for dataset in datasets::DATASETS.iter().copied() {
            self.resident.frame(&self.data_dir, tenant_id, dataset)?;
        }
        Ok(())
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Every chart of the dashboard, in spec order. Each dataset is scanned once
    /// (filtered, reading only the columns the charts need) and shared by its
    /// charts. A tenant without data gets charts marked `empty`.
    pub fn dashboard_charts(
        &self,
        tenant_id: Uuid,
        spec: &DashboardSpec,
        filters: &Filters,
        thresholds: &Thresholds,
    ) -> Result<Vec<ChartPayload>, EngineError> {
        let mut frames: Vec<(&'static DatasetDef, Option<DataFrame>)> = Vec::new();
        for dataset in spec.datasets().iter().copied() {
            let charts: Vec<&ChartSpec> = spec
                .charts()
                .iter()
                .filter(|c| c.dataset == dataset.name)
                .collect();
            if charts.is_empty() {
                continue;
            }
            let columns = charts
                .iter()
                .flat_map(|c| query::chart_columns(c))
                .collect();
            frames.push((
                dataset,
                self.load(tenant_id, spec, filters, dataset, &columns)?,
            ));
        }
        spec.charts()
            .iter()
            .map(|chart| {
                let (dataset, frame) = frames
                    .iter()
                    .find(|(d, _)| d.name == chart.dataset)
                    .ok_or_else(|| {
                        SpecError::new("charts", format!("unknown dataset {:?}", chart.dataset))
                    })?;
                compute(spec, chart, dataset, frame.as_ref(), thresholds)
            })
            .collect()
    }

    /// One chart (for caching per chart); `UnknownChart` if the spec has no such id.
    pub fn chart(
        &self,
        tenant_id: Uuid,
        spec: &DashboardSpec,
        chart_id: &str,
        filters: &Filters,
        thresholds: &Thresholds,
    ) -> Result<ChartPayload, EngineError> {
        let chart = spec
            .chart(chart_id)
            .ok_or_else(|| EngineError::UnknownChart(spec::truncate_for_message(chart_id)))?;
        let dataset = spec.chart_dataset(chart)?;
        let frame = self.load(
            tenant_id,
            spec,
            filters,
            dataset,
            &query::chart_columns(chart),
        )?;
        compute(spec, chart, dataset, frame.as_ref(), thresholds)
    }

    /// Changes whenever the dataset file changes (size and modification time), for
    /// cache keys; `None` when the tenant has no such file or the dataset is unknown.
    pub fn data_version(&self, tenant_id: Uuid, dataset: &str) -> Option<String> {
        resident::file_version(&datasets::dataset(dataset)?.path(&self.data_dir, tenant_id))
    }

    fn load(
        &self,
        tenant_id: Uuid,
        spec: &DashboardSpec,
        filters: &Filters,
        dataset: &'static DatasetDef,
        columns: &std::collections::BTreeSet<&str>,
    ) -> Result<Option<DataFrame>, EngineError> {
        if !self.resident.enabled() {
            let path = dataset.path(&self.data_dir, tenant_id);
            return query::load_filtered(&path, spec, filters, dataset, columns);
        }
        self.resident
            .frame(&self.data_dir, tenant_id, dataset)?
            .map(|frame| query::restrict(&frame, spec, filters, dataset, columns))
            .transpose()
    }
}

fn compute(
    spec: &DashboardSpec,
    chart: &ChartSpec,
    dataset: &DatasetDef,
    frame: Option<&DataFrame>,
    thresholds: &Thresholds,
) -> Result<ChartPayload, EngineError> {
    let Some(frame) = frame.filter(|f| f.height() > 0) else {
        return charts::empty(chart);
    };
    let out = query::chart_frame(spec, chart, dataset, frame.clone().lazy(), thresholds)?;
    let marks = chart
        .mark_thresholds
        .iter()
        .map(|name| Ok((name.clone(), query::threshold(spec, thresholds, name)?)))
        .collect::<Result<Vec<_>, EngineError>>()?;
    charts::build(chart, Some(&out), &marks)
}
