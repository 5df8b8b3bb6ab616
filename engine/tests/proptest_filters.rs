//! Property tests of filter parsing against every shipped spec: hostile query pairs and
//! saved states (unicode, NUL, very long strings, NaN / 1e999, impossible dates) give
//! `Ok` or `Err`, never a panic; a refusal names the offending parameter; the result
//! does not depend on the order of the pairs, and equal selections share a cache key.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use kyros_common::api::dashboards::{FilterKind, FilterSelection, FilterState};
use kyros_engine::spec::FilterSpec;
use kyros_engine::{parse_filters, DashboardSpec, FilterError, Filters, BUILTIN_SPECS};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;

static SPECS: LazyLock<Vec<DashboardSpec>> = LazyLock::new(|| {
    BUILTIN_SPECS
        .iter()
        .map(|(slug, _, _, json)| DashboardSpec::from_json(slug, json).expect("shipped spec"))
        .collect()
});

/// Strings a hostile client may send: arbitrary unicode (NUL and controls included),
/// lengths around the 100-byte limit, special numbers and impossible dates.
fn hostile() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "\\PC{0,40}",
        3 => select(vec![
            "", " ", "\0", "NaN", "nan", "inf", "-inf", "infinity", "1e999", "-1e999",
            "1e-999", "1E5", "0x10", "+1", "-0", "-0.0", "0", "1.", ".5", "--1", "1_000",
            "½", "١٢٣", "𝟘.𝟝", "2023-13", "2023-00", "2023-02-30", "2023-1", "0000-01",
            "9999-12-31", "2023-01-01T00:00", "２０２３-01", "\u{feff}2023-01", "2023-01\0",
            "' OR 1=1 --", "../../etc/passwd", "%00", "a=b;c", "segment,region",
        ])
        .prop_map(String::from),
        2 => (0usize..160, any::<char>()).prop_map(|(n, c)| c.to_string().repeat(n)),
        2 => (0u32..=9999, 0u32..=99, proptest::option::of(0u32..=99)).prop_map(|(y, m, d)| {
            match d {
                Some(d) => format!("{y:04}-{m:02}-{d:02}"),
                None => format!("{y:04}-{m:02}"),
            }
        }),
        1 => any::<f64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|n| format!("{n:e}")),
        1 => (any::<i64>(), 0u32..40).prop_map(|(n, places)| {
            let digits = n.unsigned_abs().to_string();
            let sign = if n < 0 { "-" } else { "" };
            match digits.len().checked_sub(places as usize) {
                Some(split) if split > 0 && places > 0 => {
                    format!("{sign}{}.{}", &digits[..split], &digits[split..])
                }
                _ => format!("{sign}{digits}"),
            }
        }),
        1 => (1usize..40).prop_map(|n| "9".repeat(n)),
    ]
    .boxed()
}

/// Parameter names the spec knows, and near misses of them.
fn known_keys(spec: &DashboardSpec) -> Vec<String> {
    let mut keys = vec![
        "limit".to_string(),
        "cursor".to_string(),
        "query".to_string(),
    ];
    for filter in spec.filters() {
        let f = &filter.field;
        keys.extend([
            f.clone(),
            format!("{f}_from"),
            format!("{f}_to"),
            format!("{f}_from_to"),
            format!("{f}_to_from"),
            f.to_uppercase(),
            format!("{f}\0"),
            format!(" {f}"),
        ]);
    }
    keys
}

/// Values that are valid somewhere in the spec, and values just outside.
fn known_values(spec: &DashboardSpec) -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        "2021-12",
        "2022-01",
        "2023-01",
        "2023-06-15",
        "2024-12",
        "2024-12-31",
        "2025-01",
        "0",
        "0.5",
        "1",
        "1.5",
        "-0.1",
        "0.999999999999999999999",
    ]
    .map(String::from)
    .to_vec();
    for filter in spec.filters() {
        values.extend(filter.options.iter().cloned());
        values.extend(filter.options.iter().map(|o| o.to_lowercase()));
    }
    values
}

