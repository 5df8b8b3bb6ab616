//! Property tests of the dashboard spec validator: arbitrary text, arbitrary JSON
//! trees (deeply nested too) and mutations of the shipped specs give `Ok` or `Err`,
//! never a panic; an error on a JSON object names the offending field; a spec that
//! validates can be viewed and its defaults parse.

use std::sync::LazyLock;

use kyros_common::api::dashboards::FilterState;
use kyros_engine::{parse_filters, DashboardSpec, Filters, SpecError, BUILTIN_SPECS};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Number, Value};

/// Every member name of the spec format, for trees that look like specs.
const SPEC_KEYS: &[&str] = &[
    "title",
    "description",
    "datasets",
    "thresholds",
    "filters",
    "charts",
    "field",
    "label",
    "kind",
    "column",
    "options",
    "min",
    "max",
    "default",
    "from",
    "to",
    "id",
    "width",
    "dataset",
    "dimensions",
    "measures",
    "columns",
    "sort",
    "by",
    "order",
    "limit",
    "bins",
    "range",
    "sample",
    "normalize",
    "mark_thresholds",
    "only_above",
    "threshold",
    "format",
    "agg",
];

/// Strings the spec format gives meaning to.
const SPEC_WORDS: &[&str] = &[
    "customers",
    "exposures",
    "multi_select",
    "date_range",
    "number_range",
    "kpi",
    "bar",
    "pie",
    "line",
    "area",
    "stacked_bar",
    "heatmap",
    "histogram",
    "scatter",
    "table",
    "sum",
    "avg",
    "count",
    "count_distinct",
    "min",
    "max",
    "share_above",
    "value",
    "dimension",
    "asc",
    "desc",
    "integer",
    "decimal",
    "currency",
    "percent",
    "segment",
    "region",
    "cohort_month",
    "risk_score",
    "exposure_amount",
    "earn_month",
    "2023-01",
    "2024-12",
    "risk_warning",
    "",
];

static SHIPPED: LazyLock<Vec<(&'static str, Value)>> = LazyLock::new(|| {
    BUILTIN_SPECS
        .iter()
        .map(|(slug, _, _, json)| (*slug, serde_json::from_str(json).expect("shipped JSON")))
        .collect()
});

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => select(SPEC_WORDS).prop_map(String::from),
        1 => (0usize..3000, any::<char>()).prop_map(|(n, c)| c.to_string().repeat(n)),
        1 => Just("\0".to_string()),
        1 => Just("\u{202e}\u{1b}[31m".to_string()),
    ]
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![4 => select(SPEC_KEYS).prop_map(String::from), 1 => text()].boxed()
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-3i64..300).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        select(vec![
            0.0,
            -0.0,
            0.5,
            1.0,
            1e308,
            -1e308,
            5e-324,
            f64::EPSILON
        ])
        .prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => number(),
        3 => text().prop_map(Value::String),
    ]
    .boxed()
}

/// JSON trees up to 16 levels deep (the validator allows 10).
fn tree() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(16, 96, 5, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..5).prop_map(Value::Array),
                btree_map(key(), inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
            ]
        })
        .boxed()
}

