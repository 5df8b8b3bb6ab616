//! Reading chart frames: labels, numbers, and pivoting `(x, series) → value`.

use polars::prelude::*;

use crate::error::EngineError;

/// A text column as labels (nulls shown as "(none)").
pub(super) fn labels(frame: &DataFrame, name: &str) -> Result<Vec<String>, EngineError> {
    let column = frame.column(name)?.cast(&DataType::String)?;
    Ok(column
        .str()?
        .iter()
        .map(|s| s.unwrap_or("(none)").to_string())
        .collect())
}

/// A numeric column as floats (nulls and non-finite values as `None`).
pub(super) fn numbers(frame: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, EngineError> {
    let column = frame.column(name)?.cast(&DataType::Float64)?;
    Ok(column
        .f64()?
        .iter()
        .map(|v| v.filter(|v| v.is_finite()).map(super::tidy))
        .collect())
}

/// Distinct values in order of first appearance.
pub(super) fn distinct(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// Sorts labels into display order: values of a categorical column in their
/// declared order (Low, Medium, High, Critical), anything else (months) as text.
pub(super) fn sort_categories(labels: &mut [String]) {
    let rank = |label: &str| {
        crate::datasets::DATASETS
            .iter()
            .flat_map(|d| d.columns.iter())
            .find_map(|c| c.categories.iter().position(|v| *v == label))
            .unwrap_or(usize::MAX)
    };
    labels.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
}

/// A long frame `(x, series, value)` as a matrix: `matrix[s][x]`, `None` where a
/// combination has no row. Category orders follow the frame's row order.
pub(super) struct Pivot {
    pub x: Vec<String>,
    pub series: Vec<String>,
    pub matrix: Vec<Vec<Option<f64>>>,
}

pub(super) fn pivot(
    frame: &DataFrame,
    x_col: &str,
    series_col: &str,
    value_col: &str,
) -> Result<Pivot, EngineError> {
    let xs = labels(frame, x_col)?;
    let ss = labels(frame, series_col)?;
    let values = numbers(frame, value_col)?;
    let x = distinct(&xs);
    let mut series = distinct(&ss);
    sort_categories(&mut series);
    let mut matrix = vec![vec![None; x.len()]; series.len()];
    for ((xv, sv), value) in xs.iter().zip(&ss).zip(values) {
        let (Some(xi), Some(si)) = (
            x.iter().position(|v| v == xv),
            series.iter().position(|v| v == sv),
        ) else {
            continue;
        };
        matrix[si][xi] = value;
    }
    Ok(Pivot { x, series, matrix })
}