/// A plausible pair for the filter: one of its options for a multi-select, a bound in
/// or near the allowed range for a range.
fn filter_pair(filter: &FilterSpec) -> BoxedStrategy<(String, String)> {
    let f = filter.field.clone();
    let bound = select(vec![format!("{f}_from"), format!("{f}_to")]);
    match filter.kind {
        FilterKind::MultiSelect => (Just(f), select(filter.options.clone())).boxed(),
        FilterKind::DateRange => {
            let date = (2021u32..=2025, 1u32..=12, proptest::option::of(1u32..=28)).prop_map(
                |(y, m, d)| match d {
                    Some(d) => format!("{y:04}-{m:02}-{d:02}"),
                    None => format!("{y:04}-{m:02}"),
                },
            );
            (bound, date).boxed()
        }
        FilterKind::NumberRange => {
            let number = prop_oneof![
                (0u32..=1000).prop_map(|n| format!("{}", f64::from(n) / 1000.0)),
                select(vec!["0", "1", "0.5", "-0", "1.0000", "0.25", "1.001"])
                    .prop_map(String::from),
            ];
            (bound, number).boxed()
        }
    }
}

/// A plausible pair for one of the spec's filters.
fn good_pair(spec: &DashboardSpec) -> BoxedStrategy<(String, String)> {
    Union::new(spec.filters().iter().map(filter_pair)).boxed()
}

fn pair(spec: &DashboardSpec) -> BoxedStrategy<(String, String)> {
    prop_oneof![
        12 => good_pair(spec),
        1 => (select(known_keys(spec)), select(known_values(spec))),
        1 => (select(known_keys(spec)), hostile()),
        1 => (hostile(), hostile()),
    ]
    .boxed()
}

type Pairs = Vec<(String, String)>;

/// A spec index, some pairs for it, and the same pairs in another order.
fn pairs_and_permutation(max: usize) -> impl Strategy<Value = (usize, Pairs, Pairs)> {
    (0..SPECS.len()).prop_flat_map(move |i| {
        vec(pair(&SPECS[i]), 0..max)
            .prop_flat_map(move |pairs| (Just(i), Just(pairs.clone()), Just(pairs).prop_shuffle()))
    })
}

fn selection(spec: &DashboardSpec) -> BoxedStrategy<FilterSelection> {
    let value = prop_oneof![3 => select(known_values(spec)), 1 => hostile()];
    prop_oneof![
        4 => vec(value.clone(), 0..6).prop_map(FilterSelection::Values),
        1 => vec(select(known_values(spec)), 45..60).prop_map(FilterSelection::Values),
        4 => (proptest::option::of(value.clone()), proptest::option::of(value))
            .prop_map(|(from, to)| FilterSelection::Range { from, to }),
    ]
    .boxed()
}

/// A plausible selection for each filter of the spec (or none), plus a few arbitrary
/// entries now and then.
fn state(spec: &DashboardSpec) -> BoxedStrategy<FilterState> {
    let per_filter: Vec<BoxedStrategy<Option<(String, FilterSelection)>>> = spec
        .filters()
        .iter()
        .map(|filter| {
            let f = filter.field.clone();
            let good = match filter.kind {
                FilterKind::MultiSelect => vec(select(filter.options.clone()), 0..4)
                    .prop_map(FilterSelection::Values)
                    .boxed(),
                FilterKind::DateRange | FilterKind::NumberRange => {
                    let bound = filter_pair(filter).prop_map(|(_, v)| v);
                    (
                        proptest::option::of(bound.clone()),
                        proptest::option::of(bound),
                    )
                        .prop_map(|(from, to)| FilterSelection::Range { from, to })
                        .boxed()
                }
            };
            proptest::option::of(
                prop_oneof![6 => good, 1 => selection(spec)].prop_map(move |sel| (f.clone(), sel)),
            )
            .boxed()
        })
        .collect();
    let fields: Vec<String> = spec.filters().iter().map(|f| f.field.clone()).collect();
    let key = prop_oneof![2 => select(fields), 1 => select(known_keys(spec)), 1 => hostile()];
    let extra = prop_oneof![4 => Just(BTreeMap::new()), 1 => btree_map(key, selection(spec), 0..3)];
    (per_filter, extra)
        .prop_map(|(good, extra)| {
            let mut state: BTreeMap<String, FilterSelection> = good.into_iter().flatten().collect();
            state.extend(extra);
            FilterState(state)
        })
        .boxed()
}

/// `s` as `FilterError` quotes it (at most 60 characters, then `…`).
fn quoted(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((idx, _)) => format!("{}…", &s[..idx]),
        None => s.to_string(),
    }
}

/// The error names the request as a whole, one of the given parameters, or one of
/// the spec's filters (with `_from` / `_to` for a bound).
fn names_a_parameter<'a>(
    spec: &DashboardSpec,
    given: impl IntoIterator<Item = &'a str>,
    whole: &str,
    err: &FilterError,
) -> Result<(), TestCaseError> {
    let field = err.field.as_str();
    let named = field == whole
        || given.into_iter().any(|k| quoted(k) == field)
        || spec.filters().iter().any(|f| {
            field == f.field
                || field == format!("{}_from", f.field)
                || field == format!("{}_to", f.field)
        });
    prop_assert!(named, "error names no parameter: {err:?}");
    prop_assert!(!err.message.is_empty());
    Ok(())
}

