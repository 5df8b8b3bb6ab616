//! Categorical text columns as small integer codes while a dashboard is computed.
//!
//! Grouping a million rows by two text columns costs polars ~100 ms; by two `u32`
//! codes, a few. A loaded frame therefore carries each categorical column (a
//! column with declared categories) as the index of its value in the declared
//! order, which is also its display rank; labels come back only for the handful
//! of rows a chart draws. A column holding a value outside its declared
//! categories stays text, so nothing is ever relabelled or dropped.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use polars::prelude::*;

use super::kpi::{hash128, FoldHasher};
use crate::datasets::DatasetDef;
use crate::error::EngineError;

/// `frame` with every categorical text column replaced by its `UInt32` codes.
pub(super) fn encode(mut frame: DataFrame, dataset: &DatasetDef) -> Result<DataFrame, EngineError> {
    let names: Vec<String> = frame
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().to_string())
        .collect();
    for name in names {
        let Some(def) = dataset.column(&name).filter(|d| !d.categories.is_empty()) else {
            continue;
        };
        let codes: Option<Vec<Option<u32>>> = frame
            .column(&name)?
            .str()?
            .iter()
            .map(|value| match value {
                None => Some(None),
                Some(v) => def
                    .categories
                    .iter()
                    .position(|c| *c == v)
                    .and_then(|p| u32::try_from(p).ok())
                    .map(Some),
            })
            .collect();
        if let Some(codes) = codes {
            frame.with_column(Column::new(name.as_str().into(), codes))?;
        }
    }
    Ok(frame)
}

/// The name of the hidden column holding the ranks of identifier column `name`.
pub(crate) fn identifier_codes_name(name: &str) -> String {
    format!("{name}#ranks")
}

/// `frame` plus, for each identifier column of the dataset (customer and account ids),
/// a hidden `UInt32` column of ranks: equal ids share a rank, ranks are dense from 0
/// in order of first appearance, nulls stay null. Done once when a tenant's data is
/// made resident, so that counting distinct ids of any filtered subset is a pass over
/// a bitmap instead of hashing a million strings.
pub(super) fn with_identifier_ranks(
    mut frame: DataFrame,
    dataset: &DatasetDef,
) -> Result<DataFrame, EngineError> {
    for def in dataset.columns.iter().filter(|c| c.identifier) {
        let Ok(column) = frame.column(def.name) else {
            continue;
        };
        let values = column.str()?;
        let mut ranks: HashMap<u128, u32, BuildHasherDefault<FoldHasher>> =
            HashMap::with_capacity_and_hasher(values.len(), BuildHasherDefault::default());
        let mut overflow = false;
        let coded: Vec<Option<u32>> = values
            .iter()
            .map(|v| {
                v.map(|v| {
                    let next = u32::try_from(ranks.len()).unwrap_or_else(|_| {
                        overflow = true;
                        u32::MAX
                    });
                    *ranks.entry(hash128(v.as_bytes())).or_insert(next)
                })
            })
            .collect();
        if !overflow {
            let name = identifier_codes_name(def.name);
            frame.with_column(Column::new(name.as_str().into(), coded))?;
        }
    }
    Ok(frame)
}

/// The number of distinct non-null ranks (see [`with_identifier_ranks`]).
pub(super) fn distinct_codes(ranks: &Column) -> Result<f64, EngineError> {
    let ranks = ranks.u32()?;
    let Some(max) = ranks.max() else {
        return Ok(0.0);
    };
    let mut seen = vec![0u64; max as usize / 64 + 1];
    for rank in ranks.iter().flatten() {
        seen[rank as usize / 64] |= 1 << (rank % 64);
    }
    Ok(seen.iter().map(|w| f64::from(w.count_ones())).sum())
}

/// Labels of a code column of the dataset column `name` (nulls stay null).
pub(super) fn decode(
    column: &Column,
    dataset: &DatasetDef,
    name: &str,
) -> Result<Option<Column>, EngineError> {
    let Some(def) = dataset.column(name).filter(|d| !d.categories.is_empty()) else {
        return Ok(None);
    };
    if column.dtype() != &DataType::UInt32 {
        return Ok(None);
    }
    let labels: Vec<Option<&str>> = column
        .u32()?
        .iter()
        .map(|code| code.and_then(|c| def.categories.get(c as usize).copied()))
        .collect();
    Ok(Some(Column::new(column.name().clone(), labels)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_frame;
    use crate::datasets::EXPOSURES;

    #[test]
    fn identifier_ranks_count_distinct_ids_of_any_subset() {
        let ids = [
            Some("A-1"),
            Some("A-2"),
            Some("A-1"),
            None,
            Some("A-3"),
            Some("A-2"),
        ];
        let frame = test_frame(vec![Column::new("account_id".into(), ids)]);
        let ranked = with_identifier_ranks(frame, &EXPOSURES).expect("ranked");
        let ranks = ranked
            .column(&identifier_codes_name("account_id"))
            .expect("ranks column");
        let as_vec: Vec<Option<u32>> = ranks.u32().expect("u32").iter().collect();
        assert_eq!(as_vec, [Some(0), Some(1), Some(0), None, Some(2), Some(1)]);
        assert_eq!(distinct_codes(ranks).expect("count"), 3.0);
        // A subset (as after a filter): rows 2..4 hold.
        assert_eq!(distinct_codes(&ranks.slice(2, 3)).expect("count"), 2.0);
        assert_eq!(distinct_codes(&ranks.slice(3, 1)).expect("count"), 0.0);
    }

    #[test]
    fn categories_round_trip_through_their_codes() {
        let frame = test_frame(vec![
            Column::new(
                "risk_bucket".into(),
                [Some("Critical"), Some("Low"), None, Some("High")],
            ),
            Column::new(
                "region".into(),
                [Some("EMEA"), Some("Atlantis"), None, Some("APAC")],
            ),
            Column::new("account_id".into(), ["a", "b", "c", "d"]),
        ]);
        let encoded = encode(frame, &EXPOSURES).expect("encoded");
        let codes: Vec<Option<u32>> = encoded
            .column("risk_bucket")
            .expect("col")
            .u32()
            .expect("u32")
            .iter()
            .collect();
        assert_eq!(codes, [Some(3), Some(0), None, Some(2)]);
        for text in ["account_id", "region"] {
            assert_eq!(
                encoded.column(text).expect("col").dtype(),
                &DataType::String,
                "{text} must stay text (free text, or an undeclared category)"
            );
        }
        let labels = decode(
            encoded.column("risk_bucket").expect("col"),
            &EXPOSURES,
            "risk_bucket",
        )
        .expect("decoded")
        .expect("categorical");
        let labels: Vec<Option<&str>> = labels.str().expect("text").iter().collect();
        assert_eq!(labels, [Some("Critical"), Some("Low"), None, Some("High")]);
    }
}
