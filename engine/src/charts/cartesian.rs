//! Category-axis charts: bar, stacked bar (optionally 100%), line and area.

use charming::component::Axis;
use charming::element::{
    AreaStyle, AxisLabel, AxisType, Emphasis, EmphasisFocus, Formatter, Tooltip, Trigger,
};
use charming::series::{Bar, Line};
use charming::Chart;
use polars::prelude::DataFrame;
use serde_json::Value;

use super::frame::{labels, numbers, pivot};
use super::{base, legend, tidy, to_json};
use crate::error::EngineError;
use crate::spec::ChartSpec;

/// A series name and its values, one per x category.
type NamedSeries = (String, Vec<Option<f64>>);

/// One dimension on the x axis, one bar series per measure.
pub fn bar(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    let x = labels(frame, dimension(chart, 0))?;
    let mut option = base(chart, Trigger::Axis)
        .x_axis(category_axis(x))
        .y_axis(Axis::new().type_(AxisType::Value));
    if chart.measures.len() > 1 {
        option = option.legend(legend());
    }
    for (i, measure) in chart.measures.iter().enumerate() {
        option = option.series(
            Bar::new()
                .name(measure.display_label())
                .data(numbers(frame, &format!("m{i}"))?),
        );
    }
    to_json(&option)
}

/// First dimension on the x axis, one stacked series per value of the second.
/// With `normalize`, each x category sums to 100 (%).
pub fn stacked_bar(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    let mut grid = pivot(frame, dimension(chart, 0), dimension(chart, 1), "m0")?;
    let mut y_axis = Axis::new().type_(AxisType::Value);
    if chart.normalize {
        for xi in 0..grid.x.len() {
            let total: f64 = grid.matrix.iter().filter_map(|row| row[xi]).sum();
            for row in &mut grid.matrix {
                row[xi] = row[xi].map(|v| {
                    if total > 0.0 {
                        tidy(v / total * 100.0)
                    } else {
                        0.0
                    }
                });
            }
        }
        y_axis = y_axis
            .max(100)
            .axis_label(AxisLabel::new().formatter("{value}%"));
    }
    let mut option = base(chart, Trigger::Axis)
        .legend(legend())
        .x_axis(category_axis(grid.x))
        .y_axis(y_axis);
    if chart.normalize {
        // A string template: ECharts' `valueFormatter` would need a JS function.
        let lines: String = (0..grid.series.len())
            .map(|i| format!("<br/>{{a{i}}}: {{c{i}}}%"))
            .collect();
        option = option.tooltip(
            Tooltip::new()
                .trigger(Trigger::Axis)
                .formatter(Formatter::String(format!("{{b}}{lines}"))),
        );
    }
    for (name, values) in grid.series.into_iter().zip(grid.matrix) {
        option = option.series(
            Bar::new()
                .name(name)
                .stack("total")
                .emphasis(Emphasis::new().focus(EmphasisFocus::Series))
                .data(values),
        );
    }
    to_json(&option)
}

/// A line per measure, or per value of the second dimension.
pub fn line(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    lines(chart, frame, false)
}

/// Like [`line`], filled and stacked.
pub fn area(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    lines(chart, frame, true)
}

fn lines(chart: &ChartSpec, frame: &DataFrame, filled: bool) -> Result<Value, EngineError> {
    let styled = |line: Line| {
        let line = line.smooth(0.2).show_symbol(false);
        if filled {
            line.stack("total")
                .area_style(AreaStyle::new().opacity(0.6))
                .emphasis(Emphasis::new().focus(EmphasisFocus::Series))
        } else {
            line
        }
    };
    let (x, series): (Vec<String>, Vec<NamedSeries>) = if chart.dimensions.len() == 2 {
        let grid = pivot(frame, dimension(chart, 0), dimension(chart, 1), "m0")?;
        (grid.x, grid.series.into_iter().zip(grid.matrix).collect())
    } else {
        let x = labels(frame, dimension(chart, 0))?;
        let mut series = Vec::new();
        for (i, measure) in chart.measures.iter().enumerate() {
            series.push((measure.display_label(), numbers(frame, &format!("m{i}"))?));
        }
        (x, series)
    };
    let mut option: Chart = base(chart, Trigger::Axis)
        .x_axis(category_axis(x).boundary_gap(false))
        .y_axis(Axis::new().type_(AxisType::Value).scale(!filled));
    if series.len() > 1 {
        option = option.legend(legend());
    }
    for (name, values) in series {
        option = option.series(styled(Line::new().name(name).data(values)));
    }
    to_json(&option)
}

