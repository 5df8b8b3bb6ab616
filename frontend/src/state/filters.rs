//! Filter selections as the filter bar edits them: pure functions over the shared
//! [`FilterState`], so toggling, ranges, reset, restore and validation are unit-tested.

use kyros_common::api::dashboards::{FilterDef, FilterKind, FilterSelection, FilterState};
use kyros_common::filters::{
    check_range, parse_bound, parse_date, RangeKind, RangeProblem, MAX_VALUE_BYTES,
};

/// Which end of a range an edit sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    From,
    To,
}

/// One user edit in the filter bar.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterEdit {
    /// Select or unselect one value of a multi-select filter.
    Toggle { field: String, value: String },
    /// Set one bound of a range filter; an empty value clears it.
    SetBound {
        field: String,
        bound: Bound,
        value: String,
    },
}

/// The selections declared as defaults by the dashboard spec ("Reset").
pub fn defaults(defs: &[FilterDef]) -> FilterState {
    collect(defs, |def| def.default.as_ref())
}

/// The filters to show when a dashboard opens: the user's saved selection when there is
/// one (cleaned against the current spec: unknown fields, wrong kinds and values no
/// longer offered are dropped), otherwise the spec defaults.
pub fn restore(defs: &[FilterDef], saved: &FilterState) -> FilterState {
    if saved.0.is_empty() {
        return defaults(defs);
    }
    collect(defs, |def| saved.0.get(&def.field))
}

fn collect<'a>(
    defs: &'a [FilterDef],
    pick: impl Fn(&'a FilterDef) -> Option<&'a FilterSelection>,
) -> FilterState {
    let mut state = FilterState::default();
    for def in defs {
        if let Some(selection) = pick(def).and_then(|s| sanitize(def, s)) {
            state.0.insert(def.field.clone(), selection);
        }
    }
    state
}

/// Applies one edit; the result holds empty selections only for filters with a default.
pub fn edit(defs: &[FilterDef], state: &FilterState, edit: &FilterEdit) -> FilterState {
    if let FilterEdit::Toggle { field, value } = edit {
        let offered = defs
            .iter()
            .find(|d| &d.field == field)
            .is_some_and(|d| d.options.is_empty() || d.options.contains(value));
        if !offered {
            return state.clone();
        }
    }
    let mut next = state.clone();
    let field = match edit {
        FilterEdit::Toggle { field, value } => {
            let mut values = match next.0.remove(field) {
                Some(FilterSelection::Values(values)) => values,
                _ => Vec::new(),
            };
            match values.iter().position(|v| v == value) {
                Some(index) => {
                    values.remove(index);
                }
                None => values.push(value.clone()),
            }
            next.0
                .insert(field.clone(), FilterSelection::Values(values));
            field
        }
        FilterEdit::SetBound {
            field,
            bound,
            value,
        } => {
            let (mut from, mut to) = match next.0.remove(field) {
                Some(FilterSelection::Range { from, to }) => (from, to),
                _ => (None, None),
            };
            let value = Some(value.clone());
            match bound {
                Bound::From => from = value,
                Bound::To => to = value,
            }
            next.0
                .insert(field.clone(), FilterSelection::Range { from, to });
            field
        }
    };
    let cleaned = match (
        defs.iter().find(|d| &d.field == field),
        next.0.remove(field),
    ) {
        (Some(def), Some(selection)) => sanitize(def, &selection),
        _ => None,
    };
    if let Some(selection) = cleaned {
        next.0.insert(field.clone(), selection);
    }
    next
}

