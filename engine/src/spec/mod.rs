//! Declarative dashboard specs: parsing, validation and the public view of a spec.
//!
//! A dashboard is data, not code: `spec_json` names datasets, filters, thresholds
//! and charts, and everything the engine does is driven by it. A spec is only ever
//! constructed through [`DashboardSpec::from_json`], which validates it completely,
//! so the query and chart code can rely on every name it finds in a spec.
//!
//! # Format (unknown fields are rejected everywhere)
//!
//! ```json
//! {
//!   "title": "Risk Analysis", "description": "…",
//!   "datasets": ["exposures"],
//!   "thresholds": { "risk_warning": 0.5, "risk_critical": 0.8 },
//!   "filters": [
//!     { "field": "region", "label": "Region", "kind": "multi_select",
//!       "options": ["North America", "EMEA", "APAC", "LATAM"] },
//!     { "field": "earn_month", "label": "Earn month", "kind": "date_range",
//!       "min": "2023-01", "max": "2024-12", "default": { "from": "2024-01" } }
//!   ],
//!   "charts": [
//!     { "id": "exposure-by-bucket", "title": "Exposure by bucket", "kind": "stacked_bar",
//!       "width": 8, "dataset": "exposures", "dimensions": ["earn_month", "risk_bucket"],
//!       "measures": [{ "column": "exposure_amount", "agg": "sum", "label": "Exposure" }] }
//!   ]
//! }
//! ```
//!
//! - `datasets`: 1–4 known datasets (`customers`, `exposures`); the first is the one
//!   `rows` pages through.
//! - `filters[]`: `field` (the query parameter; a lowercase identifier not ending in
//!   `_from`/`_to`, not `limit`/`cursor`/`format`), `label`, `kind` (`multi_select`,
//!   `date_range`, `number_range`), optional `column` (defaults to `field`) and
//!   `datasets` (defaults to every spec dataset with that column), `options`
//!   (multi-select, 1–200), `min`/`max` (ranges), `default`.
//! - `thresholds`: named numbers; a tenant's config may override them.
//! - `charts[]` (1–40): `id` (unique, `^[a-z][a-z0-9_-]{0,40}$`), `title`,
//!   `description`, `kind`, `width` (1–12), `dataset`, then by kind —
//!   `kpi`: 1 measure, `format` (`integer`, `decimal`, `currency`, `percent`);
//!   `bar`: 1 dimension, 1–5 measures; `pie`: 1 dimension, 1 measure;
//!   `stacked_bar` / `heatmap`: 2 dimensions, 1 measure (`normalize` for a 100% bar);
//!   `line` / `area`: 1 dimension and 1–5 measures, or 2 dimensions and 1 measure;
//!   `histogram`: 1 raw measure (no `agg`), `bins` (2–200), `range`, `mark_thresholds`;
//!   `scatter`: 2 raw measures (x, y), optional 1 dimension (series), `sample` (10–5000);
//!   `table`: raw `columns` (1–20) or 1–2 dimensions with 1–5 measures.
//!   Dimensions must be categorical or month columns. Measures: `column`, `agg`
//!   (`sum`, `avg`, `count`, `count_distinct`, `min`, `max`, `share_above` with
//!   `threshold`), `label`. `sort` (`{"by": "value"|"dimension"|<column>, "order":
//!   "asc"|"desc"}`) and `limit` (1–1000) apply to bar, pie and table charts.
//!   `only_above: {"column", "threshold"}` keeps rows at or above a threshold.
//! - Limits: 256 KiB of JSON, nesting depth 10.

mod builtin;
mod chart_kinds;
mod chart_rules;
mod filter_rules;
mod model;
mod validate;

use std::collections::BTreeMap;

use kyros_common::api::dashboards::{ChartView, DashboardView, FilterDef, FilterSelection};

pub use builtin::BUILTIN_SPECS;
pub use chart_kinds::{MAX_BINS, MAX_LIMIT, MAX_SAMPLE};
pub use model::{
    Aggregation, Bound, ChartSpec, FilterSpec, MeasureSpec, RowCondition, SortOrder, SortSpec,
    ValueFormat,
};

use crate::datasets::{self, DatasetDef};
use model::SpecDocument;

/// Largest accepted `spec_json`, in bytes.
pub const MAX_SPEC_BYTES: usize = 256 * 1024;
/// Deepest accepted nesting of JSON arrays and objects.
pub const MAX_SPEC_DEPTH: usize = 10;

/// A spec that failed validation; `path` names the offending field, e.g.
/// `charts[2].measures[0].agg`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", if path.is_empty() { message.clone() } else { format!("{path}: {message}") })]
pub struct SpecError {
    pub path: String,
    pub message: String,
}

impl SpecError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// `s` shortened for quoting in an error message.
pub(crate) fn truncate_for_message(s: &str) -> String {
    model::truncate(s, 60)
}

