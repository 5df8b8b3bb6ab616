//! Validation of the filters of a spec: each names a column of the right type in
//! the spec's datasets, with bounded options, sane bounds and a valid default.

use std::collections::BTreeSet;

use kyros_common::api::dashboards::FilterKind;

use super::model::{truncate, Bound, FilterSpec, SpecDocument};
use super::validate::{check_text, is_identifier, MAX_LABEL_CHARS};
use super::SpecError;
use crate::datasets::{ColumnType, DatasetDef};
use crate::filters::{self, parse_date, parse_number};

const MAX_FILTERS: usize = 20;
const MAX_OPTIONS: usize = 200;
/// Query parameters the backend reserves for itself.
const RESERVED_FIELDS: &[&str] = &["limit", "cursor", "format"];

pub(super) fn validate_filters(
    doc: &SpecDocument,
    spec_datasets: &[&'static DatasetDef],
) -> Result<(), SpecError> {
    if doc.filters.len() > MAX_FILTERS {
        return Err(SpecError::new(
            "filters",
            format!("more than {MAX_FILTERS} filters"),
        ));
    }
    let mut fields = BTreeSet::new();
    for (i, filter) in doc.filters.iter().enumerate() {
        let path = format!("filters[{i}]");
        validate_filter(&path, filter, spec_datasets)?;
        if !fields.insert(filter.field.as_str()) {
            return Err(SpecError::new(
                format!("{path}.field"),
                format!("duplicate filter field {:?}", filter.field),
            ));
        }
    }
    Ok(())
}

fn validate_filter(
    path: &str,
    filter: &FilterSpec,
    spec_datasets: &[&'static DatasetDef],
) -> Result<(), SpecError> {
    let field = &filter.field;
    if !is_identifier(field, 40, false) || field.ends_with("_from") || field.ends_with("_to") {
        return Err(SpecError::new(
            format!("{path}.field"),
            format!(
                "invalid filter field {:?} (lowercase identifier not ending in _from/_to)",
                truncate(field, 50)
            ),
        ));
    }
    if RESERVED_FIELDS.contains(&field.as_str()) {
        return Err(SpecError::new(
            format!("{path}.field"),
            format!("{field:?} is a reserved parameter name"),
        ));
    }
    check_text(
        &format!("{path}.label"),
        &filter.label,
        MAX_LABEL_CHARS,
        true,
    )?;
    let column = filter.column();
    for (j, name) in filter.datasets.iter().enumerate() {
        if !spec_datasets.iter().any(|d| d.name == name) {
            return Err(SpecError::new(
                format!("{path}.datasets[{j}]"),
                format!("dataset {name:?} is not used by this dashboard"),
            ));
        }
    }
    let targets = super::filter_target_datasets(spec_datasets, filter);
    if targets.is_empty() {
        return Err(SpecError::new(
            format!("{path}.column"),
            format!(
                "no dataset of this dashboard has a column {:?}",
                truncate(column, 50)
            ),
        ));
    }
    for dataset in &targets {
        let def = dataset.column(column).ok_or_else(|| {
            SpecError::new(
                format!("{path}.column"),
                format!(
                    "dataset {:?} has no column {:?}",
                    dataset.name,
                    truncate(column, 50)
                ),
            )
        })?;
        let fits = match filter.kind {
            FilterKind::MultiSelect => def.ty == ColumnType::Text,
            FilterKind::DateRange => def.ty == ColumnType::Month,
            FilterKind::NumberRange => def.ty.is_numeric(),
        };
        if !fits {
            return Err(SpecError::new(
                format!("{path}.kind"),
                format!(
                    "column {column:?} of {:?} cannot be filtered as {:?}",
                    dataset.name, filter.kind
                ),
            ));
        }
        if filter.kind == FilterKind::MultiSelect && !def.categories.is_empty() {
            if let Some((k, bad)) = filter
                .options
                .iter()
                .enumerate()
                .find(|(_, o)| !def.categories.contains(&o.as_str()))
            {
                return Err(SpecError::new(
                    format!("{path}.options[{k}]"),
                    format!("{:?} is not a value of {column:?}", truncate(bad, 50)),
                ));
            }
        }
    }
    validate_filter_values(path, filter)
}

fn validate_filter_values(path: &str, filter: &FilterSpec) -> Result<(), SpecError> {
    match filter.kind {
        FilterKind::MultiSelect => {
            if filter.options.is_empty() || filter.options.len() > MAX_OPTIONS {
                return Err(SpecError::new(
                    format!("{path}.options"),
                    format!("a multi-select needs 1 to {MAX_OPTIONS} options"),
                ));
            }
            let mut seen = BTreeSet::new();
            for (k, option) in filter.options.iter().enumerate() {
                let opath = format!("{path}.options[{k}]");
                if option.is_empty() || option.len() > filters::MAX_VALUE_BYTES {
                    return Err(SpecError::new(
                        opath,
                        format!("options must be 1 to {} bytes", filters::MAX_VALUE_BYTES),
                    ));
                }
                if !seen.insert(option) {
                    return Err(SpecError::new(
                        opath,
                        format!("duplicate option {option:?}"),
                    ));
                }
            }
            if filter.min.is_some() || filter.max.is_some() {
                return Err(SpecError::new(
                    format!("{path}.min"),
                    "a multi-select has no min/max",
                ));
            }
        }
        FilterKind::DateRange | FilterKind::NumberRange => {
            if !filter.options.is_empty() {
                return Err(SpecError::new(
                    format!("{path}.options"),
                    "a range filter has no options",
                ));
            }
            let min = parse_bound(&format!("{path}.min"), filter.kind, filter.min.as_ref())?;
            let max = parse_bound(&format!("{path}.max"), filter.kind, filter.max.as_ref())?;
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    return Err(SpecError::new(format!("{path}.max"), "max is below min"));
                }
            }
        }
    }
    if let Some(default) = &filter.default {
        filters::check_default(filter, default)
            .map_err(|err| SpecError::new(format!("{path}.default"), err.to_string()))?;
    }
    Ok(())
}