/// An object with the spec's top-level members holding arbitrary trees.
fn spec_like() -> BoxedStrategy<Value> {
    btree_map(select(&SPEC_KEYS[..6]).prop_map(String::from), tree(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

fn slug() -> BoxedStrategy<String> {
    prop_oneof![
        8 => select(BUILTIN_SPECS.iter().map(|s| s.0).collect::<Vec<_>>()).prop_map(String::from),
        1 => text(),
    ]
    .boxed()
}

/// The validator's verdict must not panic; a spec it accepts must be usable.
/// Returns the validator's error, if any.
fn check(slug: &str, json: &str) -> Result<Option<SpecError>, TestCaseError> {
    match DashboardSpec::from_json(slug, json) {
        Ok(spec) => {
            let view = spec.view(slug);
            prop_assert_eq!(view.charts.len(), spec.charts().len());
            prop_assert!(!spec.datasets().is_empty());
            let defaults = parse_filters(&spec, &[]);
            prop_assert!(
                defaults.is_ok(),
                "defaults of a valid spec refused: {:?}",
                defaults
            );
            let state = Filters::from_state(&spec, &FilterState::default());
            prop_assert!(state.is_ok(), "empty state refused: {:?}", state);
            Ok(None)
        }
        Err(err) => {
            prop_assert!(!err.to_string().is_empty());
            Ok(Some(err))
        }
    }
}

/// An error about a JSON object names a field: by its path, or (for a missing or
/// unknown member, or a document-wide limit) in its message.
fn names_a_field(err: &SpecError) -> Result<(), TestCaseError> {
    let m = &err.message;
    prop_assert!(
        !err.path.is_empty()
            || m.contains("field")
            || m.contains("nests deeper")
            || m.contains("bytes; the limit"),
        "error names no field: {err:?}"
    );
    Ok(())
}

/// A path to a node of a JSON tree.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                here.push(Step::Key(k.clone()));
                paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(Step::Index(i));
                paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node from its parent.
    Delete,
    /// Put another value in its place.
    Replace(Value),
    /// Add a member (objects) or an element (arrays).
    Insert(String, Value),
    /// Repeat an element of an array (duplicate ids, filters, datasets).
    Duplicate,
    /// Swap the node for a copy of another node of the same spec.
    Transplant(Index),
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        3 => Just(Mutation::Delete),
        4 => prop_oneof![3 => leaf(), 1 => tree()].prop_map(Mutation::Replace),
        2 => (key(), leaf()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        1 => Just(Mutation::Duplicate),
        2 => any::<Index>().prop_map(Mutation::Transplant),
    ]
    .boxed()
}

/// Applies `mutations` at the chosen nodes; returns whether the document changed shape
/// at its root (a root replaced by a non-object has no field to name).
fn mutate(value: &mut Value, mutations: &[(Index, Mutation)]) -> bool {
    let mut root_replaced = false;
    for (at, mutation) in mutations {
        let mut all = Vec::new();
        paths(value, &mut Vec::new(), &mut all);
        let path = all[at.index(all.len())].clone();
        match mutation {
            Mutation::Delete | Mutation::Duplicate => {
                let Some((last, parent_path)) = path.split_last() else {
                    continue;
                };
                let Some(parent) = node(value, parent_path) else {
                    continue;
                };
                match (parent, last, mutation) {
                    (Value::Object(map), Step::Key(k), Mutation::Delete) => {
                        map.remove(k);
                    }
                    (Value::Array(items), Step::Index(i), Mutation::Delete) => {
                        items.remove(*i);
                    }
                    (Value::Array(items), Step::Index(i), _) => {
                        let copy = items[*i].clone();
                        items.insert(*i, copy);
                    }
                    _ => {}
                }
            }
            Mutation::Replace(new) => {
                root_replaced |= path.is_empty() && !new.is_object();
                if let Some(target) = node(value, &path) {
                    *target = new.clone();
                }
            }
            Mutation::Insert(k, new) => match node(value, &path) {
                Some(Value::Object(map)) => {
                    map.insert(k.clone(), new.clone());
                }
                Some(Value::Array(items)) => items.push(new.clone()),
                _ => {}
            },
            Mutation::Transplant(from) => {
                let source = all[from.index(all.len())].clone();
                let copy = node(value, &source).map(|v| v.clone());
                root_replaced |= path.is_empty() && !copy.as_ref().is_some_and(Value::is_object);
                if let (Some(copy), Some(target)) = (copy, node(value, &path)) {
                    *target = copy;
                }
            }
        }
    }
    root_replaced
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(slug in slug(), json in prop_oneof![
        3 => any::<String>(),
        3 => "[\\[\\]{}\":,0-9a-z\\\\ .eE+-]{0,200}",
        1 => (0usize..400).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n / 2))),
        1 => (0usize..400).prop_map(|n| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))),
        1 => Just("\"\\ud800\"".to_string()),
        1 => Just("{\"title\": 1e999}".to_string()),
    ]) {
        check(&slug, &json)?;
    }

    #[test]
    fn shipped_spec_text_cut_or_spliced_never_panics(
        spec in 0..BUILTIN_SPECS.len(),
        at in any::<Index>(),
        cut in any::<Index>(),
        insert in prop_oneof![
            Just(String::new()),
            select(vec!["1e999", "-1", "NaN", "null", "\"\"", "[", "}", "\\", "\"", "\0",
                "99999999999999999999999", "-0", "\u{fffd}", ",", "{}", "[[[[[[[[[[["])
                .prop_map(String::from),
            any::<String>(),
        ],
    ) {
        let (slug, _, _, json) = BUILTIN_SPECS[spec];
        let bytes = json.as_bytes();
        let start = at.index(bytes.len() + 1);
        let end = start + cut.index(bytes.len() - start + 1).min(16);
        let mut spliced = bytes[..start].to_vec();
        spliced.extend_from_slice(insert.as_bytes());
        spliced.extend_from_slice(&bytes[end..]);
        // Cutting inside a multi-byte character leaves invalid UTF-8: not a &str at all.
        if let Ok(text) = String::from_utf8(spliced) {
            check(slug, &text)?;
        }
    }

    #[test]
    fn arbitrary_json_trees_never_panic(slug in slug(), value in prop_oneof![tree(), spec_like()]) {
        if let Some(err) = check(&slug, &value.to_string())? {
            if value.is_object() {
                names_a_field(&err)?;
            }
        }
    }

    #[test]
    fn mutated_shipped_specs_never_panic_and_name_the_field(
        spec in 0..BUILTIN_SPECS.len(),
        mutations in vec((any::<Index>(), mutation()), 1..4),
    ) {
        let (slug, original) = &SHIPPED[spec];
        let mut value = original.clone();
        let root_replaced = mutate(&mut value, &mutations);
        if let Some(err) = check(slug, &value.to_string())? {
            if !root_replaced {
                names_a_field(&err)?;
            }
        }
    }
}
