//! Categorical text columns as small integer codes while a dashboard is computed.
//!
//! Grouping a million rows by two text columns costs polars ~100 ms; by two `u32`
//! codes, a few. A loaded frame therefore carries each categorical column (a
//! column with declared categories) as the index of its value in the declared
//! order, which is also its display rank; labels come back only for the handful
//! of rows a chart draws. A column holding a value outside its declared
//! categories stays text, so nothing is ever relabelled or dropped.

use polars::prelude::*;

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
