//! Polars queries over one tenant's Parquet files.
//!
//! A scan only ever opens `DatasetDef::path(data_dir, tenant_id)` — a path built
//! from the tenant's `Uuid` and a static dataset name. Filters become predicates
//! (`is_in`, range comparisons) pushed down into the scan, and only the columns a
//! chart needs are read. Everything here is blocking: call it from a thread pool,
//! never from a single-threaded async runtime.

mod aggregate;
mod cells;
mod codes;
mod dense;
mod grouping;
mod kpi;
mod order;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use kyros_common::api::dashboards::{ChartKind, FilterKind};
use polars::prelude::*;

pub(crate) use aggregate::chart_frame;
pub(crate) use cells::{date_from_days, frame_rows};

use crate::datasets::{ColumnType, DatasetDef};
use crate::error::EngineError;
use crate::filters::{Filters, Selection};
use crate::spec::{ChartSpec, DashboardSpec};
use crate::thresholds::Thresholds;

/// Days between 1970-01-01 and `date` (the physical value of a polars `Date`).
pub fn days_since_epoch(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((date - epoch).num_days()).unwrap_or(i32::MAX)
}

/// A lazy scan of the file, or `None` when the tenant has no such file.
pub(crate) fn scan(path: &Path) -> Result<Option<LazyFrame>, EngineError> {
    if !path.is_file() {
        return Ok(None);
    }
    let source = PlRefPath::try_from_path(path)?;
    Ok(Some(LazyFrame::scan_parquet(
        source,
        ScanArgsParquet::default(),
    )?))
}

/// The conjunction of every filter that applies to `dataset`, if any, over the
/// file's own columns (categories as text).
pub(crate) fn filter_predicate(
    spec: &DashboardSpec,
    filters: &Filters,
    dataset: &DatasetDef,
) -> Result<Option<Expr>, EngineError> {
    predicate_over(spec, filters, dataset, |_| false)
}

/// Like [`filter_predicate`], over a frame where the columns for which `encoded` is
/// true carry category codes (see `codes`): their selections compare codes.
fn predicate_over(
    spec: &DashboardSpec,
    filters: &Filters,
    dataset: &DatasetDef,
    encoded: impl Fn(&str) -> bool,
) -> Result<Option<Expr>, EngineError> {
    let mut predicate: Option<Expr> = None;
    for (field, selection) in filters.selections() {
        let filter = spec.filter(field).ok_or_else(|| {
            EngineError::BadRequest(format!(
                "filter {field:?} does not belong to this dashboard"
            ))
        })?;
        let matches_kind = matches!(
            (filter.kind, selection),
            (FilterKind::MultiSelect, Selection::Values(_))
                | (FilterKind::DateRange, Selection::Dates { .. })
                | (FilterKind::NumberRange, Selection::Numbers { .. })
        );
        if !matches_kind {
            return Err(EngineError::BadRequest(format!(
                "filter {field:?} does not match this dashboard"
            )));
        }
        let Some((_, column)) = spec
            .filter_targets(filter)
            .into_iter()
            .find(|(d, _)| d.name == dataset.name)
        else {
            continue;
        };
        let categories = dataset
            .column(column)
            .map(|d| d.categories)
            .filter(|c| !c.is_empty() && encoded(column));
        if let Some(expr) = selection_expr(column, selection, categories) {
            predicate = Some(match predicate {
                Some(acc) => acc.and(expr),
                None => expr,
            });
        }
    }
    Ok(predicate)
}

/// One selection as a predicate; `categories` is set when the column holds codes.
fn selection_expr(
    column: &str,
    selection: &Selection,
    categories: Option<&[&str]>,
) -> Option<Expr> {
    let range = |from: Option<Expr>, to: Option<Expr>| -> Option<Expr> {
        let lower = from.map(|f| col(column).gt_eq(f));
        let upper = to.map(|t| col(column).lt_eq(t));
        match (lower, upper) {
            (Some(l), Some(u)) => Some(l.and(u)),
            (l, u) => l.or(u),
        }
    };
    match selection {
        Selection::Values(values) => {
            let options = match categories {
                // A value outside the declared categories matches no row of a coded
                // column (a column holding such a value is never coded).
                Some(categories) => {
                    let codes: Vec<u32> = values
                        .iter()
                        .filter_map(|v| categories.iter().position(|c| c == v))
                        .filter_map(|p| u32::try_from(p).ok())
                        .collect();
                    Series::new("options".into(), codes)
                }
                None => Series::new("options".into(), values.as_slice()),
            };
            Some(col(column).is_in(lit(options).implode(false), false))
        }
        Selection::Dates { from, to } => {
            let date = |d: &NaiveDate| lit(days_since_epoch(*d)).cast(DataType::Date);
            range(from.as_ref().map(date), to.as_ref().map(date))
        }
        Selection::Numbers { from, to } => range(from.map(lit), to.map(lit)),
    }
}

