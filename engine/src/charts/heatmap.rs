//! Heatmaps: two dimensions on category axes, the measure as colour.

use charming::component::{Axis, Grid, VisualMap};
use charming::datatype::DataPoint;
use charming::element::{AxisType, Label, Orient, Trigger};
use charming::series::Heatmap;
use polars::prelude::DataFrame;
use serde_json::Value;

use super::frame::pivot;
use super::{base_with_grid, to_json};
use crate::error::EngineError;
use crate::spec::ChartSpec;

pub fn heatmap(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    let dim = |i: usize| {
        chart
            .dimensions
            .get(i)
            .map(String::as_str)
            .unwrap_or_default()
    };
    let grid = pivot(frame, dim(0), dim(1), "m0")?;
    let mut data = Vec::new();
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for (yi, row) in grid.matrix.iter().enumerate() {
        for (xi, value) in row.iter().enumerate() {
            if let Some(v) = value {
                min = min.min(*v);
                max = max.max(*v);
                data.push(vec![
                    DataPoint::from(xi as i64),
                    DataPoint::from(yi as i64),
                    DataPoint::from(*v),
                ]);
            }
        }
    }
    if data.is_empty() {
        (min, max) = (0.0, 0.0);
    }
    let label = chart
        .measures
        .first()
        .map(|m| m.display_label())
        .unwrap_or_default();
    let series = Heatmap::new()
        .name(label)
        .label(Label::new().show(false))
        .data(data);
    let grid_with_room_for_the_scale = Grid::new()
        .left(16)
        .right(24)
        .top(48)
        .bottom(64)
        .contain_label(true);
    let option = base_with_grid(chart, Trigger::Item, grid_with_room_for_the_scale)
        .x_axis(Axis::new().type_(AxisType::Category).data(grid.x))
        .y_axis(Axis::new().type_(AxisType::Category).data(grid.series))
        .visual_map(
            VisualMap::new()
                .min(min)
                .max(max)
                .calculable(true)
                .orient(Orient::Horizontal)
                .left("center")
                .bottom(0),
        )
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
    fn heatmap_cells_index_both_axes_and_the_scale_spans_the_values() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "heatmap", "width": 6, "dataset": "exposures",
            "dimensions": ["region", "risk_bucket"], "measures": [{"column": "exposure_amount", "agg": "sum"}]}),
        );
        let frame = test_frame(vec![
            Column::new("region".into(), ["EMEA", "EMEA", "APAC"]),
            Column::new("risk_bucket".into(), ["Critical", "Low", "Low"]),
            Column::new("m0".into(), [5.0, 1.0, 2.0]),
        ]);
        let option = heatmap(&chart, &frame).expect("option");
        assert_eq!(option["xAxis"]["data"], json!(["EMEA", "APAC"]));
        assert_eq!(option["yAxis"]["data"], json!(["Low", "Critical"]));
        assert_eq!(
            option["series"][0]["data"],
            json!([[0, 0, 1.0], [1, 0, 2.0], [0, 1, 5.0]])
        );
        assert_eq!(option["visualMap"][0]["min"], json!(1.0));
        assert_eq!(option["visualMap"][0]["max"], json!(5.0));
    }
}
