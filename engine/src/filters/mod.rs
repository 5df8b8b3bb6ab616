//! Typed filter selections, validated against a dashboard spec.
//!
//! Encoding (shared with [`FilterState::to_query_pairs`]): a multi-select field `F`
//! arrives as repeated `F=value`, a range as `F_from` / `F_to` (dates `YYYY-MM` or
//! `YYYY-MM-DD`, numbers as plain decimals); both bounds are inclusive.
//!
//! **Defaults:** a filter with no parameter at all in the request (neither `F` nor
//! `F_from`/`F_to`) takes the spec's `default`. Sending the field with an empty
//! value (`F=` or `F_from=`) is an explicit "no restriction" that overrides the
//! default. A range counts as present when either of its bounds is.
//!
//! [`Filters`] is normalised — values sorted and deduplicated, dates and numbers in
//! canonical form, no-restriction entries dropped — so equivalent selections have
//! the same [`Filters::cache_key`].

mod parse;
mod select;
mod values;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kyros_common::api::dashboards::{FilterSelection, FilterState};

pub use parse::parse_filters;
pub(crate) use select::check_default;
pub use values::{format_date, format_number, parse_date, parse_number};

use crate::spec::DashboardSpec;

pub use kyros_common::filters::{MAX_PAIRS, MAX_VALUES_PER_FIELD, MAX_VALUE_BYTES};

/// A rejected filter; `field` is the offending parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("filter {field:?}: {message}")]
pub struct FilterError {
    pub field: String,
    pub message: String,
}

impl FilterError {
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        FilterError {
            field: crate::spec::truncate_for_message(field),
            message: message.into(),
        }
    }
}

/// The effective selection of one filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// Keep rows whose column is one of these (sorted, deduplicated, never empty).
    Values(Vec<String>),
    /// Keep rows whose date column lies in the inclusive range.
    Dates {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    /// Keep rows whose numeric column lies in the inclusive range.
    Numbers { from: Option<f64>, to: Option<f64> },
}

impl Selection {
    fn is_unrestricted(&self) -> bool {
        match self {
            Selection::Values(values) => values.is_empty(),
            Selection::Dates { from, to } => from.is_none() && to.is_none(),
            Selection::Numbers { from, to } => from.is_none() && to.is_none(),
        }
    }

    fn to_selection(&self) -> FilterSelection {
        match self {
            Selection::Values(values) => FilterSelection::Values(values.clone()),
            Selection::Dates { from, to } => FilterSelection::Range {
                from: from.map(format_date),
                to: to.map(format_date),
            },
            Selection::Numbers { from, to } => FilterSelection::Range {
                from: from.map(format_number),
                to: to.map(format_number),
            },
        }
    }
}

/// Validated, normalised filter selections of one dashboard.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filters {
    selections: BTreeMap<String, Selection>,
    /// Filters with a spec default that the user explicitly cleared: no restriction,
    /// but remembered so that a saved state does not bring the default back.
    cleared: BTreeMap<String, Selection>,
}

impl Filters {
    /// No restriction at all (spec defaults are *not* applied).
    pub fn none() -> Filters {
        Filters::default()
    }

    pub(crate) fn from_selections(
        spec: &DashboardSpec,
        selections: BTreeMap<String, Selection>,
    ) -> Filters {
        let (open, restricted): (BTreeMap<_, _>, BTreeMap<_, _>) = selections
            .into_iter()
            .partition(|(_, s)| s.is_unrestricted());
        let cleared = open
            .into_iter()
            .filter(|(field, _)| spec.filter(field).is_some_and(|f| f.default.is_some()))
            .collect();
        Filters {
            selections: restricted,
            cleared,
        }
    }

    /// Validates saved preferences (or any [`FilterState`]) like a query string.
    /// Filters of the spec missing from `state` take their defaults.
    pub fn from_state(spec: &DashboardSpec, state: &FilterState) -> Result<Filters, FilterError> {
        parse::from_state(spec, state)
    }

