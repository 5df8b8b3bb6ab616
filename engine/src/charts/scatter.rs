//! Scatter charts of a deterministic sample of raw points, one series per
//! value of the optional dimension.

use charming::component::Axis;
use charming::element::{AxisType, NameLocation, Trigger};
use charming::series::Scatter;
use polars::prelude::DataFrame;
use serde_json::Value;

use super::frame::{distinct, labels, numbers, sort_categories};
use super::{base, legend, to_json};
use crate::error::EngineError;
use crate::spec::ChartSpec;

pub fn scatter(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    let xs = numbers(frame, "x")?;
    let ys = numbers(frame, "y")?;
    let groups = if frame.column("series").is_ok() {
        labels(frame, "series")?
    } else {
        vec![String::new(); frame.height()]
    };
    let mut names = distinct(&groups);
    sort_categories(&mut names);
    let axis_name = |i: usize| {
        chart
            .measures
            .get(i)
            .map(|m| m.display_label())
            .unwrap_or_default()
    };
    let mut option = base(chart, Trigger::Item)
        .x_axis(value_axis(axis_name(0)))
        .y_axis(value_axis(axis_name(1)));
    if names.len() > 1 || names.first().is_some_and(|n| !n.is_empty()) {
        option = option.legend(legend());
    }
    for name in names {
        let points: Vec<Vec<f64>> = xs
            .iter()
            .zip(&ys)
            .zip(&groups)
            .filter(|(_, g)| **g == name)
            .filter_map(|((x, y), _)| Some(vec![(*x)?, (*y)?]))
            .collect();
        let series_name = if name.is_empty() { axis_name(1) } else { name };
        option = option.series(
            Scatter::new()
                .name(series_name)
                .symbol_size(6.0)
                .data(points),
        );
    }
    to_json(&option)
}

fn value_axis(name: String) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .scale(true)
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(28)
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};

    #[test]
    fn scatter_points_are_grouped_into_a_series_per_category() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "scatter", "width": 6, "dataset": "customers",
            "dimensions": ["segment"],
            "measures": [{"column": "predicted_clv", "label": "CLV"}, {"column": "churn_probability", "label": "Churn"}]}),
        );
        let frame = test_frame(vec![
            Column::new("x".into(), [1000.0, 2000.0, 3000.0]),
            Column::new("y".into(), [0.5, 0.25, 0.125]),
            Column::new("series".into(), ["SMB", "Consumer", "SMB"]),
        ]);
        let option = scatter(&chart, &frame).expect("option");
        assert_eq!(option["series"][0]["name"], "Consumer");
        assert_eq!(option["series"][0]["data"], json!([[2000.0, 0.25]]));
        assert_eq!(option["series"][1]["name"], "SMB");
        assert_eq!(
            option["series"][1]["data"],
            json!([[1000.0, 0.5], [3000.0, 0.125]])
        );
        assert_eq!(option["xAxis"]["name"], "CLV");
        assert_eq!(option["yAxis"]["name"], "Churn");
    }
}
