//! KPI frames: every measure over all rows, plus the row count (so "no rows" can
//! be told apart from a zero).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use polars::prelude::*;

use super::codes;
use crate::datasets::{ColumnType, DatasetDef};
use crate::error::EngineError;
use crate::spec::{Aggregation, ChartSpec};

/// `m0…` and `rows` in one row.
pub(super) fn kpi_frame(
    chart: &ChartSpec,
    dataset: &DatasetDef,
    source: DataFrame,
    mut measures: Vec<Expr>,
) -> Result<DataFrame, EngineError> {
    if let Some(column) = distinct_text_column(chart, dataset) {
        let distinct = match source.column(&codes::identifier_codes_name(column)) {
            Ok(ranks) => codes::distinct_codes(ranks)?,
            Err(_) => distinct_count(source.column(column)?)?,
        };
        return Ok(DataFrame::new(
            1,
            vec![
                Column::new("m0".into(), [distinct]),
                Column::new("rows".into(), [source.height() as f64]),
            ],
        )?);
    }
    measures.push(len().cast(DataType::Float64).alias("rows"));
    Ok(source.lazy().select(measures).collect()?)
}

/// The column of a lone `count_distinct` over free text (ids): counted here
/// rather than by polars, whose string `n_unique` is several times slower.
fn distinct_text_column<'a>(chart: &'a ChartSpec, dataset: &DatasetDef) -> Option<&'a str> {
    let [measure] = chart.measures.as_slice() else {
        return None;
    };
    if measure.agg != Some(Aggregation::CountDistinct) {
        return None;
    }
    let column = measure.column.as_deref()?;
    let def = dataset.column(column)?;
    (def.ty == ColumnType::Text && def.categories.is_empty()).then_some(column)
}

/// The number of distinct non-null strings.
///
/// Each string is reduced to a 128-bit hash and the hashes are counted: a set of
/// `u128` stays small and cache-friendly where a set of `&str` chases a pointer per
/// probe. Two different ids would have to share all 128 bits to be miscounted
/// (odds around 1e-27 for a million ids), so the count is exact in practice.
fn distinct_count(column: &Column) -> Result<f64, EngineError> {
    let values = column.str()?;
    let mut seen: HashSet<u128, BuildHasherDefault<FoldHasher>> =
        HashSet::with_capacity_and_hasher(values.len() / 2, BuildHasherDefault::default());
    seen.extend(values.iter().flatten().map(|v| hash128(v.as_bytes())));
    Ok(seen.len() as f64)
}

/// Two independent 64-bit multiply-rotate hashes over 8-byte words, finished with
/// SplitMix64 rounds.
pub(super) fn hash128(bytes: &[u8]) -> u128 {
    let (mut a, mut b) = (
        0x9e37_79b9_7f4a_7c15_u64,
        0xc2b2_ae3d_27d4_eb4f_u64 ^ bytes.len() as u64,
    );
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        a = (a ^ w).wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(31);
        b = (b ^ w).wrapping_mul(0xc4ce_b9fe_1a85_ec53).rotate_left(27);
    }
    (u128::from(splitmix(a)) << 64) | u128::from(splitmix(b ^ a))
}

fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The set's own hasher: the keys are already well-mixed hashes, so fold them.
#[derive(Default)]
pub(super) struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }

    fn write_u128(&mut self, value: u128) {
        self.0 ^= (value as u64) ^ ((value >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_short_strings_hash_differently() {
        let hashes: HashSet<u128> = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "a\0",
            "A-000001",
            "A-000002",
            "A-0000010",
        ]
        .iter()
        .map(|s| hash128(s.as_bytes()))
        .collect();
        assert_eq!(hashes.len(), 9);
    }

    #[test]
    fn distinct_counting_ignores_nulls_and_repeats() {
        let column = Column::new(
            "id".into(),
            [Some("a"), Some("b"), None, Some("a"), Some("")],
        );
        assert_eq!(distinct_count(&column).expect("count"), 3.0);
    }
}