/// A range bound as a comparable number (dates as days since the epoch).
fn parse_bound(
    path: &str,
    kind: FilterKind,
    bound: Option<&Bound>,
) -> Result<Option<f64>, SpecError> {
    let Some(bound) = bound else { return Ok(None) };
    let parsed = match (kind, bound) {
        (FilterKind::DateRange, Bound::Text(text)) => {
            parse_date(text).map(|d| f64::from(crate::query::days_since_epoch(d)))
        }
        (FilterKind::NumberRange, Bound::Number(n)) if n.is_finite() => Some(*n),
        (FilterKind::NumberRange, Bound::Text(text)) => parse_number(text),
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        let expected = if kind == FilterKind::DateRange {
            "a date YYYY-MM or YYYY-MM-DD"
        } else {
            "a finite number"
        };
        SpecError::new(path, format!("expected {expected}"))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::spec::error_after;

    #[test]
    fn filters_are_checked_against_the_dataset_schema() {
        assert_eq!(
            error_after(|v| v["filters"][0]["options"][0] = json!("Gambling")).path,
            "filters[0].options[0]"
        );
        assert_eq!(
            error_after(|v| v["filters"][0]["field"] = json!("limit")).path,
            "filters[0].field"
        );
        assert_eq!(
            error_after(|v| v["filters"][0]["field"] = json!("region_from")).path,
            "filters[0].field"
        );
        let duplicate = error_after(|v| v["filters"][1] = v["filters"][0].clone());
        assert_eq!(duplicate.path, "filters[1].field");
        assert_eq!(
            error_after(|v| v["filters"][2]["kind"] = json!("number_range")).path,
            "filters[2].kind"
        );
        assert_eq!(
            error_after(|v| v["filters"][3]["max"] = json!("high")).path,
            "filters[3].max"
        );
        assert_eq!(
            error_after(|v| v["filters"][3]["min"] = json!(2)).path,
            "filters[3].max"
        );
        let err = error_after(|v| v["filters"][0]["default"] = json!(["Gambling"]));
        assert_eq!(err.path, "filters[0].default");
        let err = error_after(|v| v["filters"][2]["default"] = json!({"from": "2023-13"}));
        assert_eq!(err.path, "filters[2].default");
    }
}
