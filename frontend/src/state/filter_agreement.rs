//! The shell's filter form and the engine's filter parser judge the same inputs the same
//! way: random edits of every shipped dashboard's range filters, made through the form's
//! own `edit`, are accepted by `validate` exactly when the engine accepts the query the
//! shell would send for them.

use kyros_common::api::dashboards::{FilterDef, FilterKind, FilterState};
use kyros_engine::{parse_filters, DashboardSpec, BUILTIN_SPECS};
use proptest::prelude::*;

use super::filters::{edit, validate, Bound, FilterEdit};

fn dashboards() -> Vec<(DashboardSpec, Vec<FilterDef>)> {
    BUILTIN_SPECS
        .iter()
        .map(|(slug, _, _, json)| {
            let spec = DashboardSpec::from_json(slug, json).expect("shipped spec");
            let defs = spec.view(slug).filters;
            (spec, defs)
        })
        .collect()
}

/// Values a person or a pasted link might put in a range box.
fn bound_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Plausible dates, valid and not.
        (1890i32..2210, 0u32..14, prop::option::of(0u32..33)).prop_map(|(y, m, d)| match d {
            Some(d) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("{y:04}-{m:02}"),
        }),
        // Numbers in every spelling.
        (-2.0f64..3.0).prop_map(|n| format!("{n}")),
        (-5i32..20).prop_map(|n| n.to_string()),
        Just("1e5".to_owned()),
        Just(".5".to_owned()),
        Just("1.".to_owned()),
        Just("-0".to_owned()),
        Just("007".to_owned()),
        Just("+1".to_owned()),
        Just("NaN".to_owned()),
        Just("2024-02-30".to_owned()),
        Just(" 2023-06 ".to_owned()),
        Just(String::new()),
        "[0-9.eE+-]{0,6}",
        "\\PC{0,12}",
        Just("9".repeat(101)),
    ]
}

fn edits() -> impl Strategy<Value = Vec<(usize, usize, bool, String)>> {
    prop::collection::vec((0usize..8, 0usize..8, any::<bool>(), bound_text()), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_form_and_the_engine_give_the_same_verdict(which in 0usize..3, steps in edits()) {
        let all = dashboards();
        let (spec, defs) = &all[which % all.len()];
        let ranges: Vec<&FilterDef> = defs.iter().filter(|d| d.kind != FilterKind::MultiSelect).collect();
        prop_assume!(!ranges.is_empty());
        let mut state = FilterState::default();
        for (field, _, from_end, value) in steps {
            let def = ranges[field % ranges.len()];
            let bound = if from_end { Bound::From } else { Bound::To };
            state = edit(defs, &state, &FilterEdit::SetBound { field: def.field.clone(), bound, value });
        }
        let shell_accepts = validate(defs, &state).is_empty();
        let engine = parse_filters(spec, &state.to_query_pairs());
        prop_assert_eq!(
            shell_accepts,
            engine.is_ok(),
            "state {:?}: shell problems {:?}, engine {:?}",
            state,
            validate(defs, &state),
            engine.err()
        );
    }
}
