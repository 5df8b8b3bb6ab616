//! Dashboards: what the shell needs to draw filter controls and charts, and the
//! one filter encoding used everywhere (query strings, saved preferences).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::tenants::Branding;
use crate::ids::DashboardId;

/// One tile of the dashboard list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardSummary {
    pub id: DashboardId,
    pub slug: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterKind {
    MultiSelect,
    DateRange,
    NumberRange,
}

/// A filter control, as declared by the dashboard spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterDef {
    pub field: String,
    pub label: String,
    pub kind: FilterKind,
    /// Allowed values of a multi-select filter.
    #[serde(default)]
    pub options: Vec<String>,
    /// Bounds of a range filter (numbers as decimals, dates as `YYYY-MM` or `YYYY-MM-DD`).
    #[serde(default)]
    pub min: Option<String>,
    #[serde(default)]
    pub max: Option<String>,
    #[serde(default)]
    pub default: Option<FilterSelection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Bar,
    StackedBar,
    Line,
    Area,
    Pie,
    Scatter,
    Histogram,
    Heatmap,
    Kpi,
    Table,
}

/// A chart slot of the dashboard layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub kind: ChartKind,
    /// Width in a 12-column grid.
    pub width: u8,
    #[serde(default)]
    pub description: String,
}

/// The public part of a dashboard spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub filters: Vec<FilterDef>,
    pub charts: Vec<ChartView>,
}

/// The selection of one filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FilterSelection {
    /// Multi-select: the chosen values (empty = no restriction).
    Values(Vec<String>),
    /// Range: inclusive bounds, either may be open.
    Range {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
}

/// Normalised filter selections keyed by field; also the shape of saved preferences.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FilterState(pub BTreeMap<String, FilterSelection>);

impl FilterState {
    /// The query-string encoding used by every endpoint: a multi-select field `F` as
    /// repeated `F=value`, a range as `F_from` / `F_to`. An empty selection is sent
    /// as `F=` (or `F_from=`): "explicitly no restriction", which overrides a spec
    /// default, where leaving the field out means "the default".
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for (field, selection) in &self.0 {
            match selection {
                FilterSelection::Values(values) if values.is_empty() => {
                    pairs.push((field.clone(), String::new()));
                }
                FilterSelection::Values(values) => {
                    pairs.extend(values.iter().map(|v| (field.clone(), v.clone())));
                }
                FilterSelection::Range { from, to } => {
                    let from = from.as_ref().filter(|s| !s.is_empty());
                    let to = to.as_ref().filter(|s| !s.is_empty());
                    if from.is_none() && to.is_none() {
                        pairs.push((format!("{field}_from"), String::new()));
                    }
                    if let Some(from) = from {
                        pairs.push((format!("{field}_from"), from.clone()));
                    }
                    if let Some(to) = to {
                        pairs.push((format!("{field}_to"), to.clone()));
                    }
                }
            }
        }
        pairs
    }

    /// Percent-encoded query string (without the leading `?`).
    pub fn to_query_string(&self) -> String {
        self.to_query_pairs()
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `GET /bff/dashboards/{slug}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardDetail {
    pub dashboard: DashboardView,
    pub branding: Branding,
    /// The user's saved filters for this dashboard in the active tenant (empty if none).
    pub saved_filters: FilterState,
}

/// A KPI card value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiValue {
    pub value: f64,
    pub formatted: String,
    pub label: String,
}

/// Tabular chart content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableData {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// One computed chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartPayload {
    pub id: String,
    pub title: String,
    pub kind: ChartKind,
    /// True when the filtered data is empty (the shell shows a "no data" state).
    pub empty: bool,
    /// ECharts option JSON (built with charming); `null` for KPI cards and tables.
    pub option: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kpi: Option<KpiValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableData>,
}

/// `GET …/dashboards/{slug}/charts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardCharts {
    pub dashboard: String,
    pub filters: FilterState,
    pub charts: Vec<ChartPayload>,
}

/// `GET /api/dashboards/{slug}/data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowsPage {
    pub dataset: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
    /// Opaque; pass back as `cursor` for the next page. Absent on the last page.
    pub next_cursor: Option<String>,
}

/// `PUT /bff/dashboards/{slug}/preferences`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavePreferencesRequest {
    pub filters: FilterState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_state_encodes_multi_select_as_repeated_keys_and_ranges_as_from_to() {
        let mut state = FilterState::default();
        state.0.insert(
            "segment".into(),
            FilterSelection::Values(vec!["SMB".into(), "Enterprise & Co".into()]),
        );
        state.0.insert(
            "cohort".into(),
            FilterSelection::Range {
                from: Some("2023-01".into()),
                to: None,
            },
        );
        assert_eq!(
            state.to_query_string(),
            "cohort_from=2023-01&segment=SMB&segment=Enterprise%20%26%20Co"
        );
    }

    #[test]
    fn empty_selections_are_sent_explicitly_so_they_override_defaults() {
        let mut state = FilterState::default();
        state
            .0
            .insert("segment".into(), FilterSelection::Values(vec![]));
        state.0.insert(
            "cohort".into(),
            FilterSelection::Range {
                from: Some(String::new()),
                to: None,
            },
        );
        assert_eq!(state.to_query_string(), "cohort_from=&segment=");
    }

    #[test]
    fn filter_selection_round_trips_through_json() {
        let json = r#"{"region":["EMEA"],"score":{"from":"0.5","to":"0.9"}}"#;
        let state: FilterState = serde_json::from_str(json).expect("parses");
        assert_eq!(serde_json::to_string(&state).expect("serialises"), json);
    }
}