fn dimension(chart: &ChartSpec, i: usize) -> &str {
    chart
        .dimensions
        .get(i)
        .map(String::as_str)
        .unwrap_or_default()
}

fn category_axis(labels: Vec<String>) -> Axis {
    Axis::new().type_(AxisType::Category).data(labels)
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};

    fn long_frame() -> DataFrame {
        test_frame(vec![
            Column::new("earn_month".into(), ["2024-01", "2024-01", "2024-02"]),
            Column::new("risk_bucket".into(), ["Low", "High", "High"]),
            Column::new("m0".into(), [30.0, 10.0, 5.0]),
        ])
    }

    fn two_dim_chart(kind: &str, normalize: bool) -> ChartSpec {
        test_chart(
            json!({"id": "c", "title": "C", "kind": kind, "width": 6, "dataset": "exposures",
            "dimensions": ["earn_month", "risk_bucket"], "normalize": normalize,
            "measures": [{"column": "exposure_amount", "agg": "sum"}]}),
        )
    }

    #[test]
    fn bars_have_a_series_per_measure_over_the_categories() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "bar", "width": 6, "dataset": "customers",
            "dimensions": ["channel"],
            "measures": [{"column": "revenue", "agg": "sum", "label": "Revenue"}, {"agg": "count"}]}),
        );
        let frame = test_frame(vec![
            Column::new("channel".into(), ["Direct", "Online"]),
            Column::new("m0".into(), [100.0, 50.5]),
            Column::new("m1".into(), [3.0, 2.0]),
        ]);
        let option = bar(&chart, &frame).expect("option");
        assert_eq!(option["xAxis"]["data"], json!(["Direct", "Online"]));
        assert_eq!(option["series"][0]["name"], "Revenue");
        assert_eq!(option["series"][0]["data"], json!([100.0, 50.5]));
        assert_eq!(option["series"][1]["name"], "Count of rows");
        assert_eq!(option["series"][1]["type"], "bar");
    }

    #[test]
    fn stacked_bars_pivot_the_second_dimension_into_stacked_series() {
        let option =
            stacked_bar(&two_dim_chart("stacked_bar", false), &long_frame()).expect("option");
        assert_eq!(option["xAxis"]["data"], json!(["2024-01", "2024-02"]));
        assert_eq!(option["series"][0]["name"], "Low");
        assert_eq!(option["series"][0]["data"], json!([30.0, null]));
        assert_eq!(option["series"][1]["name"], "High");
        assert_eq!(option["series"][1]["data"], json!([10.0, 5.0]));
        assert_eq!(option["series"][1]["stack"], "total");
    }

    #[test]
    fn a_normalised_stacked_bar_shows_each_category_as_100_percent() {
        let option =
            stacked_bar(&two_dim_chart("stacked_bar", true), &long_frame()).expect("option");
        assert_eq!(option["series"][0]["data"], json!([75.0, null]));
        assert_eq!(option["series"][1]["data"], json!([25.0, 100.0]));
        assert_eq!(option["yAxis"]["max"], json!(100));
        assert_eq!(
            option["tooltip"]["formatter"],
            "{b}<br/>{a0}: {c0}%<br/>{a1}: {c1}%"
        );
    }

    #[test]
    fn lines_follow_the_first_dimension_and_areas_stack_filled() {
        let line_option = line(&two_dim_chart("line", false), &long_frame()).expect("option");
        assert_eq!(line_option["series"][0]["type"], "line");
        assert!(line_option["series"][0]["areaStyle"].is_null());
        assert_eq!(line_option["xAxis"]["boundaryGap"], false);
        let area_option = area(&two_dim_chart("area", false), &long_frame()).expect("option");
        assert!(area_option["series"][1]["areaStyle"].is_object());
        assert_eq!(area_option["series"][1]["stack"], "total");
        assert_eq!(area_option["legend"]["type"], "scroll");
    }
}
