//! Typing and checking one filter's raw values against its spec: options for a
//! multi-select, parseable and ordered bounds inside `[min, max]` for a range.

use kyros_common::api::dashboards::{FilterKind, FilterSelection};

use super::values::{parse_date, parse_number};
use super::{FilterError, Selection, MAX_VALUES_PER_FIELD, MAX_VALUE_BYTES};
use crate::spec::{Bound, FilterSpec};

/// Checks a spec default like user input.
pub(crate) fn check_default(
    filter: &FilterSpec,
    default: &FilterSelection,
) -> Result<(), FilterError> {
    select(filter, default).map(|_| ())
}

pub(super) fn select(
    filter: &FilterSpec,
    selection: &FilterSelection,
) -> Result<Selection, FilterError> {
    match selection {
        FilterSelection::Values(values) => {
            if filter.kind != FilterKind::MultiSelect {
                return Err(FilterError::new(
                    &filter.field,
                    "expected a range {\"from\", \"to\"}",
                ));
            }
            if values.len() > MAX_VALUES_PER_FIELD {
                return Err(FilterError::new(
                    &filter.field,
                    format!("more than {MAX_VALUES_PER_FIELD} values"),
                ));
            }
            if values.iter().any(|v| v.len() > MAX_VALUE_BYTES) {
                return Err(FilterError::new(
                    &filter.field,
                    format!("value is longer than {MAX_VALUE_BYTES} bytes"),
                ));
            }
            select_values(
                filter,
                values.iter().filter(|v| !v.is_empty()).cloned().collect(),
            )
        }
        FilterSelection::Range { from, to } => {
            if filter.kind == FilterKind::MultiSelect {
                return Err(FilterError::new(&filter.field, "expected a list of values"));
            }
            for bound in [from, to].into_iter().flatten() {
                if bound.len() > MAX_VALUE_BYTES {
                    return Err(FilterError::new(
                        &filter.field,
                        format!("value is longer than {MAX_VALUE_BYTES} bytes"),
                    ));
                }
            }
            select_range(filter, from.as_deref(), to.as_deref())
        }
    }
}

pub(super) fn select_values(
    filter: &FilterSpec,
    mut values: Vec<String>,
) -> Result<Selection, FilterError> {
    if let Some(bad) = values.iter().find(|v| !filter.options.contains(v)) {
        return Err(FilterError::new(
            &filter.field,
            format!(
                "{:?} is not one of the options",
                crate::spec::truncate_for_message(bad)
            ),
        ));
    }
    values.sort();
    values.dedup();
    Ok(Selection::Values(values))
}

