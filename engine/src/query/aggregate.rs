//! From a filtered source to the small frame one chart draws.
//!
//! Output shapes (what the chart builders read):
//! - aggregated kinds: one String column per dimension (months as `YYYY-MM`), then
//!   `m0`, `m1`, … (Float64), ordered and limited as the spec says; a KPI adds
//!   `rows` (the number of rows aggregated);
//! - histogram: `bin_start`, `bin_end`, `count`;
//! - scatter: `x`, `y` and, with a dimension, `series`;
//! - row table: the listed columns (months as `YYYY-MM`), sorted and limited.

use kyros_common::api::dashboards::ChartKind;
use polars::prelude::*;

use super::dense::{dense_group, each_value, DenseAgg, DenseMeasure};
use super::grouping::group;
use super::kpi::kpi_frame;
use super::order::{label_column, labelled, order_groups, top_rows};
use super::{chart_predicate, is_aggregated, threshold};
use crate::datasets::DatasetDef;
use crate::error::EngineError;
use crate::spec::{
    Aggregation, ChartSpec, DashboardSpec, MeasureSpec, SortOrder, MAX_LIMIT, MAX_SAMPLE,
};
use crate::thresholds::Thresholds;

const DEFAULT_BINS: usize = 20;
const DEFAULT_SAMPLE: usize = 1000;
const DEFAULT_TABLE_ROWS: usize = 20;

/// The frame `chart` draws, from `source` (already restricted by the dashboard's filters).
pub(crate) fn chart_frame(
    spec: &DashboardSpec,
    chart: &ChartSpec,
    dataset: &DatasetDef,
    source: LazyFrame,
    thresholds: &Thresholds,
) -> Result<DataFrame, EngineError> {
    let source = match chart_predicate(spec, chart, thresholds)? {
        Some(predicate) => source.filter(predicate),
        None => source,
    };
    if is_aggregated(chart) {
        return aggregated(spec, chart, dataset, source, thresholds);
    }
    match chart.kind {
        ChartKind::Histogram => histogram(chart, source),
        ChartKind::Scatter => scatter(chart, dataset, source),
        _ => row_table(chart, dataset, source),
    }
}

fn measure_expr(
    spec: &DashboardSpec,
    measure: &MeasureSpec,
    thresholds: &Thresholds,
) -> Result<Expr, EngineError> {
    let column = || col(measure.column.as_deref().unwrap_or_default());
    let numeric = || column().cast(DataType::Float64);
    let expr = match measure.agg {
        Some(Aggregation::Sum) => numeric().sum(),
        Some(Aggregation::Avg) => numeric().mean(),
        Some(Aggregation::Min) => numeric().min(),
        Some(Aggregation::Max) => numeric().max(),
        Some(Aggregation::Count) => len().cast(DataType::Float64),
        Some(Aggregation::CountDistinct) => {
            column().drop_nulls().n_unique().cast(DataType::Float64)
        }
        Some(Aggregation::ShareAbove) => {
            let name = measure.threshold.as_deref().unwrap_or_default();
            let value = threshold(spec, thresholds, name)?;
            numeric().gt_eq(lit(value)).cast(DataType::Float64).mean()
        }
        None => numeric(),
    };
    Ok(expr)
}

/// The chart's measures for the dense path, if every one of them has a dense form.
fn dense_measures(
    spec: &DashboardSpec,
    chart: &ChartSpec,
    thresholds: &Thresholds,
) -> Result<Option<Vec<DenseMeasure>>, EngineError> {
    let mut out = Vec::with_capacity(chart.measures.len());
    for measure in &chart.measures {
        let agg = match measure.agg {
            Some(Aggregation::Sum) => DenseAgg::Sum,
            Some(Aggregation::Avg) => DenseAgg::Avg,
            Some(Aggregation::Min) => DenseAgg::Min,
            Some(Aggregation::Max) => DenseAgg::Max,
            Some(Aggregation::Count) => DenseAgg::Count,
            Some(Aggregation::ShareAbove) => {
                let name = measure.threshold.as_deref().unwrap_or_default();
                DenseAgg::ShareAbove(threshold(spec, thresholds, name)?)
            }
            Some(Aggregation::CountDistinct) | None => return Ok(None),
        };
        let column = match agg {
            DenseAgg::Count => None,
            _ => Some(measure.column.clone().unwrap_or_default()),
        };
        out.push(DenseMeasure { agg, column });
    }
    Ok(Some(out))
}

