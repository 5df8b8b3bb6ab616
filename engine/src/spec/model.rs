//! The serde model of a dashboard spec, exactly as it appears in `spec_json`.

use std::collections::BTreeMap;
use std::fmt;

use kyros_common::api::dashboards::{ChartKind, FilterKind, FilterSelection};
use serde::Deserialize;

/// The whole spec document (see the crate docs for an example).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpecDocument {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub datasets: Vec<String>,
    #[serde(default)]
    pub thresholds: BTreeMap<String, f64>,
    #[serde(default)]
    pub filters: Vec<FilterSpec>,
    pub charts: Vec<ChartSpec>,
}

/// A filter control and the columns it restricts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterSpec {
    /// The query parameter name (`F`, or `F_from` / `F_to` for ranges).
    pub field: String,
    pub label: String,
    pub kind: FilterKind,
    /// The column filtered; defaults to `field`.
    #[serde(default)]
    pub column: Option<String>,
    /// The datasets the filter applies to; defaults to every dataset of the spec
    /// that has the column.
    #[serde(default)]
    pub datasets: Vec<String>,
    /// Allowed values of a multi-select.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub min: Option<Bound>,
    #[serde(default)]
    pub max: Option<Bound>,
    #[serde(default)]
    pub default: Option<FilterSelection>,
}

impl FilterSpec {
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.field)
    }
}

/// A range bound as written in the spec: a JSON number or a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Bound {
    Number(f64),
    Text(String),
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Number(n) => write!(f, "{n}"),
            Bound::Text(s) => f.write_str(s),
        }
    }
}

/// One chart of the layout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub kind: ChartKind,
    pub width: u8,
    pub dataset: String,
    /// Group-by columns: the category axis first, then the series (or y axis).
    #[serde(default)]
    pub dimensions: Vec<String>,
    #[serde(default)]
    pub measures: Vec<MeasureSpec>,
    /// Raw columns of a row table (tables only; excludes `dimensions`/`measures`).
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub sort: Option<SortSpec>,
    #[serde(default)]
    pub limit: Option<usize>,
    /// Histogram bin count.
    #[serde(default)]
    pub bins: Option<usize>,
    /// Histogram value range; values outside fall into the edge bins.
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    /// Scatter: maximum number of points drawn.
    #[serde(default)]
    pub sample: Option<usize>,
    /// Stacked bar: show each category's mix as 100%.
    #[serde(default)]
    pub normalize: bool,
    /// Histogram: thresholds drawn as vertical lines.
    #[serde(default)]
    pub mark_thresholds: Vec<String>,
    /// Keep only rows whose column is at or above a threshold.
    #[serde(default)]
    pub only_above: Option<RowCondition>,
    #[serde(default)]
    pub format: Option<ValueFormat>,
}

/// An aggregated (or, for scatter and histogram, raw) numeric value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub agg: Option<Aggregation>,
    #[serde(default)]
    pub label: Option<String>,
    /// The threshold name of `share_above`.
    #[serde(default)]
    pub threshold: Option<String>,
}

impl MeasureSpec {
    /// The series / column label shown to users.
    pub fn display_label(&self) -> String {
        if let Some(label) = &self.label {
            return label.clone();
        }
        let column = self.column.as_deref().unwrap_or("rows");
        match self.agg {
            Some(agg) => format!("{} of {}", agg.display_name(), column),
            None => column.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Aggregation {
    Sum,
    Avg,
    Count,
    CountDistinct,
    Min,
    Max,
    ShareAbove,
}

impl Aggregation {
    const NAMES: &'static [(&'static str, Aggregation)] = &[
        ("sum", Aggregation::Sum),
        ("avg", Aggregation::Avg),
        ("count", Aggregation::Count),
        ("count_distinct", Aggregation::CountDistinct),
        ("min", Aggregation::Min),
        ("max", Aggregation::Max),
        ("share_above", Aggregation::ShareAbove),
    ];

    fn display_name(self) -> &'static str {
        match self {
            Aggregation::Sum => "Sum",
            Aggregation::Avg => "Average",
            Aggregation::Count => "Count",
            Aggregation::CountDistinct => "Distinct count",
            Aggregation::Min => "Minimum",
            Aggregation::Max => "Maximum",
            Aggregation::ShareAbove => "Share above threshold",
        }
    }
}

impl TryFrom<String> for Aggregation {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, agg)| *agg)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown aggregation {:?} (expected one of {})",
                    truncate(&name, 40),
                    known.join(", ")
                )
            })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortSpec {
    /// `value` (first measure), `dimension` (first dimension), or — for row
    /// tables — one of the table's columns.
    pub by: String,
    #[serde(default)]
    pub order: SortOrder,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowCondition {
    pub column: String,
    pub threshold: String,
}

/// How a KPI value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueFormat {
    Integer,
    Decimal,
    Currency,
    Percent,
}

/// At most `max` characters of `s`, for echoing user text in messages.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((idx, _)) => format!("{}…", &s[..idx]),
        None => s.to_string(),
    }
}
