//! Ordering aggregated groups: categories in their declared order (risk buckets
//! Low → Critical, not alphabetically), months chronologically, or by value.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use polars::prelude::*;

use super::cells::month_label;
use super::codes;
use crate::datasets::DatasetDef;
use crate::error::EngineError;
use crate::spec::{ChartSpec, SortOrder};

/// The rows of `grouped` in display order.
pub(super) fn order_groups(
    grouped: &DataFrame,
    chart: &ChartSpec,
    dataset: &DatasetDef,
) -> Result<DataFrame, EngineError> {
    let ranks = chart
        .dimensions
        .iter()
        .map(|d| dimension_ranks(grouped, d, dataset))
        .collect::<Result<Vec<_>, _>>()?;
    let by_dims = |a: usize, b: usize| {
        ranks
            .iter()
            .map(|r| r[a].total_cmp(&r[b]))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    };
    let mut indices: Vec<usize> = (0..grouped.height()).collect();
    match &chart.sort {
        Some(sort) if sort.by == "value" => {
            let values: Vec<f64> = grouped
                .column("m0")?
                .f64()?
                .iter()
                .map(|v| v.filter(|v| v.is_finite()).unwrap_or(f64::NAN))
                .collect();
            indices.sort_by(|&a, &b| {
                let (va, vb) = (values[a], values[b]);
                let primary = match (va.is_nan(), vb.is_nan()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    _ if sort.order == SortOrder::Desc => vb.total_cmp(&va),
                    _ => va.total_cmp(&vb),
                };
                primary.then_with(|| by_dims(a, b))
            });
        }
        Some(sort) if sort.order == SortOrder::Desc => indices.sort_by(|&a, &b| by_dims(b, a)),
        _ => indices.sort_by(|&a, &b| by_dims(a, b)),
    }
    let indices: Vec<IdxSize> = indices.into_iter().map(|i| i as IdxSize).collect();
    Ok(grouped.take(&IdxCa::from_vec("idx".into(), indices))?)
}

/// The first `limit` rows of `frame` ordered by `column` (nulls and NaN last, ties
/// in frame order). Numeric and date columns use an O(n) selection instead of a
/// full sort — a top-20 of a million rows should not sort a million rows.
pub(super) fn top_rows(
    frame: &DataFrame,
    column: &str,
    descending: bool,
    limit: usize,
) -> Result<DataFrame, EngineError> {
    let values = frame.column(column)?;
    if !(values.dtype().is_primitive_numeric() || values.dtype() == &DataType::Date) {
        let options = SortMultipleOptions::default()
            .with_order_descending(descending)
            .with_nulls_last(true)
            .with_maintain_order(true);
        return Ok(frame.sort([column], options)?.head(Some(limit)));
    }
    // Smaller score = earlier row; NaN and nulls score last.
    let scores = values.cast(&DataType::Float64)?;
    let scores = scores
        .f64()?
        .iter()
        .map(|v| match v.filter(|v| !v.is_nan()) {
            Some(v) if descending => -v,
            Some(v) => v,
            None => f64::INFINITY,
        });
    // One sequential pass keeping the best `limit` rows in a max-heap.
    let mut best: BinaryHeap<(Score, usize)> = BinaryHeap::with_capacity(limit + 1);
    for (index, score) in scores.enumerate() {
        let entry = (Score(score), index);
        if best.len() < limit {
            best.push(entry);
        } else if best.peek().is_some_and(|worst| entry < *worst) {
            best.pop();
            best.push(entry);
        }
    }
    let indices: Vec<usize> = best.into_sorted_vec().into_iter().map(|(_, i)| i).collect();
    let indices: Vec<IdxSize> = indices.into_iter().map(|i| i as IdxSize).collect();
    Ok(frame.take(&IdxCa::from_vec("idx".into(), indices))?)
}

/// An `f64` with a total order, for the heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Score(f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// A sortable rank per row: a category's declared position (unknown values after
/// the known ones, alphabetically), a month's day number; nulls last.
fn dimension_ranks(
    df: &DataFrame,
    name: &str,
    dataset: &DatasetDef,
) -> Result<Vec<f64>, EngineError> {
    let column = df.column(name)?;
    if column.dtype() == &DataType::UInt32 {
        // Categorical codes are the declared order already.
        return Ok(column
            .u32()?
            .iter()
            .map(|c| c.map_or(f64::INFINITY, f64::from))
            .collect());
    }
    if column.dtype() == &DataType::Date {
        return Ok(column
            .date()?
            .physical()
            .iter()
            .map(|d| d.map_or(f64::INFINITY, f64::from))
            .collect());
    }
    let strings = column.str()?;
    let categories = dataset.column(name).map(|c| c.categories).unwrap_or(&[]);
    let mut unknown: Vec<&str> = strings
        .iter()
        .flatten()
        .filter(|s| !categories.contains(s))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    Ok(strings
        .iter()
        .map(|value| {
            value
                .and_then(|s| {
                    categories
                        .iter()
                        .position(|c| *c == s)
                        .or_else(|| unknown.binary_search(&s).ok().map(|p| categories.len() + p))
                })
                .map_or(f64::INFINITY, |p| p as f64)
        })
        .collect())
}

