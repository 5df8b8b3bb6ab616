//! From query pairs or saved state to [`Filters`], checking every value against the spec.

use std::collections::BTreeMap;

use kyros_common::api::dashboards::{FilterKind, FilterState};

use super::select::{select, select_range, select_values};
use super::{FilterError, Filters, MAX_PAIRS, MAX_VALUES_PER_FIELD, MAX_VALUE_BYTES};
use crate::spec::DashboardSpec;

/// Raw strings collected for one filter before typing.
#[derive(Default)]
struct RawRange<'a> {
    from: Option<&'a str>,
    to: Option<&'a str>,
}

/// Parses and validates query pairs (the backend's own parameters already removed).
pub fn parse_filters(
    spec: &DashboardSpec,
    pairs: &[(String, String)],
) -> Result<Filters, FilterError> {
    if pairs.len() > MAX_PAIRS {
        return Err(FilterError::new(
            "query",
            format!("more than {MAX_PAIRS} parameters"),
        ));
    }
    let mut values: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut ranges: BTreeMap<&str, RawRange> = BTreeMap::new();
    for (key, value) in pairs {
        if key.len() > MAX_VALUE_BYTES {
            return Err(FilterError::new(key, "parameter name is too long"));
        }
        if value.len() > MAX_VALUE_BYTES {
            return Err(FilterError::new(
                key,
                format!("value is longer than {MAX_VALUE_BYTES} bytes"),
            ));
        }
        if let Some(filter) = spec.filter(key) {
            if filter.kind != FilterKind::MultiSelect {
                return Err(FilterError::new(
                    key,
                    format!("a range filter: send {key}_from and/or {key}_to"),
                ));
            }
            let list = values.entry(filter.field.as_str()).or_default();
            if list.len() >= MAX_VALUES_PER_FIELD {
                return Err(FilterError::new(
                    key,
                    format!("more than {MAX_VALUES_PER_FIELD} values"),
                ));
            }
            list.push(value.clone());
            continue;
        }
        let (field, is_from) = match (key.strip_suffix("_from"), key.strip_suffix("_to")) {
            (Some(field), _) => (field, true),
            (_, Some(field)) => (field, false),
            _ => return Err(FilterError::new(key, "unknown parameter")),
        };
        let filter = spec
            .filter(field)
            .filter(|f| f.kind != FilterKind::MultiSelect)
            .ok_or_else(|| FilterError::new(key, "unknown parameter"))?;
        let range = ranges.entry(filter.field.as_str()).or_default();
        let slot = if is_from {
            &mut range.from
        } else {
            &mut range.to
        };
        if slot.is_some() {
            return Err(FilterError::new(key, "given more than once"));
        }
        *slot = Some(value.as_str());
    }

    let mut selections = BTreeMap::new();
    for filter in spec.filters() {
        let field = filter.field.as_str();
        let selection = if let Some(list) = values.get(field) {
            select_values(
                filter,
                list.iter().filter(|v| !v.is_empty()).cloned().collect(),
            )?
        } else if let Some(range) = ranges.get(field) {
            select_range(filter, range.from, range.to)?
        } else if let Some(default) = &filter.default {
            select(filter, default)?
        } else {
            continue;
        };
        selections.insert(filter.field.clone(), selection);
    }
    Ok(Filters::from_selections(spec, selections))
}

/// Validates a [`FilterState`] the same way (missing filters take their defaults).
pub(super) fn from_state(
    spec: &DashboardSpec,
    state: &FilterState,
) -> Result<Filters, FilterError> {
    if state.0.len() > spec.filters().len() {
        return Err(FilterError::new(
            "filters",
            "more fields than the dashboard has filters",
        ));
    }
    for field in state.0.keys() {
        if spec.filter(field).is_none() {
            return Err(FilterError::new(field, "unknown filter"));
        }
    }
    let mut selections = BTreeMap::new();
    for filter in spec.filters() {
        let chosen = state.0.get(&filter.field).or(filter.default.as_ref());
        if let Some(selection) = chosen {
            selections.insert(filter.field.clone(), select(filter, selection)?);
        }
    }
    Ok(Filters::from_selections(spec, selections))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::test_support::{clv, parse, rejected_field, spec};

    #[test]
    fn hostile_parameter_names_are_rejected_by_name() {
        for name in [
            "' OR 1=1 --",
            "../../etc/passwd",
            "segment;drop",
            "limit",
            "SEGMENT",
            "segment_to",
        ] {
            assert_eq!(rejected_field(&clv(), &[(name, "SMB")]), name);
        }
    }

    #[test]
    fn the_wrong_encoding_for_a_filter_kind_is_rejected() {
        assert_eq!(rejected_field(&clv(), &[("cohort", "2023-01")]), "cohort");
        assert_eq!(
            rejected_field(&clv(), &[("segment_from", "SMB")]),
            "segment_from"
        );
    }

    #[test]
    fn a_bound_given_twice_is_rejected() {
        let err = parse(
            &clv(),
            &[("cohort_from", "2023-01"), ("cohort_from", "2023-02")],
        )
        .expect_err("dup");
        assert_eq!(err.field, "cohort_from");
    }

    #[test]
    fn absurd_sizes_are_rejected() {
        let long = "x".repeat(101);
        assert_eq!(
            rejected_field(&clv(), &[("segment", long.as_str())]),
            "segment"
        );
        let many: Vec<(String, String)> = (0..51)
            .map(|_| ("segment".to_string(), "SMB".to_string()))
            .collect();
        assert_eq!(
            parse_filters(&clv(), &many).expect_err("too many").field,
            "segment"
        );
        let flood: Vec<(String, String)> = (0..10_000)
            .map(|i| ("segment".to_string(), format!("v{i}")))
            .collect();
        assert_eq!(
            parse_filters(&clv(), &flood).expect_err("flood").field,
            "query"
        );
        assert_eq!(
            rejected_field(&clv(), &[(long.as_str(), "SMB")])
                .chars()
                .count(),
            61
        );
    }

    #[test]
    fn spec_defaults_apply_only_when_the_field_is_absent() {
        let channels = spec("channel-performance");
        let defaulted = parse(&channels, &[]).expect("valid");
        assert_eq!(defaulted.cache_key(), "cohort=2023-01-01..");
        let explicit = parse(&channels, &[("cohort_to", "2024-06")]).expect("valid");
        assert_eq!(explicit.cache_key(), "cohort=..2024-06-01");
        let cleared = parse(&channels, &[("cohort_from", "")]).expect("valid");
        assert!(cleared.is_empty());
    }
}