/// The canonical state of `filters` validates again and keeps every selection.
fn state_round_trips(spec: &DashboardSpec, filters: &Filters) -> Result<(), TestCaseError> {
    let state = filters.to_state();
    let again = Filters::from_state(spec, &state)
        .map_err(|e| TestCaseError::fail(format!("canonical state {state:?} refused: {e}")))?;
    for (field, sel) in filters.selections() {
        let back = again
            .selections()
            .find(|(f, _)| *f == field)
            .map(|(_, s)| s);
        prop_assert_eq!(back, Some(sel), "field {}", field);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn query_pairs_never_panic_and_do_not_depend_on_order(
        (i, pairs, shuffled) in pairs_and_permutation(10)
    ) {
        let spec = &SPECS[i];
        let first = parse_filters(spec, &pairs);
        let second = parse_filters(spec, &shuffled);
        prop_assert_eq!(first.is_ok(), second.is_ok(), "{:?} vs {:?}", first, second);
        match (first, second) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.cache_key(), b.cache_key());
                prop_assert_eq!(&a, &b);
                state_round_trips(spec, &a)?;
            }
            (Err(a), Err(b)) => {
                names_a_parameter(spec, pairs.iter().map(|(k, _)| k.as_str()), "query", &a)?;
                names_a_parameter(spec, pairs.iter().map(|(k, _)| k.as_str()), "query", &b)?;
            }
            _ => unreachable!("checked above"),
        }
    }

    #[test]
    fn different_selections_have_different_cache_keys(
        (i, a, b) in (0..SPECS.len()).prop_flat_map(|i| {
            (Just(i), vec(pair(&SPECS[i]), 0..6), vec(pair(&SPECS[i]), 0..6))
        })
    ) {
        let spec = &SPECS[i];
        if let (Ok(a), Ok(b)) = (parse_filters(spec, &a), parse_filters(spec, &b)) {
            prop_assert_eq!(a == b, a.cache_key() == b.cache_key(), "{:?} vs {:?}", a, b);
        }
    }

    #[test]
    fn floods_of_pairs_never_panic((i, pairs, _) in pairs_and_permutation(260)) {
        let spec = &SPECS[i];
        match parse_filters(spec, &pairs) {
            Ok(filters) => {
                prop_assert!(pairs.len() <= 200);
                let _ = filters.cache_key();
            }
            Err(err) => {
                names_a_parameter(spec, pairs.iter().map(|(k, _)| k.as_str()), "query", &err)?;
                if pairs.len() > 200 {
                    prop_assert_eq!(err.field, "query");
                }
            }
        }
    }

    #[test]
    fn saved_states_never_panic(
        (i, state) in (0..SPECS.len()).prop_flat_map(|i| (Just(i), state(&SPECS[i])))
    ) {
        let spec = &SPECS[i];
        match Filters::from_state(spec, &state) {
            Ok(filters) => {
                let keys: BTreeSet<&str> = state.0.keys().map(String::as_str).collect();
                for (field, _) in filters.selections() {
                    let filter = spec.filter(field);
                    prop_assert!(filter.is_some(), "unknown field {field} selected");
                    prop_assert!(
                        keys.contains(field) || filter.is_some_and(|f| f.default.is_some()),
                        "field {field} selected from nowhere"
                    );
                }
                state_round_trips(spec, &filters)?;
            }
            Err(err) => {
                names_a_parameter(spec, state.0.keys().map(String::as_str), "filters", &err)?;
            }
        }
    }

    #[test]
    fn a_valid_query_and_its_saved_state_agree(
        (i, pairs, _) in pairs_and_permutation(8)
    ) {
        // The query encoding of a canonical state parses to the same selections.
        let spec = &SPECS[i];
        if let Ok(filters) = parse_filters(spec, &pairs) {
            let again = parse_filters(spec, &filters.to_state().to_query_pairs())
                .map_err(|e| TestCaseError::fail(format!("canonical pairs refused: {e}")))?;
            for (field, sel) in filters.selections() {
                let back = again.selections().find(|(f, _)| *f == field).map(|(_, s)| s);
                prop_assert_eq!(back, Some(sel), "field {}", field);
            }
        }
    }
}