/// `frame` with the named columns made readable: `Date` columns as `YYYY-MM`,
/// categorical codes as their labels.
pub(super) fn labelled(
    mut frame: DataFrame,
    columns: &[String],
    dataset: &DatasetDef,
) -> Result<DataFrame, EngineError> {
    for name in columns {
        let readable = label_column(frame.column(name)?, dataset, name)?;
        frame.with_column(readable)?;
    }
    Ok(frame)
}

/// A column holding values of the dataset column `name`, made readable (same
/// column name): months as `YYYY-MM`, codes as labels, anything else unchanged.
pub(super) fn label_column(
    column: &Column,
    dataset: &DatasetDef,
    name: &str,
) -> Result<Column, EngineError> {
    if column.dtype() == &DataType::Date {
        let labels: Vec<Option<String>> = column
            .date()?
            .physical()
            .iter()
            .map(|d| d.map(month_label))
            .collect();
        return Ok(Column::new(column.name().clone(), labels));
    }
    Ok(codes::decode(column, dataset, name)?.unwrap_or_else(|| column.clone()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};
    use crate::datasets::EXPOSURES;

    fn buckets() -> DataFrame {
        test_frame(vec![
            Column::new("risk_bucket".into(), ["Critical", "Low", "High", "Medium"]),
            Column::new("m0".into(), [1.0, 4.0, 2.0, 3.0]),
        ])
    }

    fn chart(sort: serde_json::Value) -> ChartSpec {
        test_chart(
            json!({"id": "c", "title": "C", "kind": "bar", "width": 6, "dataset": "exposures",
            "dimensions": ["risk_bucket"], "measures": [{"agg": "count"}], "sort": sort}),
        )
    }

    fn order_of(frame: &DataFrame) -> Vec<String> {
        let column = frame
            .column("risk_bucket")
            .expect("column")
            .str()
            .expect("text")
            .clone();
        column.iter().flatten().map(String::from).collect()
    }

    #[test]
    fn categories_keep_their_declared_order_not_the_alphabet() {
        let ordered =
            order_groups(&buckets(), &chart(serde_json::Value::Null), &EXPOSURES).expect("ordered");
        assert_eq!(order_of(&ordered), ["Low", "Medium", "High", "Critical"]);
    }

    #[test]
    fn value_sorting_puts_the_largest_first_when_descending() {
        let ordered = order_groups(
            &buckets(),
            &chart(json!({"by": "value", "order": "desc"})),
            &EXPOSURES,
        )
        .expect("ordered");
        assert_eq!(order_of(&ordered), ["Low", "Medium", "High", "Critical"]);
        let ordered =
            order_groups(&buckets(), &chart(json!({"by": "value"})), &EXPOSURES).expect("ordered");
        assert_eq!(order_of(&ordered), ["Critical", "High", "Medium", "Low"]);
    }

    #[test]
    fn top_rows_select_the_largest_in_order_with_ties_in_frame_order() {
        let frame = test_frame(vec![
            Column::new("id".into(), ["a", "b", "c", "d", "e"]),
            Column::new(
                "v".into(),
                [Some(3.0), None, Some(5.0), Some(3.0), Some(1.0)],
            ),
        ]);
        let ids = |f: &DataFrame| -> Vec<String> {
            f.column("id")
                .expect("id")
                .str()
                .expect("text")
                .iter()
                .flatten()
                .map(String::from)
                .collect()
        };
        assert_eq!(
            ids(&top_rows(&frame, "v", true, 3).expect("top")),
            ["c", "a", "d"]
        );
        assert_eq!(
            ids(&top_rows(&frame, "v", false, 10).expect("top")),
            ["e", "a", "d", "c", "b"]
        );
        assert_eq!(
            ids(&top_rows(&frame, "id", true, 2).expect("top")),
            ["e", "d"]
        );
    }

    #[test]
    fn month_columns_become_year_month_labels() {
        let days = [19_723, 19_754]; // 2024-01-01, 2024-02-01
        let frame = test_frame(vec![Int32Chunked::from_vec(
            "earn_month".into(),
            days.to_vec(),
        )
        .into_date()
        .into_series()
        .into()]);
        let labelled = labelled(frame, &["earn_month".to_string()], &EXPOSURES).expect("labelled");
        let labels: Vec<&str> = labelled
            .column("earn_month")
            .expect("col")
            .str()
            .expect("text")
            .iter()
            .flatten()
            .collect();
        assert_eq!(labels, ["2024-01", "2024-02"]);
    }
}
