//! Histograms: contiguous bars on a value axis, with thresholds as vertical lines.

use charming::component::Axis;
use charming::element::{
    AxisType, Label, LineStyle, LineStyleType, MarkLine, MarkLineData, MarkLineVariant, Symbol,
    Tooltip, Trigger,
};
use charming::series::Bar;
use polars::prelude::DataFrame;
use serde_json::Value;

use super::frame::numbers;
use super::{base, tidy, to_json, Marks};
use crate::error::EngineError;
use crate::spec::ChartSpec;

/// `frame`: `bin_start`, `bin_end`, `count`. Each bar sits at its bin's centre;
/// the x axis spans exactly the binned range so bars touch.
pub fn histogram(
    chart: &ChartSpec,
    frame: &DataFrame,
    marks: &Marks,
) -> Result<Value, EngineError> {
    let starts = numbers(frame, "bin_start")?;
    let ends = numbers(frame, "bin_end")?;
    let counts = numbers(frame, "count")?;
    let lo = starts
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let hi = ends
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let data: Vec<Vec<f64>> = starts
        .iter()
        .zip(&ends)
        .zip(&counts)
        .filter_map(|((s, e), c)| Some(vec![tidy(((*s)? + (*e)?) / 2.0), (*c)?]))
        .collect();
    let label = chart
        .measures
        .first()
        .map(|m| m.display_label())
        .unwrap_or_default();
    let mut series = Bar::new().name(label.clone()).bar_width("96%").data(data);
    if !marks.is_empty() {
        let lines = marks
            .iter()
            .map(|(name, value)| {
                MarkLineVariant::Simple(
                    MarkLineData::new()
                        .name(format!("{name}: {value}"))
                        .x_axis(*value),
                )
            })
            .collect();
        series = series.mark_line(
            MarkLine::new()
                .symbol(vec![Symbol::None, Symbol::None])
                .silent(true)
                .label(Label::new().formatter("{b}"))
                .line_style(
                    LineStyle::new()
                        .type_(LineStyleType::Dashed)
                        .color("#d9534f"),
                )
                .data(lines),
        );
    }
    let option = base(chart, Trigger::Axis)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(tidy(lo))
                .max(tidy(hi))
                .name(label),
        )
        .y_axis(Axis::new().type_(AxisType::Value).name("Count"))
        .series(series);
    to_json(&option)
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};

    #[test]
    fn histogram_bars_sit_at_bin_centres_with_threshold_lines() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "histogram", "width": 6, "dataset": "exposures",
            "measures": [{"column": "risk_score", "label": "Risk score"}]}),
        );
        let frame = test_frame(vec![
            Column::new("bin_start".into(), [0.0, 0.5]),
            Column::new("bin_end".into(), [0.5, 1.0]),
            Column::new("count".into(), [3.0, 1.0]),
        ]);
        let marks = [
            ("risk_warning".to_string(), 0.5),
            ("risk_critical".to_string(), 0.8),
        ];
        let option = histogram(&chart, &frame, &marks).expect("option");
        assert_eq!(
            option["series"][0]["data"],
            json!([[0.25, 3.0], [0.75, 1.0]])
        );
        assert_eq!(
            (
                option["xAxis"]["min"].as_f64(),
                option["xAxis"]["max"].as_f64()
            ),
            (Some(0.0), Some(1.0))
        );
        let lines = &option["series"][0]["markLine"]["data"];
        assert_eq!(lines[0], json!({"name": "risk_warning: 0.5", "xAxis": 0.5}));
        assert_eq!(lines[1]["xAxis"], json!(0.8));
    }
}