fn aggregated(
    spec: &DashboardSpec,
    chart: &ChartSpec,
    dataset: &DatasetDef,
    source: LazyFrame,
    thresholds: &Thresholds,
) -> Result<DataFrame, EngineError> {
    // The source is in memory: collecting it only applies the chart's own predicate.
    let frame = source.collect()?;
    let is_kpi = chart.dimensions.is_empty();
    let dense = match dense_measures(spec, chart, thresholds)? {
        Some(measures) => dense_group(&frame, &chart.dimensions, &measures, is_kpi)?,
        None => None,
    };
    let grouped = match dense {
        Some(frame) if is_kpi => return Ok(frame),
        Some(frame) => frame,
        None => {
            let mut measures = Vec::with_capacity(chart.measures.len());
            for (i, measure) in chart.measures.iter().enumerate() {
                measures.push(measure_expr(spec, measure, thresholds)?.alias(format!("m{i}")));
            }
            if is_kpi {
                return kpi_frame(chart, dataset, frame, measures);
            }
            group(frame.lazy(), &chart.dimensions, measures)?
        }
    };
    let ordered = order_groups(&grouped, chart, dataset)?;
    let limit = match chart.kind {
        ChartKind::Bar | ChartKind::Pie | ChartKind::Table => chart.limit.unwrap_or(MAX_LIMIT),
        _ => usize::MAX,
    };
    let limited = if ordered.height() > limit {
        ordered.head(Some(limit))
    } else {
        ordered
    };
    labelled(limited, &chart.dimensions, dataset)
}

fn histogram(chart: &ChartSpec, source: LazyFrame) -> Result<DataFrame, EngineError> {
    let column = chart
        .measures
        .first()
        .and_then(|m| m.column.as_deref())
        .unwrap_or_default();
    let values = source
        .select([col(column).cast(DataType::Float64).alias("v")])
        .collect()?;
    let values = values.column("v")?.f64()?;
    let (mut finite, mut min, mut max) = (0usize, f64::INFINITY, f64::NEG_INFINITY);
    each_value(values, |_, v| {
        if v.is_finite() {
            finite += 1;
            min = min.min(v);
            max = max.max(v);
        }
    });
    if finite == 0 {
        return Ok(DataFrame::empty());
    }
    let bins = chart.bins.unwrap_or(DEFAULT_BINS).max(1);
    let (mut lo, mut hi) = match chart.range {
        Some([lo, hi]) => (lo, hi),
        None => (min, max),
    };
    if hi <= lo {
        lo -= 0.5;
        hi += 0.5;
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0.0f64; bins];
    each_value(values, |_, v| {
        if v.is_finite() {
            let bin = (((v - lo) / width).floor().max(0.0) as usize).min(bins - 1);
            counts[bin] += 1.0;
        }
    });
    let starts: Vec<f64> = (0..bins).map(|i| lo + width * i as f64).collect();
    let ends: Vec<f64> = (0..bins).map(|i| lo + width * (i + 1) as f64).collect();
    Ok(DataFrame::new(
        bins,
        vec![
            Column::new("bin_start".into(), starts),
            Column::new("bin_end".into(), ends),
            Column::new("count".into(), counts),
        ],
    )?)
}

fn scatter(
    chart: &ChartSpec,
    dataset: &DatasetDef,
    source: LazyFrame,
) -> Result<DataFrame, EngineError> {
    let measure = |i: usize| {
        chart
            .measures
            .get(i)
            .and_then(|m| m.column.as_deref())
            .unwrap_or_default()
    };
    let mut columns = vec![
        col(measure(0)).cast(DataType::Float64).alias("x"),
        col(measure(1)).cast(DataType::Float64).alias("y"),
    ];
    if let Some(dim) = chart.dimensions.first() {
        columns.push(col(dim.as_str()).alias("series"));
    }
    let names: Vec<&str> = if chart.dimensions.is_empty() {
        vec!["x", "y"]
    } else {
        vec!["x", "y", "series"]
    };
    let points = source.select(columns).drop_nulls(None);
    let count = points.clone().select([len().alias("n")]).collect()?;
    let rows = count.column("n")?.get(0)?.extract::<u64>().unwrap_or(0) as usize;
    let sample = chart.sample.unwrap_or(DEFAULT_SAMPLE).clamp(1, MAX_SAMPLE);
    // A deterministic, evenly spread sample: every `step`-th point.
    let step = rows.div_ceil(sample).max(1);
    let every: Vec<Expr> = names
        .iter()
        .map(|n| col(*n).gather_every(step, 0))
        .collect();
    let mut sampled = points.select(every).limit(sample as IdxSize).collect()?;
    if let Some(dim) = chart.dimensions.first() {
        let series = label_column(sampled.column("series")?, dataset, dim)?;
        sampled.with_column(series)?;
    }
    Ok(sampled)
}

fn row_table(
    chart: &ChartSpec,
    dataset: &DatasetDef,
    source: LazyFrame,
) -> Result<DataFrame, EngineError> {
    let columns: Vec<Expr> = chart.columns.iter().map(|c| col(c.as_str())).collect();
    let limit = chart.limit.unwrap_or(DEFAULT_TABLE_ROWS).min(MAX_LIMIT);
    let frame = match &chart.sort {
        Some(sort) => {
            let all = source.select(columns).collect()?;
            top_rows(&all, &sort.by, sort.order == SortOrder::Desc, limit)?
        }
        None => source.select(columns).limit(limit as IdxSize).collect()?,
    };
    labelled(frame, &chart.columns, dataset)
}