/// The threshold `name`: the tenant's value, else the spec's default.
pub(crate) fn threshold(
    spec: &DashboardSpec,
    thresholds: &Thresholds,
    name: &str,
) -> Result<f64, EngineError> {
    thresholds
        .get(name)
        .or_else(|| spec.thresholds().get(name).copied())
        .ok_or_else(|| EngineError::BadRequest(format!("unknown threshold {name:?}")))
}

/// The chart's own row condition (`only_above`), if any.
pub(crate) fn chart_predicate(
    spec: &DashboardSpec,
    chart: &ChartSpec,
    thresholds: &Thresholds,
) -> Result<Option<Expr>, EngineError> {
    chart
        .only_above
        .as_ref()
        .map(|c| Ok(col(c.column.as_str()).gt_eq(lit(threshold(spec, thresholds, &c.threshold)?))))
        .transpose()
}

/// Every column a chart reads.
pub(crate) fn chart_columns(chart: &ChartSpec) -> BTreeSet<&str> {
    let mut columns: BTreeSet<&str> = chart.dimensions.iter().map(String::as_str).collect();
    columns.extend(chart.measures.iter().filter_map(|m| m.column.as_deref()));
    columns.extend(chart.columns.iter().map(String::as_str));
    if let Some(condition) = &chart.only_above {
        columns.insert(condition.column.as_str());
    }
    columns
}

/// The expressions selecting `columns`, or the cheapest column when there is none
/// (a frame with no column has no rows, and row counts must stay right).
fn projection(dataset: &DatasetDef, columns: &BTreeSet<&str>) -> Vec<Expr> {
    let mut wanted: Vec<Expr> = columns.iter().map(|c| col(*c)).collect();
    if wanted.is_empty() {
        let cheapest = dataset
            .columns
            .iter()
            .find(|c| c.ty == ColumnType::Month)
            .or(dataset.columns.first())
            .map(|c| c.name)
            .unwrap_or("tenant_id");
        wanted.push(col(cheapest));
    }
    wanted
}

/// Scans `dataset` for the tenant with the dashboard's filters applied, reading
/// only `columns`. `None` when the tenant has no file for the dataset.
pub(crate) fn load_filtered(
    path: &Path,
    spec: &DashboardSpec,
    filters: &Filters,
    dataset: &DatasetDef,
    columns: &BTreeSet<&str>,
) -> Result<Option<DataFrame>, EngineError> {
    let Some(mut lf) = scan(path)? else {
        return Ok(None);
    };
    if let Some(predicate) = filter_predicate(spec, filters, dataset)? {
        lf = lf.filter(predicate);
    }
    let frame = lf.select(projection(dataset, columns)).collect()?;
    Ok(Some(codes::encode(frame, dataset)?))
}

/// The whole file, categories coded, for keeping in memory; `None` without a file.
pub(crate) fn load_all(
    path: &Path,
    dataset: &DatasetDef,
) -> Result<Option<DataFrame>, EngineError> {
    let Some(lf) = scan(path)? else {
        return Ok(None);
    };
    let mut frame = codes::encode(lf.collect()?, dataset)?;
    // One chunk per column: later queries over the resident frame would otherwise
    // concatenate the file's row groups again on every computation.
    frame.rechunk_mut_par();
    Ok(Some(codes::with_identifier_ranks(frame, dataset)?))
}

/// A resident whole-dataset `frame` (from [`load_all`]) with the dashboard's filters
/// applied, keeping only `columns`. Unfiltered, nothing is copied.
pub(crate) fn restrict(
    frame: &DataFrame,
    spec: &DashboardSpec,
    filters: &Filters,
    dataset: &DatasetDef,
    columns: &BTreeSet<&str>,
) -> Result<DataFrame, EngineError> {
    let coded = |column: &str| {
        frame
            .column(column)
            .is_ok_and(|c| c.dtype() == &DataType::UInt32)
    };
    let mut lf = frame.clone().lazy();
    if let Some(predicate) = predicate_over(spec, filters, dataset, coded)? {
        lf = lf.filter(predicate);
    }
    let mut wanted = projection(dataset, columns);
    for column in columns {
        let ranks = codes::identifier_codes_name(column);
        if frame.column(&ranks).is_ok() {
            wanted.push(col(ranks.as_str()));
        }
    }
    Ok(lf.select(wanted).collect()?)
}

/// Whether a chart kind aggregates into groups (as opposed to raw values/rows).
pub(crate) fn is_aggregated(chart: &ChartSpec) -> bool {
    match chart.kind {
        ChartKind::Scatter | ChartKind::Histogram => false,
        ChartKind::Table => chart.columns.is_empty(),
        _ => true,
    }
}