/// A validated dashboard spec.
#[derive(Debug, Clone)]
pub struct DashboardSpec {
    slug: String,
    doc: SpecDocument,
    datasets: Vec<&'static DatasetDef>,
}

impl DashboardSpec {
    /// Parses and validates `json` as the spec of the dashboard `slug`.
    pub fn from_json(slug: &str, json: &str) -> Result<DashboardSpec, SpecError> {
        validate::check_raw_json(json)?;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let doc: SpecDocument =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
                let path = err.path().to_string();
                let path = if path == "." { String::new() } else { path };
                SpecError::new(path, err.into_inner().to_string())
            })?;
        deserializer
            .end()
            .map_err(|err| SpecError::new("", err.to_string()))?;
        let datasets = validate::validate(slug, &doc)?;
        Ok(DashboardSpec {
            slug: slug.to_string(),
            doc,
            datasets,
        })
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    pub fn title(&self) -> &str {
        &self.doc.title
    }

    pub fn description(&self) -> &str {
        &self.doc.description
    }

    /// The datasets of the spec, in declaration order.
    pub fn datasets(&self) -> &[&'static DatasetDef] {
        &self.datasets
    }

    /// The first dataset of the spec: the one `rows` pages through.
    pub fn primary_dataset(&self) -> Option<&'static DatasetDef> {
        self.datasets.first().copied()
    }

    pub fn filters(&self) -> &[FilterSpec] {
        &self.doc.filters
    }

    pub fn filter(&self, field: &str) -> Option<&FilterSpec> {
        self.doc.filters.iter().find(|f| f.field == field)
    }

    pub fn charts(&self) -> &[ChartSpec] {
        &self.doc.charts
    }

    pub fn chart(&self, id: &str) -> Option<&ChartSpec> {
        self.doc.charts.iter().find(|c| c.id == id)
    }

    /// Threshold defaults declared by the spec.
    pub fn thresholds(&self) -> &BTreeMap<String, f64> {
        &self.doc.thresholds
    }

    /// The dataset a chart reads (always one of [`Self::datasets`]).
    pub fn chart_dataset(&self, chart: &ChartSpec) -> Result<&'static DatasetDef, SpecError> {
        datasets::dataset(&chart.dataset)
            .ok_or_else(|| SpecError::new("charts", format!("unknown dataset {:?}", chart.dataset)))
    }

    /// The datasets a filter restricts, with the column it restricts in each.
    pub fn filter_targets<'a>(
        &self,
        filter: &'a FilterSpec,
    ) -> Vec<(&'static DatasetDef, &'a str)> {
        let column = filter.column();
        filter_target_datasets(&self.datasets, filter)
            .into_iter()
            .map(|d| (d, column))
            .collect()
    }

    /// The part of the spec the shell needs to draw the page.
    pub fn view(&self, slug: &str) -> DashboardView {
        DashboardView {
            slug: slug.to_string(),
            title: self.doc.title.clone(),
            description: self.doc.description.clone(),
            filters: self.doc.filters.iter().map(filter_def).collect(),
            charts: self
                .doc
                .charts
                .iter()
                .map(|c| ChartView {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    kind: c.kind,
                    width: c.width,
                    description: c.description.clone(),
                })
                .collect(),
        }
    }
}

/// The datasets among `datasets` that `filter` restricts: the ones it names, or when it
/// names none, every one that has its column. The one rule for validation and queries.
pub(crate) fn filter_target_datasets(
    datasets: &[&'static DatasetDef],
    filter: &FilterSpec,
) -> Vec<&'static DatasetDef> {
    let column = filter.column();
    datasets
        .iter()
        .copied()
        .filter(|d| {
            if filter.datasets.is_empty() {
                d.column(column).is_some()
            } else {
                filter.datasets.iter().any(|name| name == d.name)
            }
        })
        .collect()
}

fn filter_def(filter: &FilterSpec) -> FilterDef {
    FilterDef {
        field: filter.field.clone(),
        label: filter.label.clone(),
        kind: filter.kind,
        options: filter.options.clone(),
        min: filter.min.as_ref().map(Bound::to_string),
        max: filter.max.as_ref().map(Bound::to_string),
        default: filter.default.clone().map(|d| match d {
            FilterSelection::Values(mut values) => {
                values.sort();
                values.dedup();
                FilterSelection::Values(values)
            }
            range => range,
        }),
    }
}

/// A shipped spec, mutated, for tests of the validator: returns its error.
#[cfg(test)]
pub(crate) fn error_after(mutate: impl FnOnce(&mut serde_json::Value)) -> SpecError {
    let mut value: serde_json::Value = serde_json::from_str(BUILTIN_SPECS[1].3).expect("json");
    mutate(&mut value);
    DashboardSpec::from_json("risk-analysis", &value.to_string()).expect_err("should be invalid")
}
