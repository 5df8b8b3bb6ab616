//! What each chart kind needs (dimension and measure counts, raw or aggregated
//! values) and which options it allows, each bounded.

use kyros_common::api::dashboards::ChartKind;

use super::chart_rules::{check_threshold, unknown_column};
use super::model::{ChartSpec, SpecDocument};
use super::SpecError;
use crate::datasets::DatasetDef;

/// Most rows or groups a chart may ask for.
pub const MAX_LIMIT: usize = 1000;
/// Most points a scatter chart may draw.
pub const MAX_SAMPLE: usize = 5000;
pub const MAX_BINS: usize = 200;
const MAX_MEASURES: usize = 5;
const MAX_TABLE_COLUMNS: usize = 20;

/// The dimension and measure counts each kind needs, and whether measures aggregate.
pub(super) fn validate_shape(path: &str, chart: &ChartSpec) -> Result<(), SpecError> {
    let dims = chart.dimensions.len();
    let measures = chart.measures.len();
    let raw_table = chart.kind == ChartKind::Table && !chart.columns.is_empty();
    let (dim_range, measure_range, aggregated): ((usize, usize), (usize, usize), bool) =
        match chart.kind {
            ChartKind::Kpi => ((0, 0), (1, 1), true),
            ChartKind::Bar => ((1, 1), (1, MAX_MEASURES), true),
            ChartKind::StackedBar | ChartKind::Heatmap => ((2, 2), (1, 1), true),
            ChartKind::Line | ChartKind::Area if dims == 2 => ((2, 2), (1, 1), true),
            ChartKind::Line | ChartKind::Area => ((1, 2), (1, MAX_MEASURES), true),
            ChartKind::Pie => ((1, 1), (1, 1), true),
            ChartKind::Scatter => ((0, 1), (2, 2), false),
            ChartKind::Histogram => ((0, 0), (1, 1), false),
            ChartKind::Table if raw_table => ((0, 0), (0, 0), false),
            ChartKind::Table => ((1, 2), (1, MAX_MEASURES), true),
        };
    let kind = format!("{:?}", chart.kind).to_lowercase();
    if dims < dim_range.0 || dims > dim_range.1 {
        return Err(SpecError::new(
            format!("{path}.dimensions"),
            format!(
                "a {kind} chart needs {} to {} dimensions",
                dim_range.0, dim_range.1
            ),
        ));
    }
    if measures < measure_range.0 || measures > measure_range.1 {
        return Err(SpecError::new(
            format!("{path}.measures"),
            format!(
                "a {kind} chart needs {} to {} measures",
                measure_range.0, measure_range.1
            ),
        ));
    }
    if raw_table && chart.columns.len() > MAX_TABLE_COLUMNS {
        return Err(SpecError::new(
            format!("{path}.columns"),
            format!("more than {MAX_TABLE_COLUMNS} columns"),
        ));
    }
    if !chart.columns.is_empty() && chart.kind != ChartKind::Table {
        return Err(SpecError::new(
            format!("{path}.columns"),
            "only tables list raw columns".to_string(),
        ));
    }
    for (j, measure) in chart.measures.iter().enumerate() {
        if aggregated && measure.agg.is_none() {
            return Err(SpecError::new(
                format!("{path}.measures[{j}].agg"),
                format!("a {kind} chart needs an aggregation"),
            ));
        }
        if !aggregated && measure.agg.is_some() {
            return Err(SpecError::new(
                format!("{path}.measures[{j}].agg"),
                format!("a {kind} chart plots raw values; remove agg"),
            ));
        }
    }
    Ok(())
}