/// Keeps a selection only when it fits the filter: the right kind, values among the
/// options (in option order, without duplicates), trimmed bounds. `None` when empty,
/// except for a filter with a spec default: clearing that one is a choice to remember
/// (an empty selection), or the default would come back on the next request.
fn sanitize(def: &FilterDef, selection: &FilterSelection) -> Option<FilterSelection> {
    match (def.kind, selection) {
        (FilterKind::MultiSelect, FilterSelection::Values(values)) => {
            let kept: Vec<String> = if def.options.is_empty() {
                let mut kept: Vec<String> = Vec::new();
                for value in values {
                    if !value.is_empty() && !kept.contains(value) {
                        kept.push(value.clone());
                    }
                }
                kept
            } else {
                def.options
                    .iter()
                    .filter(|option| values.contains(option))
                    .cloned()
                    .collect()
            };
            (!kept.is_empty() || def.default.is_some()).then_some(FilterSelection::Values(kept))
        }
        (FilterKind::DateRange | FilterKind::NumberRange, FilterSelection::Range { from, to }) => {
            let clean = |bound: &Option<String>| {
                bound
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let (from, to) = (clean(from), clean(to));
            (from.is_some() || to.is_some() || def.default.is_some())
                .then_some(FilterSelection::Range { from, to })
        }
        _ => None,
    }
}

/// Whether `value` is selected in the multi-select filter `field`.
pub fn is_selected(state: &FilterState, field: &str, value: &str) -> bool {
    matches!(state.0.get(field), Some(FilterSelection::Values(values)) if values.iter().any(|v| v == value))
}

/// The current text of one bound of a range filter (empty when open).
pub fn bound_value(state: &FilterState, field: &str, bound: Bound) -> String {
    match state.0.get(field) {
        Some(FilterSelection::Range { from, to }) => {
            let value = match bound {
                Bound::From => from,
                Bound::To => to,
            };
            value.clone().unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Problems that keep a selection from being applied, one sentence each. The verdict
/// is the shared grammar's (`kyros_common::filters::check_range`), so the form refuses
/// exactly what the server would; a range wider than the filter's bounds is fine (the
/// server clamps it).
pub fn validate(defs: &[FilterDef], state: &FilterState) -> Vec<String> {
    let mut problems = Vec::new();
    for def in defs {
        let Some(FilterSelection::Range { from, to }) = state.0.get(&def.field) else {
            continue;
        };
        let kind = match def.kind {
            FilterKind::DateRange => RangeKind::Date,
            FilterKind::NumberRange => RangeKind::Number,
            FilterKind::MultiSelect => continue,
        };
        let limit = |s: &Option<String>| s.as_deref().and_then(|t| parse_bound(kind, t));
        let verdict = check_range(
            kind,
            from.as_deref(),
            to.as_deref(),
            limit(&def.min),
            limit(&def.max),
        );
        let Err(problem) = verdict else {
            continue;
        };
        let label = &def.label;
        let before = problems.len();
        // Name every malformed end, not only the first.
        for raw in [from, to].into_iter().flatten().filter(|r| !r.is_empty()) {
            if raw.len() > MAX_VALUE_BYTES {
                problems.push(format!(
                    "{label}: a value is longer than {MAX_VALUE_BYTES} characters."
                ));
            } else if parse_bound(kind, raw).is_none() {
                problems.push(match kind {
                    RangeKind::Number => format!("{label}: \u{201c}{raw}\u{201d} is not a number."),
                    RangeKind::Date => format!(
                        "{label}: \u{201c}{raw}\u{201d} is not a date (YYYY-MM or YYYY-MM-DD)."
                    ),
                });
            }
        }
        if problems.len() == before {
            problems.push(match problem {
                RangeProblem::Inverted => {
                    format!("{label}: \u{201c}from\u{201d} must not be after \u{201c}to\u{201d}.")
                }
                other => format!("{label}: {other}."),
            });
        }
    }
    problems
}

/// `YYYY-MM` for an `<input type="month">` from a `YYYY-MM` or `YYYY-MM-DD` value.
pub fn month_input_value(value: &str) -> String {
    parse_date(value)
        .map(|d| d.month_text())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multi(field: &str, options: &[&str], default: Option<&[&str]>) -> FilterDef {
        FilterDef {
            field: field.into(),
            label: field.to_uppercase(),
            kind: FilterKind::MultiSelect,
            options: options.iter().map(|s| s.to_string()).collect(),
            min: None,
            max: None,
            default: default
                .map(|d| FilterSelection::Values(d.iter().map(|s| s.to_string()).collect())),
        }
    }

    fn range(field: &str, kind: FilterKind, min: &str, max: &str) -> FilterDef {
        FilterDef {
            field: field.into(),
            label: field.to_uppercase(),
            kind,
            options: Vec::new(),
            min: Some(min.into()),
            max: Some(max.into()),
            default: None,
        }
    }

    fn defs() -> Vec<FilterDef> {
        vec![
            multi("region", &["EMEA", "NA", "APAC"], Some(&["EMEA"])),
            range("cohort", FilterKind::DateRange, "2022-01", "2024-12"),
            range("score", FilterKind::NumberRange, "0", "1"),
        ]
    }

    fn toggle(field: &str, value: &str) -> FilterEdit {
        FilterEdit::Toggle {
            field: field.into(),
            value: value.into(),
        }
    }

    fn set(field: &str, bound: Bound, value: &str) -> FilterEdit {
        FilterEdit::SetBound {
            field: field.into(),
            bound,
            value: value.into(),
        }
    }

    #[test]
    fn toggling_a_value_selects_it_in_option_order_and_toggling_again_removes_it() {
        let defs = defs();
        let state = edit(&defs, &FilterState::default(), &toggle("region", "APAC"));
        let state = edit(&defs, &state, &toggle("region", "EMEA"));
        assert_eq!(
            state.0.get("region"),
            Some(&FilterSelection::Values(vec!["EMEA".into(), "APAC".into()]))
        );
        assert!(is_selected(&state, "region", "APAC"));
        let state = edit(&defs, &state, &toggle("region", "APAC"));
        let state = edit(&defs, &state, &toggle("region", "EMEA"));
        assert_eq!(
            state.0.get("region"),
            Some(&FilterSelection::Values(vec![])),
            "unselecting the last value of a filter with a default leaves it explicitly empty"
        );
    }

    #[test]
    fn toggling_a_value_the_spec_does_not_offer_is_ignored() {
        let state = edit(&defs(), &FilterState::default(), &toggle("region", "Mars"));
        assert!(state.0.is_empty());
    }

    #[test]
    fn setting_range_bounds_keeps_both_ends_and_clearing_both_drops_the_filter() {
        let defs = defs();
        let state = edit(
            &defs,
            &FilterState::default(),
            &set("score", Bound::From, " 0.5 "),
        );
        let state = edit(&defs, &state, &set("score", Bound::To, "0.9"));
        assert_eq!(
            state.0.get("score"),
            Some(&FilterSelection::Range {
                from: Some("0.5".into()),
                to: Some("0.9".into())
            })
        );
        assert_eq!(bound_value(&state, "score", Bound::From), "0.5");
        let state = edit(&defs, &state, &set("score", Bound::From, ""));
        assert_eq!(bound_value(&state, "score", Bound::From), "");
        let state = edit(&defs, &state, &set("score", Bound::To, ""));
        assert!(state.0.is_empty());
    }

    #[test]
    fn reset_returns_the_spec_defaults() {
        let state = defaults(&defs());
        assert_eq!(state.0.len(), 1);
        assert!(is_selected(&state, "region", "EMEA"));
    }

    #[test]
    fn restore_prefers_saved_filters_and_cleans_them_against_the_spec() {
        let mut saved = FilterState::default();
        saved.0.insert(
            "region".into(),
            FilterSelection::Values(vec!["NA".into(), "Mars".into()]),
        );
        saved
            .0
            .insert("gone".into(), FilterSelection::Values(vec!["x".into()]));
        saved
            .0
            .insert("score".into(), FilterSelection::Values(vec!["1".into()]));
        let state = restore(&defs(), &saved);
        assert_eq!(state.0.len(), 1);
        assert_eq!(
            state.0.get("region"),
            Some(&FilterSelection::Values(vec!["NA".into()]))
        );
    }

    #[test]
    fn restore_without_saved_filters_uses_the_defaults() {
        assert_eq!(restore(&defs(), &FilterState::default()), defaults(&defs()));
    }

    #[test]
    fn edits_build_the_query_string_the_backend_expects() {
        let defs = defs();
        let state = defaults(&defs);
        let state = edit(&defs, &state, &toggle("region", "NA"));
        let state = edit(&defs, &state, &set("cohort", Bound::From, "2023-01"));
        let state = edit(&defs, &state, &set("score", Bound::To, "0.8"));
        assert_eq!(
            state.to_query_string(),
            "cohort_from=2023-01&region=EMEA&region=NA&score_to=0.8"
        );
    }

    #[test]
    fn clearing_a_defaulted_filter_is_remembered_and_sent_explicitly() {
        let defs = defs();
        let start = defaults(&defs);
        assert_eq!(start.to_query_string(), "region=EMEA");
        // Unselecting the default's only value leaves an explicit empty selection...
        let cleared = edit(&defs, &start, &toggle("region", "EMEA"));
        assert_eq!(
            cleared.0.get("region"),
            Some(&FilterSelection::Values(vec![]))
        );
        // ...which the query sends as `region=` (no restriction, not the default)...
        assert_eq!(cleared.to_query_string(), "region=");
        // ...and which survives a save/restore round trip.
        assert_eq!(restore(&defs, &cleared), cleared);
        // A filter without a default simply disappears when emptied.
        let ranged = edit(&defs, &cleared, &set("cohort", Bound::From, "2023-01"));
        let emptied = edit(&defs, &ranged, &set("cohort", Bound::From, ""));
        assert_eq!(emptied, cleared);
    }

    #[test]
    fn validation_accepts_sensible_ranges() {
        let defs = defs();
        let state = edit(
            &defs,
            &FilterState::default(),
            &set("cohort", Bound::From, "2023-01"),
        );
        let state = edit(&defs, &state, &set("cohort", Bound::To, "2023-01-31"));
        let state = edit(&defs, &state, &set("score", Bound::From, "0.25"));
        assert_eq!(validate(&defs, &state), Vec::<String>::new());
    }

    #[test]
    fn validation_reports_reversed_and_malformed_ranges_and_accepts_wide_ones() {
        let defs = defs();
        let state = edit(
            &defs,
            &FilterState::default(),
            &set("score", Bound::From, "0.9"),
        );
        let state = edit(&defs, &state, &set("score", Bound::To, "0.1"));
        let problems = validate(&defs, &state);
        assert_eq!(
            problems,
            vec!["SCORE: \u{201c}from\u{201d} must not be after \u{201c}to\u{201d}."]
        );

        let state = edit(
            &defs,
            &FilterState::default(),
            &set("score", Bound::To, "abc"),
        );
        assert_eq!(
            validate(&defs, &state),
            vec!["SCORE: \u{201c}abc\u{201d} is not a number."]
        );

        // Wider than the bounds is fine: the server clamps it.
        let state = edit(
            &defs,
            &FilterState::default(),
            &set("score", Bound::To, "7"),
        );
        assert_eq!(validate(&defs, &state), Vec::<String>::new());
        let state = edit(
            &defs,
            &FilterState::default(),
            &set("cohort", Bound::From, "2021-06"),
        );
        assert_eq!(validate(&defs, &state), Vec::<String>::new());

        let state = edit(
            &defs,
            &FilterState::default(),
            &set("cohort", Bound::From, "2023-13"),
        );
        assert_eq!(validate(&defs, &state).len(), 1);

        // The shared grammar: no impossible days, exponents or leading dots.
        for (field, value) in [("cohort", "2024-02-30"), ("score", "1e5"), ("score", ".5")] {
            let state = edit(
                &defs,
                &FilterState::default(),
                &set(field, Bound::From, value),
            );
            assert_eq!(validate(&defs, &state).len(), 1, "{value}");
        }
        let state = edit(
            &defs,
            &FilterState::default(),
            &set("score", Bound::From, "x"),
        );
        let state = edit(&defs, &state, &set("score", Bound::To, "y"));
        assert_eq!(
            validate(&defs, &state).len(),
            2,
            "both malformed ends are named"
        );
    }

    #[test]
    fn month_inputs_show_the_month_of_a_date() {
        assert_eq!(month_input_value("2023-04-15"), "2023-04");
        assert_eq!(month_input_value("2023-04"), "2023-04");
        assert_eq!(month_input_value("April"), "");
    }
}