pub(super) fn select_range(
    filter: &FilterSpec,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Selection, FilterError> {
    let from = from.filter(|s| !s.is_empty());
    let to = to.filter(|s| !s.is_empty());
    let from_field = format!("{}_from", filter.field);
    let to_field = format!("{}_to", filter.field);
    match filter.kind {
        FilterKind::DateRange => {
            let parse = |field: &str, text: Option<&str>| {
                text.map(|t| {
                    parse_date(t).ok_or_else(|| {
                        FilterError::new(field, "expected a date YYYY-MM or YYYY-MM-DD")
                    })
                })
                .transpose()
            };
            let (from, to) = (parse(&from_field, from)?, parse(&to_field, to)?);
            let bound = |b: &Option<Bound>| match b {
                Some(Bound::Text(t)) => parse_date(t),
                _ => None,
            };
            check_range(
                &filter.field,
                from,
                to,
                bound(&filter.min),
                bound(&filter.max),
            )?;
            Ok(Selection::Dates { from, to })
        }
        FilterKind::NumberRange => {
            let parse = |field: &str, text: Option<&str>| {
                text.map(|t| {
                    parse_number(t)
                        .ok_or_else(|| FilterError::new(field, "expected a plain decimal number"))
                })
                .transpose()
            };
            let (from, to) = (parse(&from_field, from)?, parse(&to_field, to)?);
            let bound = |b: &Option<Bound>| match b {
                Some(Bound::Number(n)) => Some(*n),
                Some(Bound::Text(t)) => parse_number(t),
                None => None,
            };
            check_range(
                &filter.field,
                from,
                to,
                bound(&filter.min),
                bound(&filter.max),
            )?;
            Ok(Selection::Numbers { from, to })
        }
        FilterKind::MultiSelect => {
            Err(FilterError::new(&filter.field, "expected a list of values"))
        }
    }
}

/// `from <= to`, and both inside the spec's `[min, max]` when declared.
fn check_range<T: PartialOrd + std::fmt::Debug>(
    field: &str,
    from: Option<T>,
    to: Option<T>,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), FilterError> {
    if let (Some(from), Some(to)) = (&from, &to) {
        if from > to {
            return Err(FilterError::new(
                field,
                "the range is inverted (from is after to)",
            ));
        }
    }
    for (suffix, value) in [("_from", &from), ("_to", &to)] {
        let Some(value) = value else { continue };
        let below = min.as_ref().is_some_and(|min| value < min);
        let above = max.as_ref().is_some_and(|max| value > max);
        if below || above {
            return Err(FilterError::new(
                &format!("{field}{suffix}"),
                "outside the filter's allowed range",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use kyros_common::api::dashboards::FilterSelection;

    use crate::filters::test_support::{clv, parse, rejected_field, spec};

    #[test]
    fn values_outside_the_options_are_rejected() {
        for value in ["' OR 1=1 --", "../../etc/passwd", "smb", "SMB ", "<script>"] {
            let err = parse(&clv(), &[("segment", value)]).expect_err("rejected");
            assert_eq!(err.field, "segment");
            assert!(err.to_string().contains("not one of the options"), "{err}");
        }
    }

    #[test]
    fn bad_dates_and_numbers_are_rejected() {
        let risk = spec("risk-analysis");
        assert_eq!(
            rejected_field(&clv(), &[("cohort_from", "2023-13")]),
            "cohort_from"
        );
        assert_eq!(
            rejected_field(&clv(), &[("cohort_to", "yesterday")]),
            "cohort_to"
        );
        for bad in ["NaN", "inf", "1e-1", "0x1", "0,5", "½"] {
            assert_eq!(
                rejected_field(&risk, &[("risk_score_from", bad)]),
                "risk_score_from",
                "{bad}"
            );
        }
    }

    #[test]
    fn inverted_and_out_of_bounds_ranges_are_rejected() {
        let risk = spec("risk-analysis");
        let err = parse(
            &risk,
            &[("risk_score_from", "0.9"), ("risk_score_to", "0.1")],
        )
        .expect_err("inverted");
        assert!(err.to_string().contains("inverted"));
        assert_eq!(
            rejected_field(&risk, &[("risk_score_to", "1.5")]),
            "risk_score_to"
        );
        assert_eq!(
            rejected_field(&clv(), &[("cohort_from", "2019-01")]),
            "cohort_from"
        );
    }

    #[test]
    fn number_ranges_accept_plain_decimals() {
        let risk = spec("risk-analysis");
        let filters =
            parse(&risk, &[("risk_score_from", "0.5"), ("risk_score_to", "1")]).expect("valid");
        assert_eq!(filters.cache_key(), "risk_score=0.5..1");
    }

    #[test]
    fn month_bounds_mean_the_first_day_and_days_mean_themselves() {
        let filters = parse(
            &clv(),
            &[("cohort_from", "2023-01"), ("cohort_to", "2023-06-15")],
        )
        .expect("valid");
        let state = filters.to_state();
        assert_eq!(
            state.0.get("cohort"),
            Some(&FilterSelection::Range {
                from: Some("2023-01-01".into()),
                to: Some("2023-06-15".into())
            })
        );
    }
}
