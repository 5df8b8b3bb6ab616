//! Typing and checking one filter's raw values against its spec: options for a
//! multi-select, parseable and ordered bounds inside `[min, max]` for a range.

use kyros_common::api::dashboards::{FilterKind, FilterSelection};
use kyros_common::filters::{check_range, parse_bound, RangeKind, RangeValue};

use super::values::to_naive;
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
    let kind = match filter.kind {
        FilterKind::DateRange => RangeKind::Date,
        FilterKind::NumberRange => RangeKind::Number,
        FilterKind::MultiSelect => {
            return Err(FilterError::new(&filter.field, "expected a list of values"))
        }
    };
    let bound = |b: &Option<Bound>| match b {
        Some(Bound::Number(n)) if kind == RangeKind::Number => Some(RangeValue::Number(*n)),
        Some(Bound::Text(t)) => parse_bound(kind, t),
        _ => None,
    };
    let checked =
        check_range(kind, from, to, bound(&filter.min), bound(&filter.max)).map_err(|problem| {
            let field = match problem.side() {
                Some(side) => format!("{}{}", filter.field, side.suffix()),
                None => filter.field.clone(),
            };
            FilterError::new(&field, problem.to_string())
        })?;
    Ok(match kind {
        RangeKind::Date => {
            let date = |v: Option<RangeValue>| match v {
                Some(RangeValue::Date(d)) => to_naive(d),
                _ => None,
            };
            Selection::Dates {
                from: date(checked.from),
                to: date(checked.to),
            }
        }
        RangeKind::Number => {
            let number = |v: Option<RangeValue>| match v {
                Some(RangeValue::Number(n)) => Some(n),
                _ => None,
            };
            Selection::Numbers {
                from: number(checked.from),
                to: number(checked.to),
            }
        }
    })
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
    fn inverted_ranges_are_rejected_and_wide_ones_clamped_to_the_bounds() {
        let risk = spec("risk-analysis");
        let err = parse(
            &risk,
            &[("risk_score_from", "0.9"), ("risk_score_to", "0.1")],
        )
        .expect_err("inverted");
        assert!(err.to_string().contains("inverted"));
        // Wider than the declared bounds: clamped, so it shares the cache entry of the
        // same range written within them.
        let wide = parse(&risk, &[("risk_score_to", "1.5")]).expect("clamped");
        let within = parse(&risk, &[("risk_score_to", "1")]).expect("valid");
        assert_eq!(wide.cache_key(), within.cache_key());
        let since_2019 = parse(&clv(), &[("cohort_from", "2019-01")]).expect("clamped");
        let everything = parse(&clv(), &[("cohort_from", "")]).expect("open");
        assert_ne!(since_2019.cache_key(), "");
        assert!(
            !since_2019.cache_key().contains("2019"),
            "{}",
            since_2019.cache_key()
        );
        assert!(everything.is_empty());
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
