//! Ordering aggregated groups: categories in their declared order (risk buckets
//! Low → Critical, not alphabetically), months chronologically, or by value.

use std::cmp::Ordering;

use polars::prelude::*;

use super::cells::month_label;
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

/// A sortable rank per row: a category's declared position (unknown values after
/// the known ones, alphabetically), a month's day number; nulls last.
fn dimension_ranks(
    df: &DataFrame,
    name: &str,
    dataset: &DatasetDef,
) -> Result<Vec<f64>, EngineError> {
    let column = df.column(name)?;
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

/// `frame` with each named `Date` column replaced by `YYYY-MM` labels.
pub(super) fn labelled(mut frame: DataFrame, columns: &[String]) -> Result<DataFrame, EngineError> {
    for name in columns {
        let column = frame.column(name)?;
        if column.dtype() != &DataType::Date {
            continue;
        }
        let labels: Vec<Option<String>> = column
            .date()?
            .physical()
            .iter()
            .map(|d| d.map(month_label))
            .collect();
        frame.with_column(Column::new(name.as_str().into(), labels))?;
    }
    Ok(frame)
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
    fn month_columns_become_year_month_labels() {
        let days = [19_723, 19_754]; // 2024-01-01, 2024-02-01
        let frame = test_frame(vec![Int32Chunked::from_vec(
            "earn_month".into(),
            days.to_vec(),
        )
        .into_date()
        .into_series()
        .into()]);
        let labelled = labelled(frame, &["earn_month".to_string()]).expect("labelled");
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