/// Kind-specific options: each allowed only where it means something, and bounded.
pub(super) fn validate_options(
    path: &str,
    chart: &ChartSpec,
    doc: &SpecDocument,
    dataset: &DatasetDef,
) -> Result<(), SpecError> {
    let err =
        |field: &str, message: &str| SpecError::new(format!("{path}.{field}"), message.to_string());
    let kind = chart.kind;
    let sortable = matches!(kind, ChartKind::Bar | ChartKind::Pie | ChartKind::Table);
    if let Some(sort) = &chart.sort {
        if !sortable {
            return Err(err("sort", "only bar, pie and table charts can be sorted"));
        }
        let valid = if chart.columns.is_empty() {
            sort.by == "value" || sort.by == "dimension"
        } else {
            chart.columns.contains(&sort.by)
        };
        if !valid {
            return Err(err(
                "sort.by",
                "must be \"value\", \"dimension\" or (row tables) one of the columns",
            ));
        }
    }
    if let Some(limit) = chart.limit {
        if !sortable {
            return Err(err("limit", "only bar, pie and table charts take a limit"));
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(SpecError::new(
                format!("{path}.limit"),
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
    }
    match chart.bins {
        Some(_) if kind != ChartKind::Histogram => {
            return Err(err("bins", "only histograms take bins"))
        }
        Some(bins) if !(2..=MAX_BINS).contains(&bins) => {
            return Err(SpecError::new(
                format!("{path}.bins"),
                format!("must be between 2 and {MAX_BINS}"),
            ))
        }
        _ => {}
    }
    match chart.range {
        Some(_) if kind != ChartKind::Histogram => {
            return Err(err("range", "only histograms take a range"))
        }
        Some([lo, hi]) if !(lo.is_finite() && hi.is_finite() && lo < hi) => {
            return Err(err("range", "must be two finite numbers, low < high"))
        }
        _ => {}
    }
    match chart.sample {
        Some(_) if kind != ChartKind::Scatter => {
            return Err(err("sample", "only scatter charts take a sample size"))
        }
        Some(sample) if !(10..=MAX_SAMPLE).contains(&sample) => {
            return Err(SpecError::new(
                format!("{path}.sample"),
                format!("must be between 10 and {MAX_SAMPLE}"),
            ))
        }
        _ => {}
    }
    if chart.normalize && kind != ChartKind::StackedBar {
        return Err(err("normalize", "only stacked bars can be normalised"));
    }
    if !chart.mark_thresholds.is_empty() && kind != ChartKind::Histogram {
        return Err(err("mark_thresholds", "only histograms mark thresholds"));
    }
    for (j, name) in chart.mark_thresholds.iter().enumerate() {
        check_threshold(doc, &format!("{path}.mark_thresholds[{j}]"), name)?;
    }
    if chart.format.is_some() && kind != ChartKind::Kpi {
        return Err(err("format", "only KPI cards take a format"));
    }
    if let Some(condition) = &chart.only_above {
        let column = dataset.column(&condition.column).ok_or_else(|| {
            SpecError::new(
                format!("{path}.only_above.column"),
                unknown_column(dataset, &condition.column),
            )
        })?;
        if !column.ty.is_numeric() {
            return Err(err("only_above.column", "must be a numeric column"));
        }
        check_threshold(
            doc,
            &format!("{path}.only_above.threshold"),
            &condition.threshold,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::spec::error_after;

    #[test]
    fn out_of_range_options_are_rejected() {
        assert_eq!(
            error_after(|v| v["charts"][9]["limit"] = json!(1001)).path,
            "charts[9].limit"
        );
        assert_eq!(
            error_after(|v| v["charts"][9]["limit"] = json!(0)).path,
            "charts[9].limit"
        );
        assert_eq!(
            error_after(|v| v["charts"][6]["bins"] = json!(100_000)).path,
            "charts[6].bins"
        );
        assert_eq!(
            error_after(|v| v["charts"][0]["width"] = json!(13)).path,
            "charts[0].width"
        );
        assert_eq!(
            error_after(|v| v["charts"][0]["width"] = json!(0)).path,
            "charts[0].width"
        );
        assert_eq!(
            error_after(|v| v["charts"][6]["range"] = json!([1, 0])).path,
            "charts[6].range"
        );
    }

    #[test]
    fn each_kind_needs_its_shape() {
        let err =
            error_after(|v| v["charts"][7]["dimensions"] = json!(["transaction_type", "region"]));
        assert_eq!(err.path, "charts[7].dimensions");
        let err = error_after(|v| v["charts"][6]["measures"][0]["agg"] = json!("sum"));
        assert_eq!(err.path, "charts[6].measures[0].agg");
        let err = error_after(|v| v["charts"][4]["sort"] = json!({"by": "value"}));
        assert_eq!(err.path, "charts[4].sort");
        let err =
            error_after(|v| v["charts"][4]["dimensions"] = json!(["earn_month", "account_id"]));
        assert!(err.message.contains("too many values"), "{err}");
    }
}