    /// The effective selections, by field.
    pub fn selections(&self) -> impl Iterator<Item = (&str, &Selection)> {
        self.selections.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn is_empty(&self) -> bool {
        self.selections.is_empty()
    }

    /// The selections in wire form (dates `YYYY-MM-DD`, numbers canonical). A filter
    /// with a default that was cleared appears as an empty selection, so that saving
    /// and restoring this state keeps it cleared.
    pub fn to_state(&self) -> FilterState {
        FilterState(
            self.selections
                .iter()
                .chain(&self.cleared)
                .map(|(field, sel)| (field.clone(), sel.to_selection()))
                .collect(),
        )
    }

    /// A canonical string, equal for equivalent selections: `field=v1,v2;field2=from..to`
    /// with `%`, `,`, `;` and `=` percent-encoded inside values.
    pub fn cache_key(&self) -> String {
        let escape = |s: &str| {
            s.replace('%', "%25")
                .replace(',', "%2C")
                .replace(';', "%3B")
                .replace('=', "%3D")
        };
        let bound = |b: Option<String>| b.unwrap_or_default();
        self.selections
            .iter()
            .map(|(field, sel)| {
                let value = match sel.to_selection() {
                    FilterSelection::Values(values) => values
                        .iter()
                        .map(|v| escape(v))
                        .collect::<Vec<_>>()
                        .join(","),
                    FilterSelection::Range { from, to } => {
                        format!("{}..{}", bound(from), bound(to))
                    }
                };
                format!("{field}={value}")
            })
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// Shipped specs and query helpers shared by the filter tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{parse_filters, FilterError, Filters};
    use crate::spec::{DashboardSpec, BUILTIN_SPECS};

    pub fn spec(slug: &str) -> DashboardSpec {
        let (_, _, _, json) = BUILTIN_SPECS
            .iter()
            .find(|s| s.0 == slug)
            .expect("built-in");
        DashboardSpec::from_json(slug, json).expect("valid")
    }

    pub fn clv() -> DashboardSpec {
        spec("customer-lifetime-value")
    }

    pub fn parse(spec: &DashboardSpec, list: &[(&str, &str)]) -> Result<Filters, FilterError> {
        let pairs: Vec<(String, String)> = list
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse_filters(spec, &pairs)
    }

    pub fn rejected_field(spec: &DashboardSpec, list: &[(&str, &str)]) -> String {
        parse(spec, list).expect_err("should be rejected").field
    }
}

#[cfg(test)]
mod tests {
    use kyros_common::api::dashboards::FilterState;

    use super::test_support::{clv, parse};
    use super::*;

    #[test]
    fn multi_select_values_are_sorted_and_deduplicated() {
        let filters = parse(
            &clv(),
            &[
                ("segment", "SMB"),
                ("segment", "Enterprise"),
                ("segment", "SMB"),
            ],
        )
        .expect("valid");
        assert_eq!(
            filters.selections().next(),
            Some((
                "segment",
                &Selection::Values(vec!["Enterprise".into(), "SMB".into()])
            ))
        );
    }

    #[test]
    fn equivalent_selections_share_a_cache_key() {
        let a = parse(
            &clv(),
            &[
                ("segment", "SMB"),
                ("region", "EMEA"),
                ("segment", "Consumer"),
            ],
        )
        .expect("valid");
        let b = parse(
            &clv(),
            &[
                ("region", "EMEA"),
                ("segment", "Consumer"),
                ("segment", "SMB"),
                ("segment", "SMB"),
            ],
        )
        .expect("valid");
        assert_eq!(a.cache_key(), b.cache_key());
        assert_eq!(a.cache_key(), "region=EMEA;segment=Consumer,SMB");
        let c = parse(&clv(), &[("segment", "SMB")]).expect("valid");
        assert_ne!(a.cache_key(), c.cache_key());
    }

    #[test]
    fn a_cleared_default_stays_cleared_through_a_saved_state() {
        let spec = super::test_support::spec("channel-performance");
        let state = |json: &str| serde_json::from_str::<FilterState>(json).expect("json");
        let defaulted = Filters::from_state(&spec, &state("{}")).expect("valid");
        assert_eq!(defaulted.cache_key(), "cohort=2023-01-01..");
        let cleared = Filters::from_state(&spec, &state(r#"{"cohort":{}}"#)).expect("valid");
        assert!(cleared.is_empty(), "no restriction once cleared");
        let saved = serde_json::to_string(&cleared.to_state()).expect("json");
        assert_eq!(saved, r#"{"cohort":{}}"#);
        let restored = Filters::from_state(&spec, &state(&saved)).expect("valid");
        assert!(
            restored.is_empty(),
            "the default must not come back: {saved}"
        );
        assert_eq!(restored, cleared);
        // The query string can clear it too (an empty bound), with the same result.
        let query = parse(&spec, &[("cohort_from", "")]).expect("valid");
        assert_eq!(query.to_state(), cleared.to_state());
        // Filters without a default are simply absent when empty.
        let plain = Filters::from_state(&spec, &state(r#"{"segment":[]}"#)).expect("valid");
        assert_eq!(plain.to_state(), defaulted.to_state());
    }

    #[test]
    fn saved_state_is_validated_like_a_query() {
        let spec = clv();
        let state = |json: &str| serde_json::from_str::<FilterState>(json).expect("json");
        let ok = Filters::from_state(
            &spec,
            &state(r#"{"segment":["SMB","Consumer"],"cohort":{"from":"2023-01"}}"#),
        )
        .expect("valid");
        assert_eq!(
            Filters::from_state(&spec, &ok.to_state()).expect("round trip"),
            ok
        );
        for (json, field) in [
            (r#"{"nope":["x"]}"#, "nope"),
            (r#"{"segment":["Gold"]}"#, "segment"),
            (r#"{"segment":{"from":"SMB"}}"#, "segment"),
            (r#"{"cohort":["2023-01"]}"#, "cohort"),
            (r#"{"cohort":{"from":"2023-13"}}"#, "cohort_from"),
            (r#"{"cohort":{"from":"2024-01","to":"2023-01"}}"#, "cohort"),
        ] {
            assert_eq!(
                Filters::from_state(&spec, &state(json))
                    .expect_err(json)
                    .field,
                field,
                "{json}"
            );
        }
    }
}
